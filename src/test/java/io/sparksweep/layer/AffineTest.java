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

class AffineTest {
  private static final DType F64 = DType.FLOAT64;

  /** The CS231n affine_forward check cell: linspace inputs and its correct_out. */
  @Test
  void forwardMatchesNotebookCorrectOut() {
    Tensor x = Tensor.linspace(F64, -0.1, 0.5, 2, 4, 5, 6);
    Tensor w = Tensor.linspace(F64, -0.2, 0.3, 120, 3);
    Tensor b = Tensor.linspace(F64, -0.3, 0.1, 3);
    Tensor out = Affine.forward(x, w, b).out();
    double[] correct = {1.49834967, 1.70660132, 1.91485297, 3.25553199, 3.5141327, 3.77273342};
    assertArrayEquals(new int[] {2, 3}, out.shape());
    assertTrue(relError(Tensor.of(F64, correct, 2, 3), out) < 1e-8);
  }

  @Test
  void forwardMatchesNaiveLoops() {
    SplittableRandom rng = new SplittableRandom(7);
    Tensor x = Tensor.randn(F64, rng, 1.0, 3, 2, 4);
    Tensor w = Tensor.randn(F64, rng, 1.0, 8, 5);
    Tensor b = Tensor.randn(F64, rng, 1.0, 5);
    Tensor out = Affine.forward(x, w, b).out();
    for (int n = 0; n < 3; n++) {
      for (int m = 0; m < 5; m++) {
        double s = b.get(m);
        for (int d = 0; d < 8; d++) {
          s += x.getFlat(n * 8 + d) * w.get(d, m);
        }
        assertTrue(Math.abs(s - out.get(n, m)) < 1e-12);
      }
    }
  }

  /** The notebook's affine_backward check: errors around 1e-10. */
  @Test
  void backwardMatchesNumericalGradients() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(F64, rng, 1.0, 10, 2, 3);
    Tensor w = Tensor.randn(F64, rng, 1.0, 6, 5);
    Tensor b = Tensor.randn(F64, rng, 1.0, 5);
    Tensor dout = Tensor.randn(F64, rng, 1.0, 10, 5);

    Tensor dxNum = numericalGradientArray(v -> Affine.forward(v, w, b).out(), x, dout);
    Tensor dwNum = numericalGradientArray(v -> Affine.forward(x, v, b).out(), w, dout);
    Tensor dbNum = numericalGradientArray(v -> Affine.forward(x, w, v).out(), b, dout);

    Affine.Grads g = Affine.backward(dout, Affine.forward(x, w, b).cache());
    assertArrayEquals(x.shape(), g.dx().shape());
    assertTrue(relError(dxNum, g.dx()) < 1e-8, "dx");
    assertTrue(relError(dwNum, g.dw()) < 1e-8, "dw");
    assertTrue(relError(dbNum, g.db()) < 1e-8, "db");
  }

  @Test
  void mismatchedShapesAreNamed() {
    Tensor x = Tensor.zeros(F64, 2, 4);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Affine.forward(x, Tensor.zeros(F64, 5, 3), Tensor.zeros(F64, 3)));
    assertTrue(e.getMessage().contains("w") && e.getMessage().contains("(5, 3)"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Affine.forward(x, Tensor.zeros(F64, 4, 3), Tensor.zeros(F64, 2)));
    assertTrue(e.getMessage().contains("b") && e.getMessage().contains("(2,)"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Affine.forward(
                    x, Tensor.zeros(DType.FLOAT32, 4, 3), Tensor.zeros(DType.FLOAT32, 3)));
    assertTrue(e.getMessage().contains("FLOAT32"), e.getMessage());
    Affine.Cache cache = Affine.forward(x, Tensor.zeros(F64, 4, 3), Tensor.zeros(F64, 3)).cache();
    e =
        assertThrows(
            IllegalArgumentException.class, () -> Affine.backward(Tensor.zeros(F64, 2, 4), cache));
    assertTrue(e.getMessage().contains("dout") && e.getMessage().contains("(2, 4)"));
  }
}
