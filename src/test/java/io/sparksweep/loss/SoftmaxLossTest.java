package io.sparksweep.loss;

import static io.sparksweep.gradcheck.GradientCheck.numericalGradient;
import static io.sparksweep.gradcheck.GradientCheck.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SoftmaxLossTest {
  private static final DType F64 = DType.FLOAT64;

  private static int[] randomLabels(SplittableRandom rng, int n, int c) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(c);
    }
    return y;
  }

  /** The CS231n softmax_loss check: scores 0.001·randn(50, 10); loss ≈ ln 10, dx error ~1e-8. */
  @Test
  void randomScoresGiveLnNumClassesAndMatchNumericalGradient() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor scores = Tensor.randn(F64, rng, 0.001, 50, 10);
    int[] y = randomLabels(rng, 50, 10);
    DataLoss result = SoftmaxLoss.compute(scores, y);
    assertEquals(Math.log(10), result.loss(), 0.01);
    Tensor dxNum = numericalGradient(s -> SoftmaxLoss.compute(s, y).loss(), scores);
    assertTrue(relError(dxNum, result.dscores()) < 1e-7, "" + relError(dxNum, result.dscores()));
  }

  @Test
  void matchesTheDefinitionOnASmallExample() {
    Tensor scores = Tensor.of(F64, new double[] {1, 2, 3, -1, 0.5, 0}, 2, 3);
    int[] y = {2, 0};
    double z0 = Math.exp(1) + Math.exp(2) + Math.exp(3);
    double z1 = Math.exp(-1) + Math.exp(0.5) + Math.exp(0);
    double expected = -(Math.log(Math.exp(3) / z0) + Math.log(Math.exp(-1) / z1)) / 2;
    DataLoss r = SoftmaxLoss.compute(scores, y);
    assertEquals(expected, r.loss(), 1e-14);
    double[] d = {
      Math.exp(1) / z0 / 2,
      Math.exp(2) / z0 / 2,
      (Math.exp(3) / z0 - 1) / 2,
      (Math.exp(-1) / z1 - 1) / 2,
      Math.exp(0.5) / z1 / 2,
      Math.exp(0) / z1 / 2
    };
    assertArrayEquals(d, r.dscores().toDoubleArray(), 1e-15);
  }

  @Test
  void hugeScoresStayFiniteAndShiftInvariant() {
    Tensor scores = Tensor.of(F64, new double[] {1000, 1001, 999, -800, -801, -799.5}, 2, 3);
    Tensor shifted = Tensor.of(F64, new double[] {1, 2, 0, 1, 0, 1.5}, 2, 3);
    int[] y = {1, 2};
    DataLoss big = SoftmaxLoss.compute(scores, y);
    DataLoss small = SoftmaxLoss.compute(shifted, y);
    assertTrue(Double.isFinite(big.loss()) && big.dscores().allFinite());
    assertEquals(small.loss(), big.loss(), 1e-12);
    assertArrayEquals(small.dscores().toDoubleArray(), big.dscores().toDoubleArray(), 1e-12);
    // float32 scores where exp(1000) would overflow a float.
    DataLoss f32 = SoftmaxLoss.compute(scores.to(DType.FLOAT32), y);
    assertEquals(DType.FLOAT32, f32.dscores().dtype());
    assertEquals(small.loss(), f32.loss(), 1e-4);
  }

  /**
   * Scores 60–120 apart: in float32, dscores holds no subnormal (Intel cores run 5× slower on
   * them), the underflowing entries are 0 and the rest is the float64 gradient rounded; float64
   * keeps the tiny entries.
   */
  @Test
  void float32GradientsOfUnderflowingProbabilitiesAreZeroNotSubnormal() {
    double[] s = {0, -60, -90, -120, 5, -10, 2, -100};
    int[] y = {0, 2};
    Tensor d64 = SoftmaxLoss.compute(Tensor.of(F64, s, 2, 4), y).dscores();
    Tensor d32 = SoftmaxLoss.compute(Tensor.of(DType.FLOAT32, s, 2, 4), y).dscores();
    int flushed = 0;
    for (int i = 0; i < s.length; i++) {
      double exact = d64.getFlat(i);
      float f = d32.f32()[i];
      assertTrue(f == 0 || Math.abs(f) >= Float.MIN_NORMAL, "entry " + i + " is subnormal: " + f);
      if (exact != 0 && Math.abs(exact) < SoftmaxLoss.FLUSH_BELOW_F32) { // float64 keeps it
        assertEquals(0f, f, "entry " + i + " (" + exact + ")");
        flushed++;
      } else {
        assertEquals((float) exact, f, "entry " + i);
      }
    }
    // e^-60/2 ≈ 4e-27 stays; e^-90/2, e^-120/2 and e^-105/2 go (the second row's max is 5)
    assertEquals(3, flushed);
  }

  @Test
  void float32MatchesFloat64() {
    SplittableRandom rng = new SplittableRandom(3);
    Tensor scores = Tensor.randn(DType.FLOAT32, rng, 3.0, 20, 10);
    int[] y = randomLabels(rng, 20, 10);
    DataLoss d = SoftmaxLoss.compute(scores.to(F64), y);
    DataLoss f = SoftmaxLoss.compute(scores, y);
    assertEquals(d.loss(), f.loss(), 1e-4 * d.loss());
    double err = d.dscores().sub(f.dscores().to(F64)).maxAbs() / d.dscores().maxAbs();
    assertTrue(err <= 1e-4, "dscores " + err);
  }

  @Test
  void badLabelsAndShapesAreNamed() {
    Tensor scores = Tensor.zeros(F64, 2, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> SoftmaxLoss.compute(scores, new int[] {0, 3}));
    assertTrue(e.getMessage().contains("y[1] = 3"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SoftmaxLoss.compute(scores, new int[] {-1, 0}));
    assertTrue(e.getMessage().contains("y[0] = -1"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class, () -> SoftmaxLoss.compute(scores, new int[] {0}));
    assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("1 labels"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SoftmaxLoss.compute(Tensor.zeros(F64, 6), new int[] {0}));
    assertTrue(e.getMessage().contains("(6,)"), e.getMessage());
  }
}
