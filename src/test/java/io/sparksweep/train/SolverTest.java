package io.sparksweep.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Examples;
import io.sparksweep.data.TensorExamples;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.Loss;
import io.sparksweep.model.Params;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class SolverTest {
  private static final int D = 6;
  private static final int C = 3;

  /** Gaussian blobs around class-specific centres: linearly separable with some noise. */
  private static Examples blobs(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.zeros(DType.FLOAT64, n, D);
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(C);
      for (int j = 0; j < D; j++) {
        double centre = (j % C == y[i]) ? 3.0 : 0.0;
        x.set(centre + rng.nextGaussian(), i, j);
      }
    }
    return new TensorExamples(x, y);
  }

  private static SolverConfig config(int epochs, long seed) {
    return SolverConfig.defaults()
        .withEpochs(epochs)
        .withBatchSize(20)
        .withUpdateRule(UpdateRule.ADAM, 1e-2)
        .withSeed(seed);
  }

  private static History run(SolverConfig cfg, LinearSoftmax model) {
    return new Solver(model, blobs(200, 1), blobs(100, 2), cfg, SolverListener.silent()).train();
  }

  @Test
  void sameSeedGivesTheSameHistory() {
    History a = run(config(3, 7), new LinearSoftmax(D, C, DType.FLOAT64, 1));
    History b = run(config(3, 7), new LinearSoftmax(D, C, DType.FLOAT64, 1));
    History c = run(config(3, 8), new LinearSoftmax(D, C, DType.FLOAT64, 1));
    assertEquals(a, b);
    assertNotEquals(a.lossHistory(), c.lossHistory());
  }

  @Test
  void iterationAndCheckCountsFollowTheNotebook() {
    History h = run(config(3, 1), new LinearSoftmax(D, C, DType.FLOAT32, 1));
    // 200 examples / batch 20 = 10 iterations per epoch; checks at t=0 and after each epoch.
    assertEquals(30, h.lossHistory().size());
    assertEquals(4, h.trainAccHistory().size());
    assertEquals(4, h.valAccHistory().size());
    assertEquals(3, h.epochLoss().size());
    assertEquals(3, h.epochsRun());
    assertTrue(!h.diverged());
  }

  @Test
  void learnsSeparableDataAndRestoresTheBestParameters() {
    LinearSoftmax model = new LinearSoftmax(D, C, DType.FLOAT32, 3);
    Examples val = blobs(100, 2);
    History h =
        new Solver(model, blobs(200, 1), val, config(5, 3), SolverListener.silent()).train();
    assertTrue(h.bestValAcc() > 0.9, "best val acc " + h.bestValAcc());
    assertTrue(h.lossHistory().get(h.lossHistory().size() - 1) < h.lossHistory().get(0));
    assertEquals(h.bestValAcc(), Solver.accuracy(model, val), 1e-12);
    assertEquals(
        h.bestValAcc(),
        h.valAccHistory().stream().mapToDouble(Double::doubleValue).max().orElse(0));
  }

  /** A linear model whose {@code nanCall}-th loss evaluation (1-based) is NaN. */
  private static Classifier poisonedAt(LinearSoftmax inner, int nanCall) {
    int[] calls = {0};
    Classifier poisoned =
        new Classifier() {
          @Override
          public Params params() {
            return inner.params();
          }

          @Override
          public Params state() {
            return inner.state();
          }

          @Override
          public DType dtype() {
            return inner.dtype();
          }

          @Override
          public Tensor scores(Tensor x) {
            return inner.scores(x);
          }

          @Override
          public Loss loss(Tensor x, int[] y) {
            Loss l = inner.loss(x, y);
            return ++calls[0] == nanCall ? new Loss(Double.NaN, l.grads()) : l;
          }

          @Override
          public String architectureJson() {
            return inner.architectureJson();
          }
        };
    return poisoned;
  }

  @Test
  void nonFiniteLossStopsTrainingAndIsRecorded() {
    // The 15th loss evaluation is NaN (iteration 15 = epoch 2 with 10 per epoch).
    LinearSoftmax inner = new LinearSoftmax(D, C, DType.FLOAT64, 1);
    Classifier poisoned = poisonedAt(inner, 15);
    History h =
        new Solver(poisoned, blobs(200, 1), blobs(100, 2), config(3, 1), SolverListener.silent())
            .train();
    assertTrue(h.diverged());
    assertEquals(15, h.divergedAt());
    assertEquals(2, h.divergedEpoch());
    assertEquals(1, h.epochsRun());
    assertEquals(15, h.lossHistory().size());
    assertTrue(inner.params().get("W1").allFinite());
  }

  @Test
  void divergedEpochAtTheEpochBoundaries() {
    // 10 iterations per epoch, 3 epochs: iterations 1..10 are epoch 1, 11..20 epoch 2, 21..30
    // epoch 3. A NaN on the last iteration of an epoch belongs to that epoch, not the next one.
    int[][] iterationToEpoch = {{1, 1}, {10, 1}, {11, 2}, {20, 2}, {21, 3}, {30, 3}};
    for (int[] c : iterationToEpoch) {
      LinearSoftmax inner = new LinearSoftmax(D, C, DType.FLOAT64, 1);
      History h =
          new Solver(
                  poisonedAt(inner, c[0]),
                  blobs(200, 1),
                  blobs(100, 2),
                  config(3, 1),
                  SolverListener.silent())
              .train();
      assertEquals(c[0], h.divergedAt());
      assertEquals(c[1], h.divergedEpoch(), "NaN at iteration " + c[0]);
      assertEquals(c[1] - 1, h.epochsRun(), "epochs completed before the NaN");
    }
  }

  @Test
  void singleIterationEpochsCheckOncePerEpoch() {
    // 20 examples / batch 20 = one iteration per epoch: the first check is also epoch 1's check.
    SolverConfig cfg = config(3, 1);
    List<Integer> epochsSeen = new ArrayList<>();
    History h =
        new Solver(
                new LinearSoftmax(D, C, DType.FLOAT64, 1),
                blobs(20, 1),
                blobs(100, 2),
                cfg,
                new SolverListener() {
                  @Override
                  public void epoch(int epoch, int numEpochs, double trainAcc, double valAcc) {
                    epochsSeen.add(epoch);
                  }
                })
            .train();
    assertEquals(List.of(1, 2, 3), epochsSeen);
    assertEquals(3, h.valAccHistory().size());
    assertEquals(3, h.epochsRun());
    for (int e = 1; e <= 3; e++) {
      assertEquals(e - 1, h.checkIndex(e), "check of epoch " + e);
    }
    History ten = run(config(3, 1), new LinearSoftmax(D, C, DType.FLOAT64, 1));
    assertEquals(1, ten.checkIndex(1), "10 iterations per epoch: check 0 is before training");
    assertEquals(3, ten.checkIndex(3));
  }

  @Test
  void learningRateDecayChangesTraining() {
    History plain = run(config(3, 1), new LinearSoftmax(D, C, DType.FLOAT64, 1));
    History decayed = run(config(3, 1).withLrDecay(0.1), new LinearSoftmax(D, C, DType.FLOAT64, 1));
    // Identical during the first epoch, different afterwards.
    assertEquals(plain.lossHistory().subList(0, 11), decayed.lossHistory().subList(0, 11));
    assertNotEquals(plain.lossHistory().get(25), decayed.lossHistory().get(25));
  }

  @Test
  void progressLinesHaveTheNotebookFormat() {
    List<String> lines = new ArrayList<>();
    new Solver(
            new LinearSoftmax(D, C, DType.FLOAT32, 1),
            blobs(200, 1),
            blobs(100, 2),
            config(2, 1),
            SolverListener.notebookLines(lines::add, 5))
        .train();
    assertTrue(Pattern.matches("\\(Iteration 1 / 20\\) loss: \\d+\\.\\d{6}", lines.get(0)));
    assertTrue(
        Pattern.matches(
            "\\(Epoch 0 / 2\\) train acc: \\d\\.\\d{6}; val_acc: \\d\\.\\d{6}", lines.get(1)));
    assertEquals(4 + 3, lines.size(), lines.toString());
  }

  @Test
  void emptyDataIsRefused() {
    Examples empty = new TensorExamples(Tensor.zeros(DType.FLOAT64, 0, D), new int[0]);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new Solver(
                    new LinearSoftmax(D, C, DType.FLOAT64, 1),
                    empty,
                    blobs(10, 1),
                    config(1, 1),
                    SolverListener.silent()));
    assertTrue(e.getMessage().contains("training set"));
  }
}
