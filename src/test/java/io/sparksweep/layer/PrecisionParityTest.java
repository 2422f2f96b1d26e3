package io.sparksweep.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every layer's float32 forward output and backward gradients match its float64 ones on the same
 * inputs, to a normwise relative error {@code max |f32 − f64| / max |f64|} ≤ 1e-4 (elementwise
 * relative errors are meaningless for outputs near zero).
 */
class PrecisionParityTest {
  private static final double TOLERANCE = 1e-4;

  private static void assertClose(String what, Tensor f64, Tensor f32) {
    assertTrue(f32.dtype() == DType.FLOAT32 && f64.dtype() == DType.FLOAT64, what + " dtypes");
    assertArrayEquals(f64.shape(), f32.shape(), what + " shape");
    double scale = Math.max(f64.maxAbs(), 1e-30);
    double err = f64.sub(f32.to(DType.FLOAT64)).maxAbs() / scale;
    assertTrue(err <= TOLERANCE, what + ": relative difference " + err);
    assertTrue(f64.maxAbs() > 0, what + " is all zeros: the comparison proves nothing");
  }

  /** Random float64 inputs (scaled, shifted) and their exact float32 roundings. */
  private static Tensor[] pair(SplittableRandom rng, double scale, double shift, int... shape) {
    Tensor d = Tensor.randn(DType.FLOAT64, rng, scale, shape).addScalarInPlace(shift);
    Tensor f = d.to(DType.FLOAT32);
    // Use the float32 values in both precisions so only the arithmetic differs.
    return new Tensor[] {f.to(DType.FLOAT64), f};
  }

  private static void compare(String what, Function<Integer, Tensor[]> run) {
    Tensor[] d = run.apply(0);
    Tensor[] f = run.apply(1);
    for (int i = 0; i < d.length; i++) {
      assertClose(what + " #" + i, d[i], f[i]);
    }
  }

  @Test
  void affine() {
    SplittableRandom rng = new SplittableRandom(1);
    Tensor[] x = pair(rng, 1, 0, 8, 3, 4);
    Tensor[] w = pair(rng, 0.1, 0, 12, 5);
    Tensor[] b = pair(rng, 1, 0, 5);
    Tensor[] dout = pair(rng, 1, 0, 8, 5);
    compare(
        "affine",
        p -> {
          Forward<Affine.Cache> f = Affine.forward(x[p], w[p], b[p]);
          Affine.Grads g = Affine.backward(dout[p], f.cache());
          return new Tensor[] {f.out(), g.dx(), g.dw(), g.db()};
        });
  }

  @Test
  void relu() {
    SplittableRandom rng = new SplittableRandom(2);
    Tensor[] x = pair(rng, 1, 0, 8, 5);
    Tensor[] dout = pair(rng, 1, 0, 8, 5);
    compare(
        "relu",
        p -> {
          Forward<Relu.Cache> f = Relu.forward(x[p]);
          return new Tensor[] {f.out(), Relu.backward(dout[p], f.cache())};
        });
  }

  @Test
  void batchNormBothModesAndBothBackwardPasses() {
    SplittableRandom rng = new SplittableRandom(3);
    Tensor[] x = pair(rng, 5, 12, 16, 6);
    Tensor[] gamma = pair(rng, 1, 0, 6);
    Tensor[] beta = pair(rng, 1, 0, 6);
    Tensor[] dout = pair(rng, 1, 0, 16, 6);
    compare(
        "batchnorm",
        p -> {
          DType dtype = x[p].dtype();
          RunningStats stats = RunningStats.zeros(dtype, 6);
          Forward<BatchNorm.Cache> train =
              BatchNorm.forward(x[p], gamma[p], beta[p], Mode.TRAIN, stats);
          BatchNorm.Grads g = BatchNorm.backward(dout[p], train.cache());
          BatchNorm.Grads alt = BatchNorm.backwardAlt(dout[p], train.cache());
          Forward<BatchNorm.Cache> test =
              BatchNorm.forward(x[p], gamma[p], beta[p], Mode.TEST, stats);
          BatchNorm.Grads gt = BatchNorm.backward(dout[p], test.cache());
          return new Tensor[] {
            train.out(),
            g.dx(),
            g.dgamma(),
            g.dbeta(),
            alt.dx(),
            stats.mean(),
            stats.var(),
            test.out(),
            gt.dx()
          };
        });
  }

  @Test
  void layerNorm() {
    SplittableRandom rng = new SplittableRandom(4);
    Tensor[] x = pair(rng, 5, 12, 16, 6);
    Tensor[] gamma = pair(rng, 1, 0, 6);
    Tensor[] beta = pair(rng, 1, 0, 6);
    Tensor[] dout = pair(rng, 1, 0, 16, 6);
    compare(
        "layernorm",
        p -> {
          Forward<LayerNorm.Cache> f = LayerNorm.forward(x[p], gamma[p], beta[p]);
          LayerNorm.Grads g = LayerNorm.backward(dout[p], f.cache());
          return new Tensor[] {f.out(), g.dx(), g.dgamma(), g.dbeta()};
        });
  }

  @Test
  void dropoutDrawsTheSameMaskInBothPrecisions() {
    SplittableRandom rng = new SplittableRandom(5);
    Tensor[] x = pair(rng, 1, 0, 20, 10);
    Tensor[] dout = pair(rng, 1, 0, 20, 10);
    compare(
        "dropout",
        p -> {
          Forward<Dropout.Cache> f =
              Dropout.forward(x[p], 0.3, Mode.TRAIN, new SplittableRandom(7));
          return new Tensor[] {f.out(), Dropout.backward(dout[p], f.cache())};
        });
  }

  @Test
  void affineNormReluWithEveryNormalization() {
    SplittableRandom rng = new SplittableRandom(6);
    Tensor[] x = pair(rng, 1, 0, 16, 10);
    Tensor[] w = pair(rng, 0.3, 0, 10, 8);
    Tensor[] b = pair(rng, 0.1, 0, 8);
    Tensor[] gamma = pair(rng, 1, 1, 8);
    Tensor[] beta = pair(rng, 0.1, 0, 8);
    Tensor[] dout = pair(rng, 1, 0, 16, 8);
    for (int kind = 0; kind < 3; kind++) {
      int k = kind;
      compare(
          "affine-norm-relu " + kind,
          p -> {
            AffineNormRelu.Norm norm =
                k == 0
                    ? AffineNormRelu.Norm.none()
                    : k == 1
                        ? AffineNormRelu.Norm.batch(
                            gamma[p], beta[p], RunningStats.zeros(x[p].dtype(), 8))
                        : AffineNormRelu.Norm.layer(gamma[p], beta[p]);
            Forward<AffineNormRelu.Cache> f =
                AffineNormRelu.forward(
                    x[p], w[p], b[p], norm, 0.6, Mode.TRAIN, new SplittableRandom(8));
            AffineNormRelu.Grads g = AffineNormRelu.backward(dout[p], f.cache());
            return k == 0
                ? new Tensor[] {f.out(), g.dx(), g.dw(), g.db()}
                : new Tensor[] {f.out(), g.dx(), g.dw(), g.dgamma(), g.dbeta()};
          });
    }
  }
}
