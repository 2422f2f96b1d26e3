package io.sparksweep.layer;

import static io.sparksweep.gradcheck.GradientCheck.numericalGradientArray;
import static io.sparksweep.gradcheck.GradientCheck.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LayerNormTest {
  private static final DType F64 = DType.FLOAT64;

  /** Population standard deviation of each row, computed directly. */
  private static double[] rowStds(Tensor a) {
    return BatchNormTest.columnStds(a.transpose());
  }

  /** Notebook cell 158: N, D1, D2, D3 = 4, 50, 60, 3; per-example (row) statistics. */
  @Test
  void perExampleMeansAreBetaAndStdsAreGamma() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(F64, rng, 1.0, 4, 50);
    Tensor w1 = Tensor.randn(F64, rng, 1.0, 50, 60);
    Tensor w2 = Tensor.randn(F64, rng, 1.0, 60, 3);
    Tensor a = BatchNormTest.twoLayerActivations(x, w1, w2);
    for (double s : rowStds(a)) {
      assertTrue(s > 1, "activation row stds should be far from 1 before normalization");
    }

    Tensor out = LayerNorm.forward(a, Tensor.full(F64, 1, 3), Tensor.zeros(F64, 3)).out();
    assertArrayEquals(new double[4], out.meanColumns().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {1, 1, 1, 1}, rowStds(out), 1e-6);

    Tensor gamma = Tensor.full(F64, 3, 3);
    Tensor beta = Tensor.full(F64, 5, 3);
    out = LayerNorm.forward(a, gamma, beta).out();
    assertArrayEquals(new double[] {5, 5, 5, 5}, out.meanColumns().toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {3, 3, 3, 3}, rowStds(out), 3e-6);
  }

  @Test
  void normalizesEachExampleAloneUnlikeBatchnorm() {
    // Row 2 is row 1 shifted and scaled: layernorm maps both to the same output.
    Tensor x = Tensor.of(F64, new double[] {1, 2, 4, 13, 16, 22}, 2, 3);
    Tensor gamma = Tensor.of(F64, new double[] {1, -2, 0.5}, 3);
    Tensor beta = Tensor.of(F64, new double[] {0.1, 0.2, 0.3}, 3);
    Tensor out = LayerNorm.forward(x, gamma, beta, 1e-12).out();
    double mean = 7.0 / 3;
    double std =
        Math.sqrt(
            ((1 - mean) * (1 - mean) + (2 - mean) * (2 - mean) + (4 - mean) * (4 - mean)) / 3);
    double[] row = {
      (1 - mean) / std * 1 + 0.1, (2 - mean) / std * -2 + 0.2, (4 - mean) / std * 0.5 + 0.3
    };
    for (int j = 0; j < 3; j++) {
      assertEquals(row[j], out.get(0, j), 1e-9);
      assertEquals(row[j], out.get(1, j), 1e-9);
    }
  }

  /** Notebook cell 175: N, D = 4, 5, x = 5·randn + 12; errors ≤ 1e-8 (see BatchNormTest). */
  @Test
  void backwardMatchesNumericalGradients() {
    SplittableRandom rng = new SplittableRandom(0);
    Tensor x = Tensor.randn(F64, rng, 5.0, 4, 5).addScalarInPlace(12);
    Tensor gamma = Tensor.randn(F64, rng, 1.0, 5);
    Tensor beta = Tensor.randn(F64, rng, 1.0, 5);
    Tensor dout = Tensor.randn(F64, rng, 1.0, 4, 5);

    Tensor dxNum = numericalGradientArray(v -> LayerNorm.forward(v, gamma, beta).out(), x, dout);
    Tensor dgNum =
        numericalGradientArray(v -> LayerNorm.forward(x, v, beta).out(), gamma.copy(), dout);
    Tensor dbNum =
        numericalGradientArray(v -> LayerNorm.forward(x, gamma, v).out(), beta.copy(), dout);

    LayerNorm.Grads g = LayerNorm.backward(dout, LayerNorm.forward(x, gamma, beta).cache());
    assertTrue(relError(dxNum, g.dx()) < 1e-8, "dx " + relError(dxNum, g.dx()));
    assertTrue(relError(dgNum, g.dgamma()) < 1e-8, "dgamma");
    assertTrue(relError(dbNum, g.dbeta()) < 1e-8, "dbeta");
  }

  /** dx against the closed form in 50-digit arithmetic, elementwise rel_error ≤ 1e-11. */
  @ParameterizedTest
  @ValueSource(longs = {0, 4, 493})
  void backwardMatchesHighPrecisionClosedForm(long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.randn(F64, rng, 5.0, 6, 7).addScalarInPlace(12);
    Tensor gamma = Tensor.randn(F64, rng, 1.0, 7);
    Tensor beta = Tensor.randn(F64, rng, 1.0, 7);
    Tensor dout = Tensor.randn(F64, rng, 1.0, 6, 7);
    Tensor dx = LayerNorm.backward(dout, LayerNorm.forward(x, gamma, beta).cache()).dx();
    Tensor reference = HighPrecision.layernormDx(x, gamma, dout, LayerNorm.DEFAULT_EPS);
    assertTrue(relError(reference, dx) <= 1e-11, "dx " + relError(reference, dx));
  }

  @Test
  void badArgumentsAreNamed() {
    Tensor x = Tensor.zeros(F64, 4, 3);
    Tensor ok = Tensor.zeros(F64, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> LayerNorm.forward(x, ok, Tensor.zeros(F64, 4)));
    assertTrue(e.getMessage().contains("beta") && e.getMessage().contains("(4,)"));
    e = assertThrows(IllegalArgumentException.class, () -> LayerNorm.forward(x, ok, ok, -1e-5));
    assertTrue(e.getMessage().contains("eps") && e.getMessage().contains("-1.0E-5"));
  }
}
