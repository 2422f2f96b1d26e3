package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link Kernels#addL2Gradient}: the update and the sum of squares, both dtypes, every length. */
class KernelsL2Test {

  @Test
  void handComputedPenalty() {
    // w = (1, −2, 3), reg = 0.5: dw gains (0.5, −1, 1.5), Σw² = 1 + 4 + 9 = 14.
    float[] dwF = {10f, 20f, 30f};
    assertEquals(14.0, Kernels.addL2Gradient(dwF, new float[] {1f, -2f, 3f}, 0.5f), 0.0);
    assertArrayEquals(new float[] {10.5f, 19f, 31.5f}, dwF, 0f);
    double[] dwD = {10, 20, 30};
    assertEquals(14.0, Kernels.addL2Gradient(dwD, new double[] {1, -2, 3}, 0.5), 0.0);
    assertArrayEquals(new double[] {10.5, 19, 31.5}, dwD, 0.0);
  }

  /**
   * Lengths around every unrolling remainder and around the vector kernel's 256-element blocks (the
   * float32 sum there is float within a block: relative error ≤ 1e-6, the update exact).
   */
  @ParameterizedTest
  @ValueSource(ints = {0, 1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 1003, 307_213})
  void equalsTheNaiveLoop(int n) {
    SplittableRandom r = new SplittableRandom(n);
    float[] w = new float[n];
    float[] dw = new float[n];
    double[] wd = new double[n];
    double[] dwd = new double[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) r.nextGaussian();
      dw[i] = (float) r.nextGaussian();
      wd[i] = r.nextGaussian();
      dwd[i] = r.nextGaussian();
    }
    float[] dwRef = dw.clone();
    double[] dwdRef = dwd.clone();
    double sumRef = 0;
    double sumRefD = 0;
    for (int i = 0; i < n; i++) {
      dwRef[i] += 1e-3f * w[i];
      sumRef += (double) w[i] * w[i];
      dwdRef[i] += 1e-3 * wd[i];
      sumRefD += wd[i] * wd[i];
    }
    double floatTolerance = (Kernels.VECTOR && n >= VectorKernels.BLOCK ? 1e-6 : 1e-12);
    assertEquals(sumRef, Kernels.addL2Gradient(dw, w, 1e-3f), floatTolerance * Math.max(1, sumRef));
    assertArrayEquals(dwRef, dw, 0f);
    assertEquals(sumRefD, Kernels.addL2Gradient(dwd, wd, 1e-3), 1e-12 * Math.max(1, sumRefD));
    assertArrayEquals(dwdRef, dwd, 0.0);
  }
}
