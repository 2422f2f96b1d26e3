package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunAxesTest {
  @Test
  void varyingAndFixedColumnsOfAWeightScaleSweep() {
    RunAxes axes = new RunAxes(new RunReport("r", "", Rows.weightScaleSweep()).rows());
    assertEquals(List.of("weight_scale", "normalization"), axes.varying());
    assertEquals(
        List.of("model", "hidden_dims", "update_rule", "learning_rate", "batch_size", "num_epochs"),
        List.copyOf(axes.fixed().keySet()));
    assertEquals("0.001", axes.fixed().get("learning_rate"));
    assertFalse(axes.repeatsVary());
  }

  @Test
  void numbersWrittenDifferentlyAreOneValue() {
    RunAxes axes =
        new RunAxes(
            List.of(
                Rows.ok(0, Rows.hyper("0.001", "none"), 2, 0.1),
                Rows.ok(1, Rows.hyper("1.0E-3", "none"), 2, 0.1)));
    assertTrue(axes.varying().isEmpty());
  }

  @Test
  void labelsNameTheVaryingColumnsShortly() {
    List<TrialRow> rows = new RunReport("r", "", Rows.weightScaleSweep()).rows();
    RunAxes axes = new RunAxes(rows);
    // Trial 1 of the fixture: the second weight scale (1e-4) with batchnorm.
    assertEquals("ws=1e-4, norm=batchnorm", axes.label(rows.get(1)));
  }

  @Test
  void labelsNameRepeatsWhenTheyVary() {
    TrialRow first = Rows.ok(0, Rows.hyper("0.01", "none"), 2, 0.1);
    TrialRow second = withRepeat(Rows.ok(0, Rows.hyper("0.01", "none"), 2, 0.2), 1);
    RunAxes axes = new RunAxes(List.of(first, second));
    assertEquals("rep=1", axes.label(second));
  }

  @Test
  void aSingleTrialIsLabelledByItsIndex() {
    RunAxes axes = new RunAxes(List.of(Rows.ok(4, Rows.hyper("0.01", "none"), 2, 0.1)));
    assertEquals("trial 4", axes.label(Rows.ok(4, Rows.hyper("0.01", "none"), 2, 0.1)));
  }

  @Test
  void aColumnMissingFromSomeRowsVaries() {
    Map<String, String> h = new java.util.LinkedHashMap<>(Rows.hyper("0.01", "none"));
    h.remove("normalization");
    RunAxes axes =
        new RunAxes(List.of(Rows.ok(0, Rows.hyper("0.01", "none"), 2, 0.1), Rows.ok(1, h, 2, 0.1)));
    assertEquals(List.of("normalization"), axes.varying());
    assertEquals("norm=" + Format.MISSING, axes.label(Rows.ok(1, h, 2, 0.1)));
  }

  static TrialRow withRepeat(TrialRow r, int repeat) {
    return new TrialRow(
        r.trialKey(),
        r.trialIndex(),
        repeat,
        r.seed(),
        r.hyperparameters(),
        r.status(),
        r.error(),
        r.divergedEpoch(),
        r.bestValAcc(),
        r.valAcc(),
        r.testAcc(),
        r.finalTrainAcc(),
        r.epochsRun(),
        r.trainSeconds(),
        r.executor(),
        r.epochs());
  }
}
