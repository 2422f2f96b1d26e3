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

  private static float[] gaussians(SplittableRandom r, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * 2);
    }
    return a;
  }

  private static void assertBits(float[] expected, float[] got, String what) {
    for (int i = 0; i < expected.length; i++) {
      assertEquals(
          Float.floatToRawIntBits(expected[i]),
          Float.floatToRawIntBits(got[i]),
          what + " element " + i + ": " + expected[i] + " vs " + got[i]);
    }
  }

  /** The row kernels on rows of whole vectors, partial ones and shorter than a vector. */
  private static final int[][] ROWS = {{100, 100}, {7, 15}, {3, 16}, {5, 17}, {4, 33}, {6, 1}};

  @Test
  void rowAddIsTheScalarLoopBitForBit() {
    assumeTrue(VectorKernels.AVAILABLE, "no ≥ 256-bit vectors here");
    SplittableRandom r = new SplittableRandom(3);
    for (int[] s : ROWS) {
      int n = s[0];
      int d = s[1];
      float[] x = gaussians(r, n * d);
      float[] v = gaussians(r, d);
      float[] expected = x.clone();
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          expected[i * d + j] += v[j];
        }
      }
      VectorKernels.rowAdd(x, n, d, v);
      assertBits(expected, x, n + "×" + d);
    }
  }

  @Test
  void batchNormKernelsAreTheScalarLoopsBitForBit() {
    assumeTrue(VectorKernels.AVAILABLE, "no ≥ 256-bit vectors here");
    SplittableRandom r = new SplittableRandom(5);
    for (int[] s : ROWS) {
      int n = s[0];
      int d = s[1];
      float[] x = gaussians(r, n * d);
      float[] mean = gaussians(r, d);
      float[] inv = gaussians(r, d);
      float[] gamma = gaussians(r, d);
      float[] beta = gaussians(r, d);
      float[] xmu = new float[n * d];
      float[] xhat = new float[n * d];
      float[] out = new float[n * d];
      float[] exmu = new float[n * d];
      float[] exhat = new float[n * d];
      float[] eout = new float[n * d];
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          int o = i * d + j;
          exmu[o] = x[o] - mean[j];
          exhat[o] = exmu[o] * inv[j];
          eout[o] = exhat[o] * gamma[j] + beta[j];
        }
      }
      VectorKernels.normalize(x, mean, inv, gamma, beta, n, d, xmu, xhat, out);
      assertBits(exmu, xmu, "xmu " + n + "×" + d);
      assertBits(exhat, xhat, "xhat " + n + "×" + d);
      assertBits(eout, out, "out " + n + "×" + d);

      float[] dout = gaussians(r, n * d);
      float[] k = gaussians(r, d);
      float[] dbeta = gaussians(r, d);
      float[] dgamma = gaussians(r, d);
      float[] edx = new float[n * d];
      float fn = n;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < d; j++) {
          int o = i * d + j;
          edx[o] = k[j] * (fn * dout[o] - dbeta[j] - xhat[o] * dgamma[j]);
        }
      }
      float[] dx = new float[n * d];
      VectorKernels.batchNormDx(dout, xhat, k, dbeta, dgamma, fn, n, d, dx);
      assertBits(edx, dx, "dx " + n + "×" + d);
    }
  }
}
