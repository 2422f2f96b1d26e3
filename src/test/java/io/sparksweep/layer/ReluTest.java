package io.sparksweep.layer;

import static io.sparksweep.gradcheck.GradientCheck.numericalGradientArray;
import static io.sparksweep.gradcheck.GradientCheck.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReluTest {
  private static final DType F64 = DType.FLOAT64;

  /** The CS231n relu_forward check cell and its correct_out. */
  @Test
  void forwardMatchesNotebookCorrectOut() {
    Tensor x = Tensor.linspace(F64, -0.5, 0.5, 3, 4);
    double[] correct = {
      0, 0, 0, 0, 0, 0, 0.04545455, 0.13636364, 0.22727273, 0.31818182, 0.40909091, 0.5
    };
    Tensor out = Relu.forward(x).out();
    assertArrayEquals(correct, out.toDoubleArray(), 5e-9);
  }

  @Test
  void backwardMatchesNumericalGradient() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(F64, rng, 1.0, 10, 10);
    Tensor dout = Tensor.randn(F64, rng, 1.0, 10, 10);
    Tensor dxNum = numericalGradientArray(v -> Relu.forward(v).out(), x, dout);
    Tensor dx = Relu.backward(dout, Relu.forward(x).cache());
    assertTrue(relError(dxNum, dx) < 1e-10);
  }

  @Test
  void backwardRejectsMismatchedDout() {
    Relu.Cache cache = Relu.forward(Tensor.zeros(F64, 3, 4)).cache();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Relu.backward(Tensor.zeros(F64, 4, 3), cache));
    assertTrue(e.getMessage().contains("dout") && e.getMessage().contains("(4, 3)"));
  }
}
