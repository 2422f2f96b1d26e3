package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VectorPatchGrad}: the strips against their definition read straight from the image, entry
 * by entry, and the accumulated weight gradient against the sum of routed gradient times receptive
 * field taken in double from {@link Im2Col}'s column matrix (an independent layout).
 */
class VectorPatchGradTest {

  /** C, H, W, HH, WW, stride, pad. */
  static Stream<Arguments> geometries() {
    return Stream.of(
        // On AVX-512 (16 lanes) the passes are of 8, 4 and 2 vectors: K = 147 takes 8 + 2, K = 18
        // and 25 a pair, K = 120 8, K = 168 8 + 4, K = 210 8 + 4 + 2.
        Arguments.of(3, 32, 32, 7, 7, 1, 3), // the convnet's
        Arguments.of(2, 8, 8, 3, 3, 1, 1),
        Arguments.of(1, 9, 9, 5, 5, 2, 2), // stride 2
        Arguments.of(4, 6, 10, 1, 1, 1, 0), // 1×1, no padding
        Arguments.of(2, 7, 5, 3, 3, 2, 0), // stride 2, no padding, H ≠ W
        Arguments.of(1, 3, 24, 1, 20, 1, 0), // a run of 20 floats: more than one vector on AVX-512
        Arguments.of(5, 11, 11, 4, 6, 1, 1), // K = 120, HH ≠ WW
        Arguments.of(4, 9, 9, 7, 6, 1, 3), // K = 168
        Arguments.of(3, 12, 12, 7, 10, 1, 3)); // K = 210
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void stripsHoldEachOutputColumnsPaddedInputRows(
      int c, int h, int w, int hh, int ww, int s, int pad) {
    assumeTrue(vectors(), "no 256-bit Vector API here");
    Im2Col.Geometry g = new Im2Col.Geometry(c, h, w, hh, ww, s, pad);
    SplittableRandom rng = new SplittableRandom(c * 31 + hh);
    float[] x = random(rng, 2 * g.imageSize());
    float[] xp = new float[VectorIm2Col.paddedSize(g)];
    float[] strips = new float[VectorPatchGrad.stripsSize(g)];
    Arrays.fill(strips, Float.NaN);
    // The second image, to check the offset; xp's border is filled once, as the layer does.
    VectorIm2Col.pad(g, x, 0, xp);
    VectorIm2Col.pad(g, x, g.imageSize(), xp);
    VectorPatchGrad.strips(g, xp, strips);
    int ph = h + 2 * pad;
    for (int ow = 0; ow < g.outWidth(); ow++) {
      for (int r = 0; r < ph; r++) {
        for (int ci = 0; ci < c; ci++) {
          for (int kw = 0; kw < ww; kw++) {
            int ih = r - pad;
            int iw = ow * s - pad + kw;
            float expected =
                ih >= 0 && ih < h && iw >= 0 && iw < w
                    ? x[g.imageSize() + (ci * h + ih) * w + iw]
                    : 0f;
            int at = ((ow * ph + r) * c + ci) * ww + kw;
            assertEquals(
                expected, strips[at], 0f, "ow " + ow + " r " + r + " c " + ci + " kw " + kw);
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void accumulatedGradientEqualsTheRoutedSumOverTheColumnMatrix(
      int c, int h, int w, int hh, int ww, int s, int pad) {
    assumeTrue(vectors(), "no 256-bit Vector API here");
    Im2Col.Geometry g = new Im2Col.Geometry(c, h, w, hh, ww, s, pad);
    SplittableRandom rng = new SplittableRandom(h * 7 + ww);
    int k = g.patchSize();
    int p = g.outPixels();
    int f = 4;
    float[] x = random(rng, g.imageSize());
    float[] cols = new float[k * p];
    Im2Col.im2col(g, x, 0, cols, 0);
    float[] xp = new float[VectorIm2Col.paddedSize(g)];
    float[] strips = new float[VectorPatchGrad.stripsSize(g)];
    VectorIm2Col.pad(g, x, 0, xp);
    VectorPatchGrad.strips(g, xp, strips);
    int[] fields = new int[p];
    VectorPatchGrad.patchOffsets(g, fields);
    int span = VectorPatchGrad.span(g);
    float[] acc = new float[f * span];
    double[] expected = new double[f * k];
    double[] bound = new double[f * k];
    // Per filter: a random subset of positions (some twice, as overlapping pools route), each
    // with a gradient; accumulated onto a non-zero start, as image after image is.
    for (int jf = 0; jf < f; jf++) {
      // One field, then an even count, then odd or even: both ends of the paired pass.
      int n = jf == 0 ? 1 : jf == 1 ? 2 + 2 * rng.nextInt(p) : 1 + rng.nextInt(2 * p);
      int[] offsets = new int[n];
      float[] gs = new float[n];
      for (int i = 0; i < n; i++) {
        int q = rng.nextInt(p);
        offsets[i] = fields[q];
        gs[i] = (float) rng.nextGaussian();
        for (int kk = 0; kk < k; kk++) {
          double term = (double) gs[i] * cols[kk * p + q];
          expected[jf * k + kk] += term;
          bound[jf * k + kk] += Math.abs(term);
        }
      }
      for (int kk = 0; kk < k; kk++) {
        int ci = kk / (hh * ww);
        int kh = kk / ww % hh;
        int kw = kk % ww;
        float start = (float) rng.nextGaussian();
        acc[jf * span + (kh * c + ci) * ww + kw] = start;
        expected[jf * k + kk] += start;
        bound[jf * k + kk] += Math.abs(start);
      }
      VectorPatchGrad.accumulate(strips, offsets, gs, n, acc, jf * span, span);
    }
    float[] dw = new float[f * k];
    VectorPatchGrad.toFilters(g, f, acc, span, dw);
    for (int i = 0; i < f * k; i++) {
      // Float sums of at most 2P + 1 terms: within (2P + 2)·2⁻²⁴ of Σ|terms|, and a fraction of it.
      double tol = 1e-6 * bound[i] + 1e-30;
      assertTrue(
          Math.abs(dw[i] - expected[i]) <= tol,
          "dw[" + i + "] = " + dw[i] + ", expected " + expected[i] + " ± " + tol);
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void sumOfGradientsEqualsTheDoubleSum(int c, int h, int w, int hh, int ww, int s, int pad) {
    assumeTrue(vectors(), "no 256-bit Vector API here");
    SplittableRandom rng = new SplittableRandom(w);
    int n = c * h + ww; // lengths around and past whole vectors
    float[] gs = random(rng, n + 5);
    double expected = 0;
    double bound = 0;
    for (int i = 0; i < n; i++) {
      expected += gs[i];
      bound += Math.abs(gs[i]);
    }
    assertEquals(expected, VectorPatchGrad.sum(gs, n), 1e-6 * bound);
  }

  private static float[] random(SplittableRandom rng, int n) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) rng.nextGaussian();
    }
    return a;
  }

  private static boolean vectors() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
        && VectorPatchGrad.AVAILABLE;
  }
}
