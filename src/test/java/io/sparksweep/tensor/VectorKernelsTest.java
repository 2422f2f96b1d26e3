package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VectorKernelsTest {
  @Test
  void everyByteValueMinusTheMeanIsTheScalarFloatExpressionBitForBit() {
    assumeTrue(VectorKernels.AVAILABLE, "no ≥ 256-bit vectors here");
    SplittableRandom random = new SplittableRandom(7);
    // 3 images of 3,072 bytes, then a length that leaves a tail for the scalar loop; offsets that
    // are not multiples of the vector length.
    for (int n : new int[] {3072, 37, 5}) {
      byte[] src = new byte[n + 300];
      for (int i = 0; i < src.length; i++) {
        src[i] = (byte) (i * 7 + random.nextInt(256)); // every value from −128 to 127 occurs
      }
      float[] mean = new float[n];
      for (int j = 0; j < n; j++) {
        mean[j] = (float) (random.nextDouble() * 255);
      }
      for (int srcOff : new int[] {0, 3, 257}) {
        float[] dst = new float[n + 11];
        dst[10 + n] = 42f;
        VectorKernels.centered(src, srcOff, mean, dst, 10, n);
        for (int j = 0; j < n; j++) {
          float expected = (src[srcOff + j] & 0xFF) - mean[j];
          assertEquals(
              Float.floatToRawIntBits(expected),
              Float.floatToRawIntBits(dst[10 + j]),
              "n=" + n + " srcOff=" + srcOff + " j=" + j + " byte=" + src[srcOff + j]);
        }
        assertEquals(0f, dst[9], "nothing before the destination offset");
        assertEquals(42f, dst[10 + n], "nothing after the n values");
      }
    }
  }
}
