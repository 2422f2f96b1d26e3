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

class SvmLossTest {
  private static final DType F64 = DType.FLOAT64;

  /** The CS231n svm_loss check: scores 0.001·randn(50, 10); loss ≈ 9, dx error ~1e-9. */
  @Test
  void randomScoresGiveNumClassesMinusOneAndMatchNumericalGradient() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor scores = Tensor.randn(F64, rng, 0.001, 50, 10);
    int[] y = new int[50];
    for (int i = 0; i < 50; i++) {
      y[i] = rng.nextInt(10);
    }
    DataLoss result = SvmLoss.compute(scores, y);
    assertEquals(9, result.loss(), 0.01);
    Tensor dxNum = numericalGradient(s -> SvmLoss.compute(s, y).loss(), scores);
    assertTrue(relError(dxNum, result.dscores()) < 1e-8, "" + relError(dxNum, result.dscores()));
  }

  @Test
  void matchesTheDefinitionOnASmallExample() {
    // Row 0, y = 0: margins 2 − 3 + 1 = 0 (not positive), 3.5 − 3 + 1 = 1.5.
    // Row 1, y = 2: margins 1 − 0 + 1 = 2, −2 − 0 + 1 = −1.
    Tensor scores = Tensor.of(F64, new double[] {3, 2, 3.5, 1, -2, 0}, 2, 3);
    DataLoss r = SvmLoss.compute(scores, new int[] {0, 2});
    assertEquals((1.5 + 2) / 2, r.loss(), 1e-15);
    assertArrayEquals(
        new double[] {-0.5, 0, 0.5, 0.5, 0, -0.5}, r.dscores().toDoubleArray(), 1e-15);
  }

  @Test
  void float32MatchesFloat64() {
    SplittableRandom rng = new SplittableRandom(3);
    Tensor scores = Tensor.randn(DType.FLOAT32, rng, 1.0, 20, 10);
    int[] y = new int[20];
    for (int i = 0; i < 20; i++) {
      y[i] = rng.nextInt(10);
    }
    DataLoss d = SvmLoss.compute(scores.to(F64), y);
    DataLoss f = SvmLoss.compute(scores, y);
    assertEquals(d.loss(), f.loss(), 1e-4 * d.loss());
    assertArrayEquals(d.dscores().toDoubleArray(), f.dscores().toDoubleArray(), 1e-4 * 0.05);
  }

  @Test
  void labelOutOfRangeIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SvmLoss.compute(Tensor.zeros(F64, 2, 3), new int[] {0, 7}));
    assertTrue(e.getMessage().contains("y[1] = 7") && e.getMessage().contains("[0, 3)"));
  }
}
