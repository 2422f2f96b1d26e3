package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

  /** (rows, cols): batchnorm's 100×100, tails after whole vectors, a single vector, no vector. */
  private static final int[][] MATRICES = {{100, 100}, {7, 37}, {3, 16}, {5, 5}, {1, 33}};

  private static float[] floats(SplittableRandom random, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      // magnitudes from 1e-3 to 1e3, so that rounding in a float sum would show
      x[i] = (float) (random.nextGaussian() * Math.pow(10, random.nextInt(-3, 4)));
    }
    return x;
  }

  private static double[] doubles(SplittableRandom random, int n) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = random.nextGaussian();
    }
    return x;
  }

  @Test
  void columnReductionsAreTheScalarDoubleLoopsBitForBit() {
    assumeTrue(VectorKernels.AVAILABLE, "no ≥ 256-bit vectors here");
    SplittableRandom random = new SplittableRandom(11);
    for (int[] shape : MATRICES) {
      int rows = shape[0];
      int cols = shape[1];
      String at = rows + "×" + cols;
      float[] g = floats(random, rows * cols);
      float[] h = floats(random, rows * cols);
      double[] mean = doubles(random, cols);
      // The sums are added to what the arrays hold.
      double[] start = doubles(random, cols);
      double[] sums = start.clone();
      double[] dots = start.clone();
      double[] squares = start.clone();
      for (int r = 0; r < rows; r++) {
        for (int j = 0; j < cols; j++) {
          float gj = g[r * cols + j];
          sums[j] += gj;
          dots[j] += (double) gj * h[r * cols + j];
          double c = gj - mean[j];
          squares[j] += c * c;
        }
      }
      double[] vSums = start.clone();
      VectorKernels.columnSums(g, rows, cols, vSums);
      assertArrayEquals(sums, vSums, 0, "columnSums " + at);
      double[] vSums2 = start.clone();
      double[] vDots = start.clone();
      VectorKernels.columnSumsAndDots(g, h, rows, cols, vSums2, vDots);
      assertArrayEquals(sums, vSums2, 0, "columnSumsAndDots: sums " + at);
      assertArrayEquals(dots, vDots, 0, "columnSumsAndDots: dots " + at);
      double[] vSquares = start.clone();
      VectorKernels.columnSquaredDeviations(g, rows, cols, mean, vSquares);
      assertArrayEquals(squares, vSquares, 0, "columnSquaredDeviations " + at);
    }
  }
}
