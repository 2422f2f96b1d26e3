package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.ModelFiles;
import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.train.Solver;
import io.sparksweep.train.SolverListener;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrialRunnerTest {
  private static Cifar10Data data;

  @BeforeAll
  static void makeData() {
    data = SyntheticCifar.generate(600, 200, 7);
  }

  private static TrialSpec spec(
      ModelKind model, List<Integer> hidden, double weightScale, Normalization norm, int numTrain) {
    return new TrialSpec(
        "k",
        0,
        0,
        11,
        model,
        hidden,
        model == ModelKind.CNN ? 8 : 0,
        model == ModelKind.CNN ? 3 : 0,
        UpdateRule.ADAM,
        1e-3,
        weightScale,
        1.0,
        norm,
        0.0,
        50,
        2,
        1.0,
        numTrain);
  }

  @Test
  void aGoodTrialReportsItsCurvesAccuraciesAndModel() {
    TrialSpec s = spec(ModelKind.FC, List.of(50), 1e-2, Normalization.BATCHNORM, 400);
    TrialResult r = TrialRunner.run(s, data, "test-executor", SolverListener.silent());
    assertEquals(TrialStatus.OK, r.status(), r.error());
    assertNull(r.error());
    assertEquals(2, r.epochsRun());
    assertEquals(2, r.epochs().size());
    assertEquals(1, r.epochs().get(0).epoch());
    assertTrue(r.bestValAcc() > 0.2, "synthetic classes are learnable: " + r.bestValAcc());
    assertEquals(r.bestValAcc(), r.valAcc(), 1e-12, "the best parameters were restored");
    assertEquals("test-executor", r.executor());
    assertNotNull(r.modelNpz());
    Classifier m = ModelFiles.fromBytes(r.modelNpz());
    assertEquals(r.valAcc(), Solver.accuracy(m, TrialRunner.split(data).val()), 1e-12);
  }

  /** Epoch checks as the Solver announced them: {epoch, trainAcc, valAcc}. */
  private static List<double[]> checks(TrialSpec s) {
    List<double[]> seen = new ArrayList<>();
    TrialResult r =
        TrialRunner.run(
            s,
            data,
            "e",
            new SolverListener() {
              @Override
              public void epoch(int epoch, int numEpochs, double trainAcc, double valAcc) {
                seen.add(new double[] {epoch, trainAcc, valAcc});
              }
            });
    assertEquals(TrialStatus.OK, r.status(), r.error());
    List<EpochRecord> curves = r.epochs();
    List<double[]> afterTraining = new ArrayList<>();
    for (double[] c : seen) {
      if (c[0] >= 1) {
        afterTraining.add(c);
      }
    }
    assertEquals(afterTraining.size(), curves.size(), "one curve point per epoch");
    for (int i = 0; i < curves.size(); i++) {
      EpochRecord e = curves.get(i);
      double[] c = afterTraining.get(i);
      assertEquals((int) c[0], e.epoch());
      assertEquals(c[1], e.trainAcc(), "train acc of epoch " + e.epoch());
      assertEquals(c[2], e.valAcc(), "val acc of epoch " + e.epoch());
    }
    return afterTraining;
  }

  @Test
  void curvesFollowTheSolversEpochChecksAtEveryEpochLength() {
    // 50 images, batch 50: one iteration per epoch, so the check before training is epoch 1's.
    assertEquals(2, checks(spec(ModelKind.FC, List.of(20), 1e-2, Normalization.NONE, 50)).size());
    // 99 images: still one iteration (99 / 50 = 1); 100 images: two, with a check at t = 0.
    assertEquals(2, checks(spec(ModelKind.FC, List.of(20), 1e-2, Normalization.NONE, 99)).size());
    assertEquals(2, checks(spec(ModelKind.FC, List.of(20), 1e-2, Normalization.NONE, 100)).size());
  }

  @Test
  void sameSpecGivesTheSameResult() {
    TrialSpec s = spec(ModelKind.FC, List.of(20, 20), 1e-2, Normalization.NONE, 300);
    TrialResult a = TrialRunner.run(s, data, "a", SolverListener.silent());
    TrialResult b = TrialRunner.run(s, data, "b", SolverListener.silent());
    assertEquals(a.epochs(), b.epochs());
    assertEquals(a.testAcc(), b.testAcc());
  }

  @Test
  void aHugeWeightScaleDivergesWithItsEpoch() {
    // Activations grow ~5·scale per layer: at 1e4 they overflow float32 (the notebooks see their
    // overflow already at 1.0 because their softmax does not subtract the row max; ours does).
    TrialSpec s =
        spec(ModelKind.FC, List.of(50, 50, 50, 50, 50, 50, 50), 1e4, Normalization.NONE, 400);
    TrialResult r = TrialRunner.run(s, data, "e", SolverListener.silent());
    assertEquals(TrialStatus.DIVERGED, r.status());
    assertTrue(r.divergedEpoch() >= 1);
    assertTrue(r.error().contains("iteration"), r.error());
    assertNull(r.modelNpz());
  }

  @Test
  void aBadConfigurationFailsWithoutThrowing() {
    TrialSpec s = spec(ModelKind.FC, List.of(10), 1e-2, Normalization.NONE, 100_000);
    TrialResult r = TrialRunner.run(s, data, "e", SolverListener.silent());
    assertEquals(TrialStatus.FAILED, r.status());
    assertTrue(r.error().contains("num_train 100000"), r.error());
    assertTrue(Double.isNaN(r.valAcc()) && Double.isNaN(r.bestValAcc()), "no accuracy: NULL");
    assertTrue(r.epochs().isEmpty());
    assertNull(r.modelNpz());
  }

  @Test
  void convTrialsRun() {
    TrialSpec s = spec(ModelKind.CNN, List.of(20), 1e-2, Normalization.NONE, 100);
    TrialResult r = TrialRunner.run(s, data, "e", SolverListener.silent());
    assertEquals(TrialStatus.OK, r.status(), r.error());
    assertTrue(ModelFiles.fromBytes(r.modelNpz()).architectureJson().contains("cnn"));
  }
}
