package io.sparksweep.layer;

import static io.sparksweep.layer.ConvTestSupport.assertFloat32Matches;
import static io.sparksweep.layer.ConvTestSupport.assertRejected;
import static io.sparksweep.layer.ConvTestSupport.assertRelError;
import static io.sparksweep.layer.ConvTestSupport.normRelError;
import static io.sparksweep.layer.ConvTestSupport.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.gradcheck.GradientCheck;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SpatialGroupNormTest {

  private static Tensor normal(SplittableRandom rng, double scale, double shift, int... shape) {
    return Tensor.randn(DType.FLOAT64, rng, scale, shape).addScalarInPlace(shift);
  }

  @Test
  void eachSampleGroupIsNormalizedToZeroMeanUnitStd() {
    SplittableRandom rng = new SplittableRandom(493);
    int n = 2;
    int c = 6;
    int groups = 2;
    Tensor x = normal(rng, 4, 10, n, c, 4, 5);
    Tensor out =
        SpatialGroupNorm.forward(
                x,
                Tensor.full(DType.FLOAT64, 1, 1, c, 1, 1),
                Tensor.zeros(DType.FLOAT64, 1, c, 1, 1),
                groups)
            .out();
    // The notebook's check: out.reshape((N*G, -1)) has row means ≈ 0 and row stds ≈ 1.
    Tensor rows = out.reshape(n * groups, -1);
    double[] means = rows.meanColumns().toDoubleArray();
    double[] vars = rows.varColumns().toDoubleArray();
    for (int r = 0; r < n * groups; r++) {
      assertEquals(0, means[r], 1e-12, "mean of group row " + r);
      assertEquals(1, Math.sqrt(vars[r]), 1e-5, "std of group row " + r);
    }
  }

  @Test
  void forwardMatchesTheDefinitionWithPerChannelScaleAndShift() {
    SplittableRandom rng = new SplittableRandom(1);
    int n = 3;
    int c = 6;
    int h = 2;
    int w = 3;
    int groups = 3;
    double eps = 1e-5;
    Tensor x = normal(rng, 2, -1, n, c, h, w);
    Tensor gamma = randn(rng, 1, c, 1, 1);
    Tensor beta = randn(rng, 1, c, 1, 1);
    Tensor out = SpatialGroupNorm.forward(x, gamma, beta, groups, eps).out();
    int per = c / groups;
    for (int in = 0; in < n; in++) {
      for (int g = 0; g < groups; g++) {
        double s = 0;
        double ss = 0;
        int m = per * h * w;
        for (int k = 0; k < per; k++) {
          for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
              double v = x.get(in, g * per + k, i, j);
              s += v;
              ss += v * v;
            }
          }
        }
        double mean = s / m;
        double var = ss / m - mean * mean;
        for (int k = 0; k < per; k++) {
          int ch = g * per + k;
          for (int i = 0; i < h; i++) {
            for (int j = 0; j < w; j++) {
              double expected =
                  gamma.get(0, ch, 0, 0) * (x.get(in, ch, i, j) - mean) / Math.sqrt(var + eps)
                      + beta.get(0, ch, 0, 0);
              assertEquals(expected, out.get(in, ch, i, j), 1e-10);
            }
          }
        }
      }
    }
  }

  @Test
  void backwardPassesTheNotebooksGradientCheck() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = normal(rng, 5, 12, 2, 6, 4, 5);
    Tensor gamma = randn(rng, 1, 6, 1, 1);
    Tensor beta = randn(rng, 1, 6, 1, 1);
    Tensor dout = randn(rng, 2, 6, 4, 5);
    Tensor[] num = numericGrads(x, gamma, beta, dout, 2);
    SpatialGroupNormGrads g =
        SpatialGroupNorm.backward(dout, SpatialGroupNorm.forward(x, gamma, beta, 2).cache());
    assertArrayEquals(new int[] {1, 6, 1, 1}, g.dgamma().shape());
    // Notebook (G = 2): "You should expect errors of magnitudes between 1e-12 and 1e-07."
    assertRelError(g.dx(), num[0], 1e-7, "dx");
    assertRelError(g.dgamma(), num[1], 1e-7, "dgamma");
    assertRelError(g.dbeta(), num[2], 1e-7, "dbeta");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3, 6})
  void backwardMatchesNumericGradientsForEveryGrouping(int groups) {
    // Layer norm (G = 1), an intermediate grouping and instance norm (G = C). Elementwise
    // rel_error is dominated here by finite-difference noise on dx entries near 1e-4, so compare
    // normwise: max |analytic − numeric| / max |numeric|.
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = normal(rng, 5, 12, 2, 6, 4, 5);
    Tensor gamma = randn(rng, 1, 6, 1, 1);
    Tensor beta = randn(rng, 1, 6, 1, 1);
    Tensor dout = randn(rng, 2, 6, 4, 5);
    Tensor[] num = numericGrads(x, gamma, beta, dout, groups);
    SpatialGroupNormGrads g =
        SpatialGroupNorm.backward(dout, SpatialGroupNorm.forward(x, gamma, beta, groups).cache());
    assertTrue(normRelError(g.dx(), num[0]) < 1e-8, "dx");
    assertTrue(normRelError(g.dgamma(), num[1]) < 1e-8, "dgamma");
    assertTrue(normRelError(g.dbeta(), num[2]) < 1e-8, "dbeta");
  }

  private static Tensor[] numericGrads(
      Tensor x, Tensor gamma, Tensor beta, Tensor dout, int groups) {
    return new Tensor[] {
      GradientCheck.numericalGradientArray(
          v -> SpatialGroupNorm.forward(v, gamma, beta, groups).out(), x, dout),
      GradientCheck.numericalGradientArray(
          v -> SpatialGroupNorm.forward(x, v, beta, groups).out(), gamma, dout),
      GradientCheck.numericalGradientArray(
          v -> SpatialGroupNorm.forward(x, gamma, v, groups).out(), beta, dout)
    };
  }

  @Test
  void float32MatchesFloat64() {
    SplittableRandom rng = new SplittableRandom(12);
    Tensor x = normal(rng, 3, 4, 3, 6, 5, 4);
    Tensor gamma = randn(rng, 1, 6, 1, 1);
    Tensor beta = randn(rng, 1, 6, 1, 1);
    Forward<SpatialGroupNormCache> f64 = SpatialGroupNorm.forward(x, gamma, beta, 3);
    Forward<SpatialGroupNormCache> f32 =
        SpatialGroupNorm.forward(
            x.to(DType.FLOAT32), gamma.to(DType.FLOAT32), beta.to(DType.FLOAT32), 3);
    assertFloat32Matches(f64.out(), f32.out(), "out");
    Tensor dout = randn(rng, x.shape());
    SpatialGroupNormGrads g64 = SpatialGroupNorm.backward(dout, f64.cache());
    SpatialGroupNormGrads g32 = SpatialGroupNorm.backward(dout.to(DType.FLOAT32), f32.cache());
    assertFloat32Matches(g64.dx(), g32.dx(), "dx");
    assertFloat32Matches(g64.dgamma(), g32.dgamma(), "dgamma");
    assertFloat32Matches(g64.dbeta(), g32.dbeta(), "dbeta");
  }

  @Test
  void badArgumentsFailAtOnceNamingTheArgument() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 6, 4, 5);
    Tensor ok = Tensor.zeros(DType.FLOAT64, 1, 6, 1, 1);
    assertRejected(
        () -> SpatialGroupNorm.forward(x, ok, ok, 4), "G = 4", "C = 6", "(2, 6, 4, 5)", "divisor");
    assertRejected(() -> SpatialGroupNorm.forward(x, ok, ok, 0), "G = 0");
    assertRejected(
        () -> SpatialGroupNorm.forward(x, Tensor.zeros(DType.FLOAT64, 6), ok, 2),
        "gamma",
        "(6,)",
        "(1, 6, 1, 1)");
    assertRejected(
        () -> SpatialGroupNorm.forward(x, ok, Tensor.zeros(DType.FLOAT64, 1, 3, 1, 1), 2),
        "beta",
        "(1, 3, 1, 1)",
        "(1, 6, 1, 1)");
    assertRejected(() -> SpatialGroupNorm.forward(x, ok, ok, 2, 0.0), "eps = 0.0");
  }
}
