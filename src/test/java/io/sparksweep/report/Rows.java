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
}
