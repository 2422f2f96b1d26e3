package io.sparksweep.layer;

import static io.sparksweep.layer.ConvTestSupport.assertFloat32Matches;
import static io.sparksweep.layer.ConvTestSupport.assertRejected;
import static io.sparksweep.layer.ConvTestSupport.assertRelError;
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
import org.junit.jupiter.params.provider.EnumSource;

class SpatialBatchNormTest {

  /** {@code scale * randn(shape) + shift}. */
  private static Tensor normal(SplittableRandom rng, double scale, double shift, int... shape) {
    return Tensor.randn(DType.FLOAT64, rng, scale, shape).addScalarInPlace(shift);
  }

  /** Per-channel {@code x.mean(axis=(0, 2, 3))} and {@code x.std(axis=(0, 2, 3))}, by hand. */
  private static double[][] channelMeanStd(Tensor x) {
    int n = x.dim(0);
    int c = x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    double[][] ms = new double[2][c];
    for (int ic = 0; ic < c; ic++) {
      double s = 0;
      for (int in = 0; in < n; in++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            s += x.get(in, ic, i, j);
          }
        }
      }
      double mean = s / (n * h * w);
      double v = 0;
      for (int in = 0; in < n; in++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            double d = x.get(in, ic, i, j) - mean;
            v += d * d;
          }
        }
      }
      ms[0][ic] = mean;
      ms[1][ic] = Math.sqrt(v / (n * h * w));
    }
    return ms;
  }

  @Test
  void trainForwardGivesChannelMeansBetaAndStdsGamma() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = normal(rng, 4, 10, 2, 3, 4, 5);
    // gamma = 1, beta = 0: means ≈ 0, stds ≈ 1 (slightly below, by eps).
    Tensor out =
        SpatialBatchNorm.forward(
                x,
                Tensor.full(DType.FLOAT64, 1, 3),
                Tensor.zeros(DType.FLOAT64, 3),
                Mode.TRAIN,
                RunningStats.zeros(DType.FLOAT64, 3))
            .out();
    double[][] ms = channelMeanStd(out);
    for (int c = 0; c < 3; c++) {
      assertEquals(0, ms[0][c], 1e-12, "mean of channel " + c);
      assertEquals(1, ms[1][c], 1e-5, "std of channel " + c);
    }
    // Notebook's nontrivial gamma (3, 4, 5) and beta (6, 7, 8).
    out =
        SpatialBatchNorm.forward(
                x,
                Tensor.of(DType.FLOAT64, new double[] {3, 4, 5}, 3),
                Tensor.of(DType.FLOAT64, new double[] {6, 7, 8}, 3),
                Mode.TRAIN,
                RunningStats.zeros(DType.FLOAT64, 3))
            .out();
    ms = channelMeanStd(out);
    for (int c = 0; c < 3; c++) {
      assertEquals(6 + c, ms[0][c], 1e-10, "mean of channel " + c);
      assertEquals(3 + c, ms[1][c], 1e-4 * (3 + c), "std of channel " + c);
    }
  }

  @Test
  void trainStepUpdatesRunningStatsWithMomentumTowardTheBatchStatistics() {
    SplittableRandom rng = new SplittableRandom(4);
    Tensor x = normal(rng, 2, 3, 4, 2, 3, 3);
    RunningStats stats = RunningStats.zeros(DType.FLOAT64, 2);
    stats.mean().fillInPlace(1.0);
    stats.var().fillInPlace(2.0);
    SpatialBatchNorm.forward(
        x, Tensor.full(DType.FLOAT64, 1, 2), Tensor.zeros(DType.FLOAT64, 2), Mode.TRAIN, stats);
    double[][] ms = channelMeanStd(x);
    for (int c = 0; c < 2; c++) {
      double var = ms[1][c] * ms[1][c]; // population variance over (N, H, W)
      assertEquals(0.9 * 1.0 + 0.1 * ms[0][c], stats.mean().get(c), 1e-12, "running mean");
      assertEquals(0.9 * 2.0 + 0.1 * var, stats.var().get(c), 1e-12, "running var");
    }
  }

  @Test
  void testForwardAfterWarmUpNormalizesWithRunningStats() {
    SplittableRandom rng = new SplittableRandom(493);
    int n = 10;
    int c = 4;
    int h = 11;
    int w = 12;
    Tensor gamma = Tensor.full(DType.FLOAT64, 1, c);
    Tensor beta = Tensor.zeros(DType.FLOAT64, c);
    RunningStats stats = RunningStats.zeros(DType.FLOAT64, c);
    for (int t = 0; t < 50; t++) {
      SpatialBatchNorm.forward(normal(rng, 2.3, 13, n, c, h, w), gamma, beta, Mode.TRAIN, stats);
    }
    Tensor x = normal(rng, 2.3, 13, n, c, h, w);
    double[] before = stats.mean().toDoubleArray();
    Tensor out = SpatialBatchNorm.forward(x, gamma, beta, Mode.TEST, stats).out();
    assertArrayEquals(before, stats.mean().toDoubleArray(), 0.0, "test mode must not update");
    // Notebook: means ≈ 0 and stds ≈ 1, noisier than train time (it printed |mean| ≤ 0.056 and
    // stds 0.978–1.007).
    double[][] ms = channelMeanStd(out);
    for (int i = 0; i < c; i++) {
      assertTrue(Math.abs(ms[0][i]) < 0.1, "test-time mean " + ms[0][i]);
      assertTrue(Math.abs(ms[1][i] - 1) < 0.05, "test-time std " + ms[1][i]);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void backwardPassesTheNotebooksGradientCheck(Mode mode) {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = normal(rng, 5, 12, 2, 3, 4, 5);
    Tensor gamma = randn(rng, 3);
    Tensor beta = randn(rng, 3);
    Tensor dout = randn(rng, 2, 3, 4, 5);
    // Test mode reads fixed running statistics; train mode gets a throwaway copy each call.
    RunningStats fixed = RunningStats.zeros(DType.FLOAT64, 3);
    fixed.mean().copyFrom(Tensor.of(DType.FLOAT64, new double[] {11, 12, 13}, 3));
    fixed.var().copyFrom(Tensor.of(DType.FLOAT64, new double[] {20, 25, 30}, 3));
    java.util.function.Supplier<RunningStats> stats =
        () -> new RunningStats(fixed.mean().copy(), fixed.var().copy(), 0.9, 1e-5);

    Tensor dxNum =
        GradientCheck.numericalGradientArray(
            v -> SpatialBatchNorm.forward(v, gamma, beta, mode, stats.get()).out(), x, dout);
    Tensor dgNum =
        GradientCheck.numericalGradientArray(
            v -> SpatialBatchNorm.forward(x, v, beta, mode, stats.get()).out(), gamma, dout);
    Tensor dbNum =
        GradientCheck.numericalGradientArray(
            v -> SpatialBatchNorm.forward(x, gamma, v, mode, stats.get()).out(), beta, dout);
    SpatialBatchNormGrads g =
        SpatialBatchNorm.backward(
            dout, SpatialBatchNorm.forward(x, gamma, beta, mode, stats.get()).cache());
    // Notebook: "You should expect errors of magnitudes between 1e-12~1e-06."
    assertRelError(g.dx(), dxNum, 1e-6, "dx");
    assertRelError(g.dgamma(), dgNum, 1e-6, "dgamma");
    assertRelError(g.dbeta(), dbNum, 1e-6, "dbeta");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void float32MatchesFloat64(Mode mode) {
    SplittableRandom rng = new SplittableRandom(6);
    Tensor x = normal(rng, 3, 2, 4, 3, 5, 6);
    Tensor gamma = randn(rng, 3);
    Tensor beta = randn(rng, 3);
    RunningStats s64 = RunningStats.zeros(DType.FLOAT64, 3);
    s64.mean().fillInPlace(1.5);
    s64.var().fillInPlace(8.0);
    RunningStats s32 = RunningStats.zeros(DType.FLOAT32, 3);
    s32.mean().fillInPlace(1.5);
    s32.var().fillInPlace(8.0);
    Forward<SpatialBatchNormCache> f64 = SpatialBatchNorm.forward(x, gamma, beta, mode, s64);
    Forward<SpatialBatchNormCache> f32 =
        SpatialBatchNorm.forward(
            x.to(DType.FLOAT32), gamma.to(DType.FLOAT32), beta.to(DType.FLOAT32), mode, s32);
    assertFloat32Matches(f64.out(), f32.out(), "out");
    assertFloat32Matches(s64.mean(), s32.mean(), "running mean");
    assertFloat32Matches(s64.var(), s32.var(), "running var");
    Tensor dout = randn(rng, x.shape());
    SpatialBatchNormGrads g64 = SpatialBatchNorm.backward(dout, f64.cache());
    SpatialBatchNormGrads g32 = SpatialBatchNorm.backward(dout.to(DType.FLOAT32), f32.cache());
    assertFloat32Matches(g64.dx(), g32.dx(), "dx");
    assertFloat32Matches(g64.dgamma(), g32.dgamma(), "dgamma");
    assertFloat32Matches(g64.dbeta(), g32.dbeta(), "dbeta");
  }

  @Test
  void badArgumentsFailAtOnceNamingTheArgument() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3, 4, 5);
    Tensor ok = Tensor.zeros(DType.FLOAT64, 3);
    RunningStats stats = RunningStats.zeros(DType.FLOAT64, 3);
    assertRejected(
        () -> SpatialBatchNorm.forward(x, Tensor.zeros(DType.FLOAT64, 4), ok, Mode.TRAIN, stats),
        "gamma",
        "(4,)",
        "(3,)",
        "(2, 3, 4, 5)");
    assertRejected(
        () ->
            SpatialBatchNorm.forward(
                x, ok, Tensor.zeros(DType.FLOAT64, 1, 3, 1, 1), Mode.TRAIN, stats),
        "beta",
        "(1, 3, 1, 1)",
        "(3,)");
    assertRejected(
        () -> SpatialBatchNorm.forward(x, ok, ok, Mode.TRAIN, RunningStats.zeros(DType.FLOAT64, 2)),
        "stats",
        "(2,)",
        "(3,)");
    assertRejected(
        () ->
            SpatialBatchNorm.forward(Tensor.zeros(DType.FLOAT64, 6, 5), ok, ok, Mode.TRAIN, stats),
        "x",
        "(6, 5)");
    assertRejected(() -> SpatialBatchNorm.forward(x, ok, ok, null, stats), "mode");
  }
}
