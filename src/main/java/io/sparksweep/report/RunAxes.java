package io.sparksweep.report;

import io.sparksweep.search.GridAxis;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which hyperparameters a run varies and which it holds fixed, and the trial labels built from the
 * varying ones ({@code ws=1e-3, norm=batchnorm}).
 */
final class RunAxes {
  /** Short names for legends; unknown columns keep their name. */
  private static final Map<String, String> SHORT =
      Map.ofEntries(
          Map.entry(GridAxis.MODEL.id(), "model"),
          Map.entry(GridAxis.HIDDEN_DIMS.id(), "hidden"),
          Map.entry(GridAxis.NUM_FILTERS.id(), "filters"),
          Map.entry(GridAxis.FILTER_SIZE.id(), "fsize"),
          Map.entry(GridAxis.UPDATE_RULE.id(), "rule"),
          Map.entry(GridAxis.LEARNING_RATE.id(), "lr"),
          Map.entry(GridAxis.WEIGHT_SCALE.id(), "ws"),
          Map.entry(GridAxis.DROPOUT_KEEP_RATIO.id(), "keep"),
          Map.entry(GridAxis.NORMALIZATION.id(), "norm"),
          Map.entry(GridAxis.REG.id(), "reg"),
          Map.entry(GridAxis.BATCH_SIZE.id(), "bs"),
          Map.entry(GridAxis.NUM_EPOCHS.id(), "epochs"),
          Map.entry(GridAxis.LR_DECAY.id(), "decay"),
          Map.entry(GridAxis.NUM_TRAIN.id(), "n_train"));

  private final List<String> varying;
  private final Map<String, String> fixed;
  private final boolean repeatsVary;

  /**
   * The axes of {@code rows}: a column varies if two rows hold different values for it (numbers
   * compared by value; a row without the column counts as a value of its own).
   *
   * @param rows the run's trials
   */
  RunAxes(List<TrialRow> rows) {
    Set<String> keys = new TreeSet<>(TrialRow.KEY_ORDER);
    for (TrialRow r : rows) {
      keys.addAll(r.hyperparameters().keySet());
    }
    List<String> v = new ArrayList<>();
    Map<String, String> f = new LinkedHashMap<>();
    for (String k : keys) {
      Set<String> values = new HashSet<>();
      String first = null;
      for (TrialRow r : rows) {
        String value = r.hyperparameters().get(k);
        values.add(value == null ? "\0missing" : Format.canonical(value));
        if (first == null) {
          first = value;
        }
      }
      if (values.size() > 1) {
        v.add(k);
      } else {
        f.put(k, first);
      }
    }
    this.varying = List.copyOf(v);
    this.fixed = Collections.unmodifiableMap(f);
    this.repeatsVary = rows.stream().map(TrialRow::repeat).distinct().count() > 1;
  }

  /** Columns with more than one value, in column order. */
  List<String> varying() {
    return varying;
  }

  /** Columns with one value across the run, and that value, in column order. */
  Map<String, String> fixed() {
    return fixed;
  }

  /** Whether the run holds several repeats of a grid point. */
  boolean repeatsVary() {
    return repeatsVary;
  }

  /** The legend name of a column: {@code lr}, {@code ws}, … or the column itself. */
  static String shortName(String column) {
    return SHORT.getOrDefault(column, column);
  }

  /**
   * A trial's label from the varying columns, such as {@code ws=1e-3, norm=batchnorm}, with {@code
   * rep=1} when repeats vary; {@code trial 0} when nothing varies.
   *
   * @param row a trial of this run
   * @return its label
   */
  String label(TrialRow row) {
    List<String> parts = new ArrayList<>();
    for (String k : varying) {
      String value = row.hyperparameters().get(k);
      parts.add(shortName(k) + "=" + (value == null ? Format.MISSING : Format.value(value)));
    }
    if (repeatsVary) {
      parts.add("rep=" + row.repeat());
    }
    return parts.isEmpty() ? "trial " + row.trialIndex() : String.join(", ", parts);
  }
}
