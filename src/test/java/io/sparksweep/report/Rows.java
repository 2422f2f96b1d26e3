package io.sparksweep.report;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Synthetic trial rows with made-up learning curves. */
final class Rows {
  static final double[] WEIGHT_SCALES = {1e-1, 1e-4, 1e-2, 1e-3, 1};
  static final String[] NORMALIZATIONS = {"batchnorm", "none"};

  private Rows() {}

  /** Hyperparameters of the notebooks' fc net with the given weight scale and normalization. */
  static Map<String, String> hyper(String weightScale, String normalization) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("normalization", normalization);
    h.put("weight_scale", weightScale);
    h.put("model", "fc");
    h.put("hidden_dims", "[100,100]");
    h.put("update_rule", "adam");
    h.put("learning_rate", "0.001");
    h.put("batch_size", "50");
    h.put("num_epochs", "3");
    return h;
  }

  /** A learning curve of {@code n} epochs: loss falling from {@code loss0}, accuracies rising. */
  static List<EpochRecord> curve(int n, double loss0, double acc0) {
    List<EpochRecord> epochs = new ArrayList<>();
    for (int e = 1; e <= n; e++) {
      epochs.add(new EpochRecord(e, loss0 / e, acc0 + 0.05 * e, acc0 + 0.03 * e));
    }
    return epochs;
  }

  /** An OK trial whose accuracies are the curve's. */
  static TrialRow ok(int index, Map<String, String> hyper, double loss0, double acc0) {
    List<EpochRecord> epochs = curve(3, loss0, acc0);
    double bestVal = epochs.stream().mapToDouble(EpochRecord::valAcc).max().orElseThrow();
    return new TrialRow(
        String.format("%016x", 0xabc000L + index),
        index,
        0,
        1000L + index,
        hyper,
        TrialStatus.OK,
        null,
        0,
        bestVal,
        bestVal,
        bestVal - 0.01,
        epochs.get(epochs.size() - 1).trainAcc(),
        epochs.size(),
        12.5 + index,
        "host-" + index,
        epochs);
  }

  /** The trial with another status, all else as it was. */
  static TrialRow withStatus(TrialRow r, TrialStatus status) {
    return new TrialRow(
        r.trialKey(),
        r.trialIndex(),
        r.repeat(),
        r.seed(),
        r.hyperparameters(),
        status,
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

  /** A trial that did not finish, with no usable accuracies. */
  static TrialRow failed(int index, Map<String, String> hyper, TrialStatus status, String error) {
    return new TrialRow(
        String.format("%016x", 0xdead000L + index),
        index,
        0,
        2000L + index,
        hyper,
        status,
        error,
        status == TrialStatus.DIVERGED ? 2 : 0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        status == TrialStatus.DIVERGED ? 1 : 0,
        3.0,
        "host-x",
        status == TrialStatus.DIVERGED ? List.of(new EpochRecord(1, 2.3, 0.1, 0.1)) : List.of());
  }

  /**
   * 2 normalizations × 5 weight scales, all OK, in scrambled order: trial i has best val acc 0.2 +
   * 0.01·i + 0.09 = 0.29 + 0.01·i.
   */
  static List<TrialRow> weightScaleSweep() {
    List<TrialRow> rows = new ArrayList<>();
    int i = 0;
    for (String n : NORMALIZATIONS) {
      for (double ws : WEIGHT_SCALES) {
        rows.add(ok(i, hyper(Double.toString(ws), n), 2.3 + i * 0.01, 0.2 + 0.01 * i));
        i++;
      }
    }
    java.util.Collections.reverse(rows);
    return rows;
  }

  /**
   * A 40-trial run over update_rule × normalization × learning_rate × weight_scale (2 × 2 × 2 × 5),
   * 19-digit seeds, one OK trial whose loss spikes to 4.5e8 and two that did not finish. Best val
   * acc = 0.30 + 0.10 (adam) + 0.05 (batchnorm) + a small weight-scale term, so update_rule matters
   * most.
   */
  static List<TrialRow> mixedRun() {
    List<TrialRow> rows = new ArrayList<>();
    int i = 0;
    for (String rule : List.of("sgd_momentum", "adam")) {
      for (String norm : List.of("none", "batchnorm")) {
        for (String lr : List.of("1e-3", "1e-4")) {
          for (double ws : WEIGHT_SCALES) {
            Map<String, String> h = hyper(Double.toString(ws), norm);
            h.put("update_rule", rule);
            h.put("learning_rate", lr);
            long seed = 1_000_000_000_000_000_000L + 7_777_777_777_777L * i;
            if (i == 7) {
              rows.add(failedWithSeed(i, h, TrialStatus.DIVERGED, "loss is NaN", seed));
            } else if (i == 13) {
              rows.add(failedWithSeed(i, h, TrialStatus.FAILED, "out of memory", seed));
            } else {
              double acc =
                  0.30
                      + (rule.equals("adam") ? 0.10 : 0)
                      + (norm.equals("batchnorm") ? 0.05 : 0)
                      + 0.01 * Math.log10(ws)
                      + 0.001 * (i % 3);
              double loss0 = i == 3 ? 4.5e8 : 2.3 - acc;
              List<EpochRecord> epochs = new ArrayList<>();
              for (int e = 1; e <= 5; e++) {
                epochs.add(
                    new EpochRecord(e, loss0 / e, acc - 0.1 + 0.03 * e, acc - 0.1 + 0.02 * e));
              }
              rows.add(
                  new TrialRow(
                      String.format("%016x", 0x5eed000L + i),
                      i,
                      0,
                      seed,
                      h,
                      TrialStatus.OK,
                      null,
                      0,
                      acc,
                      acc,
                      acc - 0.01,
                      acc + 0.05,
                      5,
                      10.0 + i,
                      "host-" + (i % 2),
                      epochs));
            }
            i++;
          }
        }
      }
    }
    return rows;
  }

  private static TrialRow failedWithSeed(
      int index, Map<String, String> hyper, TrialStatus status, String error, long seed) {
    TrialRow r = failed(index, hyper, status, error);
    return new TrialRow(
        r.trialKey(),
        r.trialIndex(),
        r.repeat(),
        seed,
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
