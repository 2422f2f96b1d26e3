package io.sparksweep.model;

import static io.sparksweep.gradcheck.GradientCheck.numericalGradient;
import static io.sparksweep.gradcheck.GradientCheck.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class FullyConnectedNetTest {
  private static final DType F64 = DType.FLOAT64;

  private static int[] randomLabels(SplittableRandom rng, int n, int c) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(c);
    }
    return y;
  }

  /** The notebooks' check net: D = 15, H1 = 20, H2 = 30, C = 10, weight scale 5e-2, float64. */
  private static FullyConnectedNetConfig.Builder checkNet() {
    return FullyConnectedNetConfig.builder()
        .hiddenDims(20, 30)
        .inputDim(15)
        .numClasses(10)
        .weightScale(5e-2)
        .dtype(F64)
        .seed(123);
  }

  static Stream<Arguments> gradientCheckCases() {
    List<Arguments> cases = new ArrayList<>();
    for (Normalization norm : List.of(Normalization.NONE, Normalization.LAYERNORM)) {
      for (double keep : new double[] {1, 0.75, 0.5}) {
        for (double reg : new double[] {0, 3.14}) {
          cases.add(Arguments.of(norm, keep, reg, 2));
        }
      }
    }
    // With N = 2 batchnorm maps each feature to ±gamma·sqrt(v / (v + eps)); for a feature whose
    // two pre-activations nearly coincide (v ~ eps) the loss is so curved that the centered
    // difference with h = 1e-5 is off by ~1e-5 (W1 errors up to 3e-3 on some draws, against
    // ≤ 5e-7 with N = 10), so batchnorm is checked with N = 10.
    for (double keep : new double[] {1, 0.5}) {
      for (double reg : new double[] {0, 3.14}) {
        cases.add(Arguments.of(Normalization.BATCHNORM, keep, reg, 10));
      }
    }
    return cases.stream();
  }

  /**
   * The notebooks' model gradient checks (BatchNormalization cell 141, Dropout cell 16): every
   * parameter against a centered difference of the full loss. Bounds: the Dropout notebook's
   * "around 1e-6 or less" with W errors "on the order of 1e-5" accepted; for batchnorm its "1e-4
   * for W, 1e-8 for b, 1e-8 for gamma and beta" ranges, loosened to 1e-6 for gamma/beta (our draws
   * reach 5e-8). Each evaluation draws its dropout masks from a generator seeded the same way.
   */
  @ParameterizedTest(name = "{0}, keep {1}, reg {2}, N {3}")
  @MethodSource("gradientCheckCases")
  void gradientsMatchNumericalGradients(Normalization norm, double keep, double reg, int n) {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(F64, rng, 1.0, n, 15);
    int[] y = randomLabels(rng, n, 10);
    FullyConnectedNet net =
        new FullyConnectedNet(
            checkNet().normalization(norm).dropoutKeepRatio(keep).reg(reg).build());
    Loss loss = net.loss(x, y, new SplittableRandom(7));
    assertEquals(net.params().names(), loss.grads().names());
    for (String name : net.params().names()) {
      Tensor numeric =
          numericalGradient(
              p -> net.loss(x, y, new SplittableRandom(7)).value(), net.params().get(name));
      Tensor analytic = loss.grads().get(name);
      assertArrayEquals(net.params().get(name).shape(), analytic.shape(), name);
      boolean hiddenBias = name.startsWith("b") && !name.startsWith("beta") && !name.equals("b3");
      if (norm == Normalization.BATCHNORM && hiddenBias) {
        // Batchnorm subtracts the batch mean, so a hidden bias has exactly zero gradient.
        assertTrue(analytic.maxAbs() < 1e-12 && numeric.maxAbs() < 1e-9, name + " is zero");
        continue;
      }
      double bound =
          norm == Normalization.BATCHNORM
              ? (name.startsWith("W") ? 1e-4 : name.equals("b3") ? 1e-8 : 1e-6)
              : 1e-5;
      double err = relError(numeric, analytic);
      assertTrue(err <= bound, name + " relative error " + err + " > " + bound);
    }
  }

  @ParameterizedTest
  @EnumSource(Normalization.class)
  void initialLossIsLnNumClasses(Normalization norm) {
    SplittableRandom rng = new SplittableRandom(1);
    Tensor x = Tensor.randn(DType.FLOAT32, rng, 1.0, 50, 3, 32, 32);
    int[] y = randomLabels(rng, 50, 10);
    FullyConnectedNet net =
        new FullyConnectedNet(
            FullyConnectedNetConfig.builder().hiddenDims(100, 100).normalization(norm).build());
    assertEquals(Math.log(10), net.loss(x, y).value(), 0.05);
  }

  @Test
  void regAddsHalfRegTimesSumOfSquaredWeightsOnly() {
    SplittableRandom rng = new SplittableRandom(2);
    Tensor x = Tensor.randn(F64, rng, 1.0, 4, 15);
    int[] y = randomLabels(rng, 4, 10);
    FullyConnectedNetConfig base = checkNet().normalization(Normalization.LAYERNORM).build();
    FullyConnectedNet plain = new FullyConnectedNet(base);
    FullyConnectedNet regularized = new FullyConnectedNet(base.toBuilder().reg(0.7).build());
    double sumSquares = 0;
    for (String w : List.of("W1", "W2", "W3")) {
      Tensor t = plain.params().get(w);
      for (int i = 0; i < t.size(); i++) {
        sumSquares += t.getFlat(i) * t.getFlat(i);
      }
    }
    Loss a = plain.loss(x, y);
    Loss b = regularized.loss(x, y);
    assertEquals(a.value() + 0.5 * 0.7 * sumSquares, b.value(), 1e-12);
    for (String name : plain.params().names()) {
      Tensor expected = a.grads().get(name).copy();
      if (name.startsWith("W")) {
        expected.axpyInPlace(0.7, plain.params().get(name));
      }
      assertArrayEquals(expected.toDoubleArray(), b.grads().get(name).toDoubleArray(), 1e-12, name);
    }
  }

  @Test
  void paramsAreNamedAndInitialisedLikeTheNotebooks() {
    FullyConnectedNet net =
        new FullyConnectedNet(
            FullyConnectedNetConfig.builder()
                .hiddenDims(100, 50)
                .normalization(Normalization.BATCHNORM)
                .weightScale(0.03)
                .seed(9)
                .build());
    assertEquals(
        List.of("W1", "b1", "gamma1", "beta1", "W2", "b2", "gamma2", "beta2", "W3", "b3"),
        List.copyOf(net.params().names()));
    Map<String, Tensor> p = net.params().asMap();
    assertArrayEquals(new int[] {3072, 100}, p.get("W1").shape());
    assertArrayEquals(new int[] {100, 50}, p.get("W2").shape());
    assertArrayEquals(new int[] {50, 10}, p.get("W3").shape());
    assertArrayEquals(new int[] {50}, p.get("gamma2").shape());
    Tensor w1 = p.get("W1");
    assertEquals(0, w1.mean(), 0.03 * 0.02);
    assertEquals(0.03, Math.sqrt(w1.sumOfSquares() / w1.size()), 0.03 * 0.02);
    for (String zero : List.of("b1", "b2", "b3", "beta1", "beta2")) {
      assertEquals(0, p.get(zero).maxAbs(), zero);
    }
    assertEquals(100, p.get("gamma1").sum());
    assertEquals(DType.FLOAT32, w1.dtype());
    assertEquals(
        List.of("running_mean1", "running_var1", "running_mean2", "running_var2"),
        List.copyOf(net.state().names()));
    assertEquals(0, net.state().get("running_var2").maxAbs());

    FullyConnectedNet same = new FullyConnectedNet(net.config());
    FullyConnectedNet other = new FullyConnectedNet(net.config().toBuilder().seed(10).build());
    assertArrayEquals(w1.f32(), same.params().get("W1").f32());
    assertNotEquals(w1.getFlat(0), other.params().get("W1").getFlat(0));
  }

  @Test
  void noNormalizationMeansNoGammaBetaAndNoState() {
    FullyConnectedNet none =
        new FullyConnectedNet(FullyConnectedNetConfig.builder().hiddenDims(5).build());
    assertEquals(List.of("W1", "b1", "W2", "b2"), List.copyOf(none.params().names()));
    assertEquals(0, none.state().size());
    FullyConnectedNet ln =
        new FullyConnectedNet(
            FullyConnectedNetConfig.builder()
                .hiddenDims(5)
                .normalization(Normalization.LAYERNORM)
                .build());
    assertEquals(
        List.of("W1", "b1", "gamma1", "beta1", "W2", "b2"), List.copyOf(ln.params().names()));
    assertEquals(0, ln.state().size());
  }

  @Test
  void trainingUpdatesTheLiveRunningStatsAndScoresReadThem() {
    SplittableRandom rng = new SplittableRandom(3);
    Tensor x = Tensor.randn(F64, rng, 1.0, 8, 15);
    int[] y = randomLabels(rng, 8, 10);
    FullyConnectedNet net =
        new FullyConnectedNet(checkNet().normalization(Normalization.BATCHNORM).build());
    Tensor runningMean1 = net.state().get("running_mean1");
    net.loss(x, y);
    // running = 0.9·0 + 0.1·(batch mean of x·W1 + b1), computed here directly.
    Tensor w1 = net.params().get("W1");
    for (int j = 0; j < 20; j++) {
      double mean = 0;
      for (int i = 0; i < 8; i++) {
        for (int k = 0; k < 15; k++) {
          mean += x.get(i, k) * w1.get(k, j);
        }
      }
      assertEquals(0.1 * mean / 8, runningMean1.get(j), 1e-12);
    }
    Tensor before = net.scores(x);
    assertArrayEquals(before.toDoubleArray(), net.scores(x).toDoubleArray(), 0.0);
    // Overwriting the live state (as a Solver restoring its best model does) changes scores.
    net.state().get("running_var1").fillInPlace(4.0);
    assertNotEquals(before.get(0, 0), net.scores(x).get(0, 0));
  }

  @Test
  void scoresAreTestModeWithoutDropout() {
    SplittableRandom rng = new SplittableRandom(4);
    Tensor x = Tensor.randn(F64, rng, 1.0, 6, 15);
    FullyConnectedNet dropout = new FullyConnectedNet(checkNet().dropoutKeepRatio(0.3).build());
    FullyConnectedNet plain = new FullyConnectedNet(checkNet().build());
    assertArrayEquals(plain.scores(x).toDoubleArray(), dropout.scores(x).toDoubleArray(), 0.0);
  }

  @Test
  void dropoutMasksComeFromTheGivenGeneratorOrTheNetsOwn() {
    SplittableRandom rng = new SplittableRandom(5);
    Tensor x = Tensor.randn(F64, rng, 1.0, 6, 15);
    int[] y = randomLabels(rng, 6, 10);
    FullyConnectedNetConfig config = checkNet().dropoutKeepRatio(0.5).build();
    FullyConnectedNet net = new FullyConnectedNet(config);
    double fixed1 = net.loss(x, y, new SplittableRandom(11)).value();
    double fixed2 = net.loss(x, y, new SplittableRandom(11)).value();
    assertEquals(fixed1, fixed2, 0.0);
    double own1 = net.loss(x, y).value();
    double own2 = net.loss(x, y).value();
    assertNotEquals(own1, own2, "the net's own generator advances");
    // Same config and seed, same sequence of masks.
    FullyConnectedNet twin = new FullyConnectedNet(config);
    assertEquals(own1, twin.loss(x, y).value(), 0.0);
    assertEquals(own2, twin.loss(x, y).value(), 0.0);
  }

  @ParameterizedTest
  @EnumSource(Normalization.class)
  void float32MatchesFloat64(Normalization norm) {
    SplittableRandom rng = new SplittableRandom(6);
    Tensor x32 = Tensor.randn(DType.FLOAT32, rng, 1.0, 16, 15);
    int[] y = randomLabels(rng, 16, 10);
    FullyConnectedNetConfig c64 =
        checkNet().normalization(norm).dropoutKeepRatio(0.8).reg(0.1).build();
    FullyConnectedNet n64 = new FullyConnectedNet(c64);
    FullyConnectedNet n32 = new FullyConnectedNet(c64.toBuilder().dtype(DType.FLOAT32).build());
    // Same seed: the float32 weights are the float64 ones rounded; use exactly those in both.
    n64.params().copyFrom(widen(n32.params()));
    Tensor x64 = x32.to(F64);
    Loss l64 = n64.loss(x64, y, new SplittableRandom(1));
    Loss l32 = n32.loss(x32, y, new SplittableRandom(1));
    assertEquals(l64.value(), l32.value(), 1e-4 * l64.value());
    for (String name : n64.params().names()) {
      Tensor g64 = l64.grads().get(name);
      Tensor g32 = l32.grads().get(name);
      assertEquals(DType.FLOAT32, g32.dtype());
      if (norm == Normalization.BATCHNORM && name.matches("b[12]")) {
        // Exactly zero in exact arithmetic (batchnorm removes the bias): compare to rounding.
        assertTrue(g64.maxAbs() < 1e-12 && g32.maxAbs() < 1e-6, name);
        continue;
      }
      double err = g64.sub(g32.to(F64)).maxAbs() / g64.maxAbs();
      assertTrue(err <= 1e-4, name + " " + err);
    }
    Tensor s64 = n64.scores(x64);
    double err = s64.sub(n32.scores(x32).to(F64)).maxAbs() / s64.maxAbs();
    assertTrue(err <= 1e-4, "scores " + err);
  }

  private static Params widen(Params p) {
    Params out = new Params();
    p.asMap().forEach((k, v) -> out.put(k, v.to(F64)));
    return out;
  }

  @Test
  void fromParamsRebuildsTheSameNetFromCopies() {
    SplittableRandom rng = new SplittableRandom(7);
    Tensor x = Tensor.randn(F64, rng, 1.0, 8, 15);
    int[] y = randomLabels(rng, 8, 10);
    FullyConnectedNet net =
        new FullyConnectedNet(checkNet().normalization(Normalization.BATCHNORM).build());
    for (int step = 0; step < 3; step++) {
      Loss l = net.loss(x, y);
      for (String name : net.params().names()) {
        net.params().get(name).axpyInPlace(-0.1, l.grads().get(name));
      }
    }
    FullyConnectedNet loaded =
        FullyConnectedNet.fromParams(net.config(), net.params(), net.state());
    assertArrayEquals(net.scores(x).toDoubleArray(), loaded.scores(x).toDoubleArray(), 0.0);
    net.params().get("W1").fillInPlace(0);
    net.state().get("running_mean1").fillInPlace(0);
    assertNotEquals(0.0, loaded.params().get("W1").maxAbs(), "copied, not shared");
    assertNotEquals(0.0, loaded.state().get("running_mean1").maxAbs(), "copied, not shared");

    // float64 tensors load into a float32 net.
    FullyConnectedNet f32 =
        FullyConnectedNet.fromParams(
            loaded.config().toBuilder().dtype(DType.FLOAT32).build(),
            loaded.params(),
            loaded.state());
    assertEquals(DType.FLOAT32, f32.params().get("W2").dtype());
    assertEquals(loaded.params().get("W2").get(3, 4), f32.params().get("W2").get(3, 4), 1e-6);
  }

  @Test
  void fromParamsNamesMissingUnexpectedAndMisshapenTensors() {
    FullyConnectedNet net = new FullyConnectedNet(checkNet().build());
    FullyConnectedNetConfig config = net.config();
    Params missing = new Params();
    net.params()
        .asMap()
        .forEach(
            (k, v) -> {
              if (!k.equals("b2")) missing.put(k, v);
            });
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FullyConnectedNet.fromParams(config, missing, new Params()));
    assertTrue(e.getMessage().contains("missing") && e.getMessage().contains("'b2'"));

    Params extra = net.params().deepCopy().put("gamma1", Tensor.zeros(F64, 20));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FullyConnectedNet.fromParams(config, extra, new Params()));
    assertTrue(e.getMessage().contains("unexpected") && e.getMessage().contains("'gamma1'"));

    Params misshapen = net.params().deepCopy().put("W2", Tensor.zeros(F64, 30, 20));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FullyConnectedNet.fromParams(config, misshapen, new Params()));
    assertTrue(
        e.getMessage().contains("'W2'")
            && e.getMessage().contains("(20, 30)")
            && e.getMessage().contains("(30, 20)"),
        e.getMessage());

    FullyConnectedNetConfig bn = config.toBuilder().normalization(Normalization.BATCHNORM).build();
    FullyConnectedNet bnNet = new FullyConnectedNet(bn);
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FullyConnectedNet.fromParams(bn, bnNet.params(), new Params()));
    assertTrue(e.getMessage().contains("state") && e.getMessage().contains("running_mean1"));
  }

  @Test
  void badInputsAreNamed() {
    FullyConnectedNet net = new FullyConnectedNet(checkNet().build());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> net.scores(Tensor.zeros(F64, 2, 16)));
    assertTrue(e.getMessage().contains("(2, 16)") && e.getMessage().contains("15"));
    e =
        assertThrows(
            IllegalArgumentException.class, () -> net.scores(Tensor.zeros(DType.FLOAT32, 2, 15)));
    assertTrue(e.getMessage().contains("FLOAT32") && e.getMessage().contains("FLOAT64"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> net.loss(Tensor.zeros(F64, 2, 15), new int[] {0, 10}));
    assertTrue(e.getMessage().contains("y[1] = 10"), e.getMessage());
    // Shape (N, d1, ..., dk) is flattened: (2, 3, 5) has 15 features.
    assertArrayEquals(new int[] {2, 10}, net.scores(Tensor.zeros(F64, 2, 3, 5)).shape());
  }

  /** A plain in-test Adam (Kingma and Ba, 2015) on the full 50-example batch. */
  @ParameterizedTest
  @EnumSource(Normalization.class)
  void overfitsFiftyExamplesOfRandomData(Normalization norm) {
    SplittableRandom rng = new SplittableRandom(8);
    Tensor x = Tensor.randn(DType.FLOAT32, rng, 1.0, 50, 3, 32, 32);
    int[] y = randomLabels(rng, 50, 10);
    FullyConnectedNet net =
        new FullyConnectedNet(
            FullyConnectedNetConfig.builder()
                .hiddenDims(100, 100)
                .normalization(norm)
                .weightScale(5e-2)
                .seed(1)
                .build());
    Params m = zerosLike(net.params());
    Params v = zerosLike(net.params());
    double lr = 1e-3;
    double beta1 = 0.9;
    double beta2 = 0.999;
    int iterations = 0;
    for (int t = 1; t <= 200 && accuracy(net, x, y) < 0.9; t++) {
      iterations = t;
      Loss loss = net.loss(x, y);
      for (String name : net.params().names()) {
        float[] p = net.params().get(name).f32();
        float[] g = loss.grads().get(name).f32();
        float[] mm = m.get(name).f32();
        float[] vv = v.get(name).f32();
        for (int i = 0; i < p.length; i++) {
          mm[i] = (float) (beta1 * mm[i] + (1 - beta1) * g[i]);
          vv[i] = (float) (beta2 * vv[i] + (1 - beta2) * g[i] * g[i]);
          double mHat = mm[i] / (1 - Math.pow(beta1, t));
          double vHat = vv[i] / (1 - Math.pow(beta2, t));
          p[i] -= (float) (lr * mHat / (Math.sqrt(vHat) + 1e-8));
        }
      }
    }
    assertTrue(accuracy(net, x, y) >= 0.9, "training accuracy after " + iterations + " steps");
    assertTrue(iterations > 1, "random labels cannot be fit without training");
  }

  private static double accuracy(FullyConnectedNet net, Tensor x, int[] y) {
    int[] predicted = net.scores(x).argmaxColumns();
    int correct = 0;
    for (int i = 0; i < y.length; i++) {
      correct += predicted[i] == y[i] ? 1 : 0;
    }
    return (double) correct / y.length;
  }

  private static Params zerosLike(Params p) {
    Params out = new Params();
    p.asMap().forEach((k, t) -> out.put(k, t.zerosLike()));
    return out;
  }
}
