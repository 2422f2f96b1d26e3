package io.sparksweep.layer;

import static io.sparksweep.gradcheck.GradientCheck.numericalGradientArray;
import static io.sparksweep.gradcheck.GradientCheck.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The sandwich composites: {@link AffineRelu} and {@link AffineNormRelu}. */
class AffineNormReluTest {
  private static final DType F64 = DType.FLOAT64;

  /** The CS231n affine_relu check: x (2, 3, 4), w (12, 10); errors around 1e-10. */
  @Test
  void affineReluBackwardMatchesNumericalGradients() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(F64, rng, 1.0, 2, 3, 4);
    Tensor w = Tensor.randn(F64, rng, 1.0, 12, 10);
    Tensor b = Tensor.randn(F64, rng, 1.0, 10);
    Tensor dout = Tensor.randn(F64, rng, 1.0, 2, 10);
    Affine.Grads g = AffineRelu.backward(dout, AffineRelu.forward(x, w, b).cache());
    assertTrue(
        relError(numericalGradientArray(v -> AffineRelu.forward(v, w, b).out(), x, dout), g.dx())
            < 1e-8);
    assertTrue(
        relError(numericalGradientArray(v -> AffineRelu.forward(x, v, b).out(), w, dout), g.dw())
            < 1e-8);
    assertTrue(
        relError(numericalGradientArray(v -> AffineRelu.forward(x, w, v).out(), b, dout), g.db())
            < 1e-8);
  }

  @Test
  void withoutNormOrDropoutItIsAffineRelu() {
    SplittableRandom rng = new SplittableRandom(5);
    Tensor x = Tensor.randn(F64, rng, 1.0, 3, 6);
    Tensor w = Tensor.randn(F64, rng, 1.0, 6, 4);
    Tensor b = Tensor.randn(F64, rng, 1.0, 4);
    Forward<AffineNormRelu.Cache> f =
        AffineNormRelu.forward(x, w, b, AffineNormRelu.Norm.none(), 1.0, Mode.TRAIN, null);
    assertArrayEquals(
        AffineRelu.forward(x, w, b).out().toDoubleArray(), f.out().toDoubleArray(), 0.0);
    AffineNormRelu.Grads g = AffineNormRelu.backward(Tensor.full(F64, 1, 3, 4), f.cache());
    assertNull(g.dgamma());
    assertNull(g.dbeta());
  }

  enum Kind {
    NONE,
    BATCH,
    LAYER
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(Kind.NONE, 1.0),
        Arguments.of(Kind.NONE, 0.5),
        Arguments.of(Kind.BATCH, 1.0),
        Arguments.of(Kind.BATCH, 0.5),
        Arguments.of(Kind.LAYER, 1.0),
        Arguments.of(Kind.LAYER, 0.5));
  }

  private static AffineNormRelu.Norm norm(Kind kind, Tensor gamma, Tensor beta) {
    switch (kind) {
      case BATCH:
        return AffineNormRelu.Norm.batch(gamma, beta, RunningStats.zeros(F64, gamma.size()));
      case LAYER:
        return AffineNormRelu.Norm.layer(gamma, beta);
      default:
        return AffineNormRelu.Norm.none();
    }
  }

  /**
   * Every input and parameter in train mode. The dropout generator is reseeded on every evaluation,
   * so each sees the same mask.
   */
  @ParameterizedTest(name = "{0}, keep {1}")
  @MethodSource("cases")
  void backwardMatchesNumericalGradients(Kind kind, double keep) {
    SplittableRandom rng = new SplittableRandom(17);
    Tensor x = Tensor.randn(F64, rng, 1.0, 5, 2, 3);
    Tensor w = Tensor.randn(F64, rng, 1.0, 6, 7);
    Tensor b = Tensor.randn(F64, rng, 1.0, 7);
    Tensor gamma = Tensor.randn(F64, rng, 1.0, 7);
    Tensor beta = Tensor.randn(F64, rng, 1.0, 7);
    Tensor dout = Tensor.randn(F64, rng, 1.0, 5, 7);
    Function<Tensor[], Tensor> f =
        a ->
            AffineNormRelu.forward(
                    a[0],
                    a[1],
                    a[2],
                    norm(kind, a[3], a[4]),
                    keep,
                    Mode.TRAIN,
                    new SplittableRandom(99))
                .out();
    Tensor[] args = {x, w, b, gamma, beta};
    AffineNormRelu.Grads g =
        AffineNormRelu.backward(
            dout,
            AffineNormRelu.forward(
                    x, w, b, norm(kind, gamma, beta), keep, Mode.TRAIN, new SplittableRandom(99))
                .cache());
    Tensor[] analytic = {g.dx(), g.dw(), g.db(), g.dgamma(), g.dbeta()};
    String[] names = {"dx", "dw", "db", "dgamma", "dbeta"};
    int checked = kind == Kind.NONE ? 3 : 5;
    for (int k = 0; k < checked; k++) {
      int which = k;
      Tensor numeric =
          numericalGradientArray(
              v -> {
                Tensor[] a = args.clone();
                a[which] = v;
                return f.apply(a);
              },
              args[k],
              dout);
      double err = relError(numeric, analytic[k]);
      // Batchnorm makes b irrelevant: both gradients are ~0 and rel_error compares noise.
      if (kind == Kind.BATCH && k == 2) {
        assertTrue(numeric.maxAbs() < 1e-9 && analytic[k].maxAbs() < 1e-12, "db is zero");
        continue;
      }
      assertTrue(err < 1e-7, names[k] + " " + err);
    }
  }

  @Test
  void badKeepProbabilityIsRejected() {
    Tensor x = Tensor.zeros(F64, 2, 3);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                AffineNormRelu.forward(
                    x,
                    Tensor.zeros(F64, 3, 2),
                    Tensor.zeros(F64, 2),
                    AffineNormRelu.Norm.none(),
                    1.2,
                    Mode.TRAIN,
                    new SplittableRandom(1)));
    assertTrue(e.getMessage().contains("1.2"));
  }
}
