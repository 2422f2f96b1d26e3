package io.sparksweep.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Examples;
import io.sparksweep.data.TensorExamples;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.FullyConnectedNet;
import io.sparksweep.model.FullyConnectedNetConfig;
import io.sparksweep.model.Normalization;
import io.sparksweep.model.Params;
import io.sparksweep.model.ThreeLayerConvNet;
import io.sparksweep.model.ThreeLayerConvNetConfig;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.optim.UpdateState;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Npz;
import io.sparksweep.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A training stopped at the end of epoch k, written to {@code .npz} bytes, read back and continued
 * in a fresh Solver with a freshly (differently) initialised model equals the same training run
 * straight through, bit for bit: histories, current and best parameters, running statistics,
 * optimizer state and generator states.
 */
class CheckpointTest {
  private static final int EPOCHS = 4;
  private static final int CLASSES = 3;

  /** A model family: fresh model from an init seed, plus its training and validation data. */
  private record Setup(String name, LongFunction<Classifier> model, Examples train, Examples val) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Examples flat(int n, int d, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.zeros(DType.FLOAT32, n, d);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(CLASSES);
      for (int j = 0; j < d; j++) {
        x.set((j % CLASSES == y[i] ? 1.5 : 0.0) + rng.nextGaussian(), i, j);
      }
    }
    return new TensorExamples(x, y);
  }

  private static Examples images(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.randn(DType.FLOAT32, rng, 1.0, n, 3, 6, 6);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(CLASSES);
      x.set(x.get(i, y[i], 2, 2) + 2.0, i, y[i], 2, 2);
    }
    return new TensorExamples(x, y);
  }

  private static Setup fc(String name, Normalization norm, double keep) {
    return new Setup(
        name,
        seed ->
            new FullyConnectedNet(
                FullyConnectedNetConfig.builder()
                    .hiddenDims(16, 12)
                    .inputDim(10)
                    .numClasses(CLASSES)
                    .dropoutKeepRatio(keep)
                    .normalization(norm)
                    .reg(1e-3)
                    .weightScale(0.1)
                    .dtype(DType.FLOAT32)
                    .seed(seed)
                    .build()),
        flat(60, 10, 11),
        flat(40, 10, 12));
  }

  private static Setup cnn() {
    return new Setup(
        "cnn",
        seed ->
            new ThreeLayerConvNet(
                ThreeLayerConvNetConfig.defaults()
                    .withInput(3, 6, 6)
                    .withSizes(4, 3, 10)
                    .withTraining(0.1, 1e-3, DType.FLOAT32, seed)),
        images(40, 21),
        images(30, 22));
  }

  static Stream<Arguments> cases() {
    Setup[] setups = {
      fc("fc-batchnorm-dropout", Normalization.BATCHNORM, 0.7),
      fc("fc-layernorm", Normalization.LAYERNORM, 1.0),
      cnn()
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (Setup s : setups) {
      for (UpdateRule rule : UpdateRule.values()) {
        b.add(Arguments.of(s, rule));
      }
    }
    return b.build();
  }

  private static SolverConfig config(UpdateRule rule) {
    double lr = rule == UpdateRule.SGD || rule == UpdateRule.SGD_MOMENTUM ? 5e-2 : 5e-3;
    // Subsampled checks (20 of 60 / 15 of 40) so the check generator matters; lr decays.
    return new SolverConfig(
        EPOCHS,
        10,
        rule,
        io.sparksweep.optim.OptimConfig.defaults(rule).withLearningRate(lr),
        0.9,
        20,
        15,
        5L);
  }

  private static byte[] bytes(Checkpoint c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CheckpointFile.write(c, out);
    return out.toByteArray();
  }

  private static Checkpoint read(byte[] b) throws IOException {
    return CheckpointFile.read(new ByteArrayInputStream(b));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("cases")
  void continuedFromAnyEpochEqualsStraightThrough(Setup s, UpdateRule rule) throws IOException {
    SolverConfig cfg = config(rule);
    Classifier straightModel = s.model().apply(1);
    History straight =
        new Solver(straightModel, s.train(), s.val(), cfg, SolverListener.silent()).train();
    Classifier oneSegmentModel = s.model().apply(1);
    Solver oneSegment =
        new Solver(oneSegmentModel, s.train(), s.val(), cfg, SolverListener.silent());
    Checkpoint end = oneSegment.runUntil(oneSegment.start(), EPOCHS);
    assertEquals(straight, end.history(), "one segment vs train()");

    for (int k = 0; k <= EPOCHS; k++) {
      Classifier first = s.model().apply(1);
      Solver a = new Solver(first, s.train(), s.val(), cfg, SolverListener.silent());
      Checkpoint atK = a.runUntil(a.start(), k);
      assertEquals(k, atK.epoch());
      byte[] file = bytes(atK);
      assertEquals(atK.history(), read(file).history(), "round trip at epoch " + k);
      // A different initialisation: everything must come from the checkpoint.
      Classifier second = s.model().apply(99);
      Solver b = new Solver(second, s.train(), s.val(), cfg, SolverListener.silent());
      Checkpoint last = b.runUntil(read(file), EPOCHS);
      assertSameCheckpoint(end, last, s + " " + rule.id() + " continued from epoch " + k);
      History h = b.finish(last);
      assertEquals(straight, h);
      assertSameParams(straightModel.params(), second.params(), "best params");
      assertSameParams(straightModel.state(), second.state(), "best running stats");
    }
  }

  @Test
  void segmentsOfOneEpochEachEqualStraightThrough() throws IOException {
    Setup s = fc("fc", Normalization.BATCHNORM, 0.5);
    SolverConfig cfg = config(UpdateRule.ADAM);
    Classifier straightModel = s.model().apply(3);
    History straight =
        new Solver(straightModel, s.train(), s.val(), cfg, SolverListener.silent()).train();
    Checkpoint c =
        new Solver(s.model().apply(3), s.train(), s.val(), cfg, SolverListener.silent()).start();
    for (int e = 1; e <= EPOCHS; e++) {
      Solver fresh =
          new Solver(s.model().apply(100 + e), s.train(), s.val(), cfg, SolverListener.silent());
      c = read(bytes(fresh.runUntil(read(bytes(c)), e)));
    }
    Classifier last = s.model().apply(7);
    History h = new Solver(last, s.train(), s.val(), cfg, SolverListener.silent()).finish(c);
    assertEquals(straight, h);
    assertSameParams(straightModel.params(), last.params(), "best params");
  }

  @Test
  void droppingTheOptimizerStateOrTheDropoutGeneratorChangesTheContinuation() {
    // The bit-for-bit test above could pass vacuously if the state it restores did not matter.
    Setup s = fc("fc", Normalization.BATCHNORM, 0.6);
    SolverConfig cfg = config(UpdateRule.ADAM);
    Solver a = new Solver(s.model().apply(1), s.train(), s.val(), cfg, SolverListener.silent());
    Checkpoint at2 = a.runUntil(a.start(), 2);
    Checkpoint end = a.runUntil(at2, EPOCHS);

    Checkpoint noMoments = with(at2, Map.of(), at2.modelRandom());
    Solver b = new Solver(s.model().apply(1), s.train(), s.val(), cfg, SolverListener.silent());
    assertNotEquals(end.lossHistory(), b.runUntil(noMoments, EPOCHS).lossHistory());

    Checkpoint otherMasks =
        with(at2, at2.optimizerState(), java.util.Optional.of(at2.batchRandom()));
    Solver c = new Solver(s.model().apply(1), s.train(), s.val(), cfg, SolverListener.silent());
    assertNotEquals(end.lossHistory(), c.runUntil(otherMasks, EPOCHS).lossHistory());
  }

  @Test
  void checkpointIsANumpyArchiveWithNamedMembers() throws IOException {
    Setup s = fc("fc", Normalization.BATCHNORM, 0.7);
    Solver a =
        new Solver(
            s.model().apply(1),
            s.train(),
            s.val(),
            config(UpdateRule.ADAM),
            SolverListener.silent());
    Checkpoint c = a.runUntil(a.start(), 2);
    Npz.Contents z = Npz.read(new ByteArrayInputStream(bytes(c)));
    assertEquals(CheckpointFile.FORMAT, z.string("format"));
    assertEquals("adam", z.string("update_rule"));
    assertEquals(2.0, z.tensor("epoch").getFlat(0));
    assertEquals(12.0, z.tensor("iteration").getFlat(0));
    assertEquals(5e-3 * 0.9 * 0.9, z.tensor("learning_rate").getFlat(0));
    assertEquals(12.0, z.tensor("optim/W1/t").getFlat(0));
    assertTrue(z.tensors().containsKey("state/running_mean1"));
    assertTrue(z.tensors().containsKey("best_params/gamma2"));
    assertArrayEquals(new int[] {10, 16}, z.tensor("optim/W1/m").shape());
    assertEquals(12, z.tensor("history/loss").size());
    assertEquals(c.modelRandom().orElseThrow().toString(), z.string("rng/model"));
    UpdateState.Adam w1 = (UpdateState.Adam) c.optimizerState().get("W1");
    assertArrayEquals(w1.v().f32(), z.tensor("optim/W1/v").f32());
  }

  @Test
  void mismatchedCheckpointsAreRefusedWithTheReason() throws IOException {
    Setup s = fc("fc", Normalization.NONE, 1.0);
    Solver adam =
        new Solver(
            s.model().apply(1),
            s.train(),
            s.val(),
            config(UpdateRule.ADAM),
            SolverListener.silent());
    Checkpoint c = adam.runUntil(adam.start(), 1);
    Solver rms =
        new Solver(
            s.model().apply(1),
            s.train(),
            s.val(),
            config(UpdateRule.RMSPROP),
            SolverListener.silent());
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> rms.runUntil(c, 2));
    assertTrue(e.getMessage().contains("adam") && e.getMessage().contains("rmsprop"));
    Solver bigBatch =
        new Solver(
            s.model().apply(1),
            s.train(),
            s.val(),
            config(UpdateRule.ADAM).withBatchSize(30),
            SolverListener.silent());
    e = assertThrows(IllegalArgumentException.class, () -> bigBatch.runUntil(c, 2));
    assertTrue(e.getMessage().contains("iterations per epoch"));
    e = assertThrows(IllegalArgumentException.class, () -> adam.runUntil(c, EPOCHS + 1));
    assertTrue(e.getMessage().contains("untilEpoch"));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> CheckpointFile.read(new ByteArrayInputStream(bytesOfModelFile())));
    assertTrue(e.getMessage().contains("format"));
  }

  private static byte[] bytesOfModelFile() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Npz.write(out, Map.of("W1", Tensor.zeros(DType.FLOAT32, 2)), Map.of(), Npz.Compression.STORED);
    return out.toByteArray();
  }

  private static Checkpoint with(
      Checkpoint c,
      Map<String, UpdateState> optim,
      java.util.Optional<io.sparksweep.tensor.SplitMix64.State> modelRandom) {
    return new Checkpoint(
        c.updateRule(),
        c.itersPerEpoch(),
        c.epoch(),
        c.iteration(),
        c.learningRate(),
        c.params(),
        c.state(),
        optim,
        c.batchRandom(),
        c.checkRandom(),
        modelRandom,
        c.bestParams(),
        c.bestState(),
        c.bestValAcc(),
        c.bestEpoch(),
        c.lossHistory(),
        c.trainAccHistory(),
        c.valAccHistory(),
        c.epochLoss(),
        c.divergedAt());
  }

  private static void assertSameCheckpoint(Checkpoint want, Checkpoint got, String what) {
    assertEquals(want.history(), got.history(), what);
    assertEquals(want.learningRate(), got.learningRate(), what);
    assertEquals(want.batchRandom(), got.batchRandom(), what);
    assertEquals(want.checkRandom(), got.checkRandom(), what);
    assertEquals(want.modelRandom(), got.modelRandom(), what);
    assertSameParams(want.params(), got.params(), what + ": params");
    assertSameParams(want.state(), got.state(), what + ": running stats");
    assertSameParams(want.bestParams(), got.bestParams(), what + ": best params");
    assertEquals(want.optimizerState().keySet(), got.optimizerState().keySet(), what);
    for (String name : want.optimizerState().keySet()) {
      UpdateState x = want.optimizerState().get(name);
      UpdateState y = got.optimizerState().get(name);
      assertEquals(x.rule(), y.rule());
      if (x instanceof UpdateState.Adam ax && y instanceof UpdateState.Adam ay) {
        assertEquals(ax.t(), ay.t());
        assertArrayEquals(ax.m().f32(), ay.m().f32(), what + ": adam m of " + name);
        assertArrayEquals(ax.v().f32(), ay.v().f32(), what + ": adam v of " + name);
      } else if (x instanceof UpdateState.Momentum mx && y instanceof UpdateState.Momentum my) {
        assertArrayEquals(mx.velocity().f32(), my.velocity().f32(), what + ": velocity");
      } else if (x instanceof UpdateState.RmsProp rx && y instanceof UpdateState.RmsProp ry) {
        assertArrayEquals(rx.cache().f32(), ry.cache().f32(), what + ": cache");
      }
    }
  }

  private static void assertSameParams(Params want, Params got, String what) {
    assertEquals(want.names(), got.names(), what);
    for (String name : want.names()) {
      // assertArrayEquals on float[] compares bit patterns (floatToIntBits): exact.
      assertArrayEquals(want.get(name).f32(), got.get(name).f32(), what + " " + name);
    }
  }
}
