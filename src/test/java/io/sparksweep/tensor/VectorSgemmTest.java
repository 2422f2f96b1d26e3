package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link VectorSgemm} against a plain triple loop accumulated in double, on shapes that hit every
 * edge of its blocking (partial micro-tiles, several KC/MC/NC blocks) and every transpose case.
 */
class VectorSgemmTest {

  static Stream<Arguments> shapes() {
    int nr = VectorSgemm.NR;
    int lanes = VectorSgemm.lanes();
    int mr = VectorSgemm.MR;
    int[][] mnk = {
      {1, 1, 1},
      {6, nr, 1},
      {5, 7, 3},
      {7, nr + 1, 13},
      {13, 2 * nr - 1, 31},
      {32, 147, 1024}, // conv dW: dout·colsᵀ
      {147, 1024, 32}, // conv dcols: Wᵀ·dout
      {32, 1024, 147}, // conv forward: W·cols
      {100, 100, 3072}, // fc first layer
      {VectorSgemm.MC + 5, 3, VectorSgemm.KC + 9},
      {2, VectorSgemm.NC + nr + 3, 4},
      // every row remainder (the 6/4/2/1-row kernels) and the one-vector column edges
      {mr + 7, lanes, 5},
      {2 * mr + 5, nr + lanes, 17},
      {mr + 3, lanes - 1, 9},
      {mr + 1, nr + lanes + 2, 11},
      {mr - 1, 2 * nr + 1, 3},
      {50, 100, 8192}, // conv affine forward: 8 × 6 rows + 2, 3 panels + 4 columns
      // one row (a transposed A then has unit strides both ways) and one step of k (A's rows 1
      // apart)
      {1, 2 * nr + 3, 9},
      {2 * mr + 3, nr, 1},
      // a plain A packed for many column panels: partial row panels, two k-blocks, two m-blocks
      {2 * mr + 3, VectorSgemm.PACK_A_PANELS * nr + 5, VectorSgemm.KC + 7},
      {VectorSgemm.MC + mr - 1, VectorSgemm.PACK_A_PANELS * nr, 5},
    };
    List<Arguments> out = new ArrayList<>();
    for (int[] s : mnk) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          out.add(Arguments.of(s[0], s[1], s[2], ta, tb));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "m={0} n={1} k={2} transA={3} transB={4}")
  @MethodSource("shapes")
  void matchesNaiveProduct(int m, int n, int k, boolean transA, boolean transB) {
    check(m, n, k, transA, transB, -0.5f);
  }

