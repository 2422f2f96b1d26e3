package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImportanceTest {
  private static final double EPS = 1e-12;

  /** An OK trial with the given columns and best val acc. */
  private static TrialRow trial(int i, double bestVal, String... columnValue) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int k = 0; k < columnValue.length; k += 2) {
      h.put(columnValue[k], columnValue[k + 1]);
    }
    TrialRow base = Rows.ok(i, h, 2.0, 0.1);
    return new TrialRow(
        base.trialKey(),
        i,
        0,
        i,
        h,
        TrialStatus.OK,
        null,
        0,
        bestVal,
        bestVal,
        bestVal,
        bestVal,
        3,
        1.0,
        "x",
        base.epochs());
  }

  /**
   * A balanced 2 × 2 grid, worked by hand: y = 0.5, 0.1 (lr 1e-3) and 0.7, 0.3 (lr 1e-4) for adam,
   * sgd. Mean 0.4; SS_total = 0.01 + 0.09 + 0.09 + 0.01 = 0.2. By update_rule the group means are
   * 0.6 and 0.2: SS_between = 2·0.2² + 2·0.2² = 0.16, η² = 0.8. By learning rate they are 0.3 and
   * 0.5: SS_between = 4·0.1² = 0.04, η² = 0.2. No interaction, so they add up to 1.
   */
  @Test
  void etaSquaredOfAHandWorkedGrid() {
    List<TrialRow> rows =
        List.of(
            trial(0, 0.5, "update_rule", "adam", "learning_rate", "0.001"),
            trial(1, 0.1, "update_rule", "sgd", "learning_rate", "1.0E-3"),
            trial(2, 0.7, "update_rule", "adam", "learning_rate", "1e-4"),
            trial(3, 0.3, "update_rule", "sgd", "learning_rate", "0.0001"));
    List<Importance> importances = Importance.of(rows, List.of("learning_rate", "update_rule"));
    assertEquals(2, importances.size());
    // Most important first, whatever order the axes were given in.
    assertEquals("update_rule", importances.get(0).axis());
    assertEquals(0.8, importances.get(0).fraction(), EPS);
    assertEquals(2, importances.get(0).groups());
    assertEquals(4, importances.get(0).trials());
    assertEquals("learning_rate", importances.get(1).axis());
    // 0.001 and 1.0E-3 are one value: two groups, not three.
    assertEquals(2, importances.get(1).groups());
    assertEquals(0.2, importances.get(1).fraction(), EPS);
  }

  @Test
  void unfinishedTrialsAndConstantAxesAreLeftOut() {
    List<TrialRow> rows = new ArrayList<>();
    rows.add(trial(0, 0.2, "normalization", "none", "model", "fc"));
    rows.add(trial(1, 0.4, "normalization", "batchnorm", "model", "fc"));
    // A DIVERGED trial with a value of its own: not a group, no weight in the variance.
    rows.add(
        Rows.failed(
            2, Map.of("normalization", "layernorm", "model", "fc"), TrialStatus.DIVERGED, "nan"));
    List<Importance> importances = Importance.of(rows, List.of("normalization", "model"));
    assertEquals(1, importances.size(), "model has one value among OK trials");
    assertEquals(1.0, importances.get(0).fraction(), EPS);
    assertEquals(2, importances.get(0).groups());
    assertEquals(2, importances.get(0).trials());
  }

  @Test
  void equalAccuraciesExplainNothing() {
    List<TrialRow> rows =
        List.of(trial(0, 0.3, "reg", "0"), trial(1, 0.3, "reg", "0.1"), trial(2, 0.3, "reg", "1"));
    List<Importance> importances = Importance.of(rows, List.of("reg"));
    assertEquals(0.0, importances.get(0).fraction(), EPS);
  }

  @Test
  void theMixedRunRanksUpdateRuleFirst() {
    List<Importance> importances =
        Importance.of(
            Rows.mixedRun(),
            List.of("update_rule", "learning_rate", "weight_scale", "normalization"));
    assertEquals(
        List.of("update_rule", "normalization", "weight_scale", "learning_rate"),
        importances.stream().map(Importance::axis).toList());
    double sum = importances.stream().mapToDouble(Importance::fraction).sum();
    // Nearly balanced (2 of 40 trials missing), additive by construction: close to 1, not above.
    assertEquals(1.0, sum, 0.02);
  }

  /** A trial of an adaptive run: its status and its validation accuracy after each epoch. */
  private static TrialRow adaptive(int i, TrialStatus status, String lr, String ws, double... val) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("learning_rate", lr);
    h.put("weight_scale", ws);
    List<EpochRecord> epochs = new ArrayList<>();
    for (int e = 1; e <= val.length; e++) {
      epochs.add(new EpochRecord(e, 2.0 / e, val[e - 1], val[e - 1]));
    }
    double best = java.util.Arrays.stream(val).max().orElse(Double.NaN);
    return new TrialRow(
        String.format("%016x", i),
        i,
        0,
        i,
        h,
        status,
        null,
        0,
        best,
        best,
        best,
        best,
        val.length,
        1.0,
        "x",
        epochs);
  }

  /**
   * An adaptive run, worked by hand. Two trials were stopped after their first epoch (val 0.2 at lr
   * a, 0.4 at lr b, both ws x), two ran 3 epochs to the end (lr a: 0.3 after epoch 1, best 0.9; lr
   * b: 0.5, best 0.6; both ws y); a FAILED one has no curve. Over the OK trials' best accuracy
   * alone, lr would explain everything (η² = 1) and ws would not appear (one value). At the common
   * epoch 1: y = 0.2, 0.4, 0.3, 0.5, mean 0.35, SS_total = 0.05; by lr the means are 0.25 and 0.45,
   * SS_between = 4·0.1² = 0.04, η² = 0.8; by ws they are 0.3 and 0.4, SS_between = 4·0.05² = 0.01,
   * η² = 0.2.
   */
  @Test
  void anAdaptiveRunIsComparedAtItsFirstRungOverTheStoppedTrialsToo() {
    List<TrialRow> rows =
        List.of(
            adaptive(0, TrialStatus.STOPPED, "a", "x", 0.2),
            adaptive(1, TrialStatus.STOPPED, "b", "x", 0.4),
            adaptive(2, TrialStatus.OK, "a", "y", 0.3, 0.5, 0.9),
            adaptive(3, TrialStatus.OK, "b", "y", 0.5, 0.6, 0.55),
            Rows.failed(
                4, Map.of("learning_rate", "c", "weight_scale", "z"), TrialStatus.FAILED, "boom"));
    assertEquals(1, Importance.commonEpoch(rows));
    List<Importance> importances = Importance.of(rows, List.of("learning_rate", "weight_scale"));
    assertEquals(2, importances.size());
    assertEquals("learning_rate", importances.get(0).axis());
    assertEquals(0.8, importances.get(0).fraction(), EPS);
    assertEquals(4, importances.get(0).trials());
    assertEquals(2, importances.get(0).groups());
    assertEquals("weight_scale", importances.get(1).axis());
    assertEquals(0.2, importances.get(1).fraction(), EPS);
    assertTrue(Importance.measured(1).startsWith("validation accuracy after 1 epoch "));
    // Without a stopped trial the run is compared by best validation accuracy, OK trials only.
    List<TrialRow> finished = List.of(rows.get(2), rows.get(3), rows.get(4));
    assertEquals(0, Importance.commonEpoch(finished));
    List<Importance> byBest = Importance.of(finished, List.of("learning_rate", "weight_scale"));
    assertEquals(1, byBest.size());
    assertEquals(1.0, byBest.get(0).fraction(), EPS);
    assertEquals(2, byBest.get(0).trials());
  }

  /**
   * A sampled space, worked by hand: ten trials, learning rates 1…10 (each its own value), y = 0.01
   * · lr. As ten groups of one, η² would be 1 whatever y is. In 5 bins of two values each ({1,2},
   * {3,4}, …): mean 0.055, SS_total = 0.0001 · Σ (x − 5.5)² = 0.00825; the bins' means 0.015,
   * 0.035, …, 0.095, SS_between = 2 · 0.0001 · (16 + 4 + 0 + 4 + 16) = 0.008; η² = 32/33. A text
   * axis with ten values is not binned.
   */
  @Test
  void aNumericAxisWithManyValuesIsBinned() {
    List<TrialRow> rows = new ArrayList<>();
    for (int x = 1; x <= 10; x++) {
      rows.add(trial(x, 0.01 * x, "learning_rate", Integer.toString(x), "tag", "t" + x));
    }
    List<Importance> importances = Importance.of(rows, List.of("learning_rate", "tag"));
    Importance tag = importances.get(0);
    assertEquals("tag", tag.axis());
    assertEquals(1.0, tag.fraction(), EPS);
    assertEquals(10, tag.groups());
    assertFalse(tag.binned());
    Importance lr = importances.get(1);
    assertEquals("learning_rate", lr.axis());
    assertTrue(lr.binned());
    assertEquals(Importance.BINS, lr.groups());
    assertEquals(32.0 / 33.0, lr.fraction(), 1e-9);
    // Five values or fewer stay one group each.
    List<Importance> few = Importance.of(rows.subList(0, 5), List.of("learning_rate"));
    assertFalse(few.get(0).binned());
    assertEquals(5, few.get(0).groups());
  }

  @Test
  void aFractionOutsideZeroToOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Importance("x", 2, 2, 1.5, false));
    assertThrows(
        IllegalArgumentException.class, () -> new Importance("x", 2, 2, Double.NaN, false));
  }
}