  /**
   * beta = 1 (C accumulates) where the kernels treat it apart from other values: whole tiles, the
   * narrow edge columns over all of k (plain A) and per k-block (transposed A), partial rows.
   */
  @Test
  void betaOneAddsTheProductToC() {
    int[][] mnk = {
      {100, 100, 3072}, {VectorSgemm.MC + 5, 3, VectorSgemm.KC + 9}, {50, 100, 8192}, {13, 20, 100}
    };
    for (int[] s : mnk) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          check(s[0], s[1], s[2], ta, tb, 1f);
        }
      }
    }
  }

  private static void check(int m, int n, int k, boolean transA, boolean transB, float beta) {
    SplittableRandom rnd = new SplittableRandom(31L * m + 7L * n + k);
    int offA = 3;
    int offB = 5;
    int offC = 2;
    float[] a = random(rnd, offA + m * k);
    float[] b = random(rnd, offB + k * n);
    float[] c = random(rnd, offC + m * n + 4);
    float alpha = 0.75f;
    float[] expected = c.clone();
    double[] tol = new double[c.length];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        double mag = 0;
        for (int p = 0; p < k; p++) {
          double x = a[offA + (transA ? p * m + i : i * k + p)];
          double y = b[offB + (transB ? j * k + p : p * n + j)];
          s += x * y;
          mag += Math.abs(x * y);
        }
        expected[offC + i * n + j] = (float) (alpha * s + beta * c[offC + i * n + j]);
        // float32 rounding error grows with the sum of |terms|.
        tol[offC + i * n + j] = 1e-5 * (alpha * mag + Math.abs(beta * c[offC + i * n + j])) + 1e-6;
      }
    }
    float[] got = c.clone();
    VectorSgemm.sgemm(transA, transB, m, n, k, alpha, a, offA, b, offB, beta, got, offC);
    for (int i = 0; i < got.length; i++) {
      boolean inside = i >= offC && i < offC + m * n;
      if (!inside) {
        assertEquals(c[i], got[i], "element " + i + " outside C was written");
      } else {
        assertEquals(
            expected[i],
            got[i],
            tol[i],
            "C element " + (i - offC) + " of " + m + "×" + n + "×" + k + " beta=" + beta);
      }
    }
  }

  @Test
  void everyAvailableImplementationComputesTheSameProduct() {
    SplittableRandom rnd = new SplittableRandom(5);
    int m = 19;
    int n = 45;
    int k = 70;
    float[] a = random(rnd, k * m); // used transposed
    float[] b = random(rnd, k * n);
    float[] ref = new float[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (double) a[p * m + i] * b[p * n + j];
        }
        ref[i * n + j] = (float) s;
      }
    }
    List<Gemm.SgemmImpl> impls = Gemm.availableSgemm();
    assertTrue(impls.contains(Gemm.SgemmImpl.VECTOR_SGEMM), "tests run with the vector module");
    for (Gemm.SgemmImpl impl : impls) {
      float[] c = new float[m * n];
      Gemm.sgemm(impl, true, false, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
      for (int i = 0; i < c.length; i++) {
        assertEquals(ref[i], c[i], 1e-4, impl.label() + " element " + i);
      }
    }
  }

  @Test
  void betaZeroIgnoresNaNsInC() {
    float[] a = {1, 2, 3, 4}; // 2x2
    float[] b = {5, 6, 7, 8};
    float[] c = {Float.NaN, Float.NaN, Float.NaN, Float.NaN};
    VectorSgemm.sgemm(false, false, 2, 2, 2, 1f, a, 0, b, 0, 0f, c, 0);
    assertEquals(19f, c[0]);
    assertEquals(22f, c[1]);
    assertEquals(43f, c[2]);
    assertEquals(50f, c[3]);
  }

  /**
   * beta = 0 over whole tiles, a partial tile, the narrow columns and two k-blocks, both
   * transposes: C's NaNs are never read; the result is the one a zeroed C gives.
   */
  @Test
  void betaZeroIgnoresNaNsInEveryKindOfTile() {
    java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
    int k = VectorSgemm.KC + 44;
    for (int n : new int[] {100, 2 * VectorSgemm.NR - 3}) {
      for (boolean transA : new boolean[] {false, true}) {
        int m = VectorSgemm.MR * 2 + 3;
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        for (int i = 0; i < a.length; i++) {
          a[i] = (float) rng.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
          b[i] = (float) rng.nextGaussian();
        }
        float[] zeroed = new float[m * n];
        VectorSgemm.sgemm(transA, false, m, n, k, 0.5f, a, 0, b, 0, 1f, zeroed, 0);
        float[] c = new float[m * n];
        java.util.Arrays.fill(c, Float.NaN);
        VectorSgemm.sgemm(transA, false, m, n, k, 0.5f, a, 0, b, 0, 0f, c, 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(
            zeroed, c, "n = " + n + ", transA = " + transA);
      }
    }
  }

  @Test
  void zeroDepthOnlyScalesC() {
    float[] c = {1, 2, 3};
    VectorSgemm.sgemm(false, false, 1, 3, 0, 1f, new float[0], 0, new float[0], 0, 2f, c, 0);
    assertEquals(2f, c[0]);
    assertEquals(4f, c[1]);
    assertEquals(6f, c[2]);
  }

  @Test
  void repeatedCallsOnOneThreadGiveTheSameResult() {
    SplittableRandom rnd = new SplittableRandom(1);
    float[] a = random(rnd, 40 * 300);
    float[] b = random(rnd, 300 * 70);
    float[] c1 = new float[40 * 70];
    float[] c2 = new float[40 * 70];
    VectorSgemm.sgemm(false, false, 40, 70, 300, 1f, a, 0, b, 0, 0f, c1, 0);
    // A differently shaped product in between leaves other contents in the pack buffers.
    VectorSgemm.sgemm(
        true, true, 17, 9, 11, 1f, random(rnd, 200), 0, random(rnd, 200), 0, 0f, new float[153], 0);
    VectorSgemm.sgemm(false, false, 40, 70, 300, 1f, a, 0, b, 0, 0f, c2, 0);
    assertTrue(java.util.Arrays.equals(c1, c2));
  }

  @Test
  void selectionFollowsThePropertyAndTheLoadedBlas() {
    assertTrue(Gemm.useVectorSgemm("auto", false, true));
    assertFalse(Gemm.useVectorSgemm("auto", true, true));
    assertFalse(Gemm.useVectorSgemm("auto", false, false));
    assertFalse(Gemm.useVectorSgemm("blas", false, true));
    assertTrue(Gemm.useVectorSgemm(" Vector ", true, true));
    IllegalStateException noModule =
        assertThrows(
            IllegalStateException.class, () -> Gemm.useVectorSgemm("vector", false, false));
    assertTrue(noModule.getMessage().contains("--add-modules=jdk.incubator.vector"));
    IllegalStateException unknown =
        assertThrows(IllegalStateException.class, () -> Gemm.useVectorSgemm("fast", false, true));
    assertTrue(unknown.getMessage().contains("'fast'"), unknown.getMessage());
    assertTrue(unknown.getMessage().contains("auto, blas or vector"));
  }

  private static float[] random(SplittableRandom rnd, int len) {
    float[] x = new float[len];
    for (int i = 0; i < len; i++) {
      x[i] = (float) (rnd.nextDouble() * 2 - 1);
    }
    return x;
  }
}
