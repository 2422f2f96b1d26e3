package io.sparksweep.cli;

import io.sparksweep.report.TrialRow;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.spark.HumanDuration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The table of a run's best trials that {@code search}, {@code runs show} and {@code best} print:
 * rank, key, every hyperparameter that varies among the run's trials (and no constant one), then
 * best validation accuracy, test accuracy, training time and the model's location. A grid over
 * {@code batch_size × lr_decay} thus shows both columns, so its rows differ.
 */
final class TopTable {
  private TopTable() {}

  /**
   * The columns (table names such as {@code learning_rate}) whose values differ between {@code
   * trials}, in trial-field order; numbers compare by value.
   *
   * @param trials every trial of the run
   * @return the varied columns; empty for a single trial or a grid of repeats
   */
  static List<String> variedColumns(List<TrialSpec> trials) {
    Map<String, Set<String>> values = new LinkedHashMap<>();
    for (TrialSpec t : trials) {
      TrialRow.hyperparametersOf(t)
          .forEach((k, v) -> values.computeIfAbsent(k, x -> new HashSet<>()).add(canonical(v)));
    }
    List<String> varied = new ArrayList<>();
    values.forEach(
        (k, v) -> {
          if (v.size() > 1) {
            varied.add(k);
          }
        });
    return varied;
  }

  /**
   * The rendered table.
   *
   * @param all every trial of the run (decides which columns vary)
   * @param top the trials to list, best first
   * @param model where a trial's model is (a full URI), or null/empty for none
   * @return the text table, one line per trial under a header
   */
  static String render(
      List<TrialSpec> all, List<TrialResult> top, Function<TrialResult, String> model) {
    List<String> varied = variedColumns(all);
    boolean repeats = all.stream().map(TrialSpec::repeat).distinct().count() > 1;
    List<String> header = new ArrayList<>(List.of("rank", "trial_key"));
    if (repeats) {
      header.add("repeat");
    }
    header.addAll(varied);
    header.addAll(List.of("best_val_acc", "test_acc", "train_time", "model"));
    List<List<String>> rows = new ArrayList<>();
    for (int i = 0; i < top.size(); i++) {
      TrialResult r = top.get(i);
      Map<String, String> h = TrialRow.hyperparametersOf(r.spec());
      List<String> row = new ArrayList<>(List.of(Integer.toString(i + 1), r.spec().key()));
      if (repeats) {
        row.add(Integer.toString(r.spec().repeat()));
      }
      for (String c : varied) {
        row.add(h.getOrDefault(c, ""));
      }
      row.add(accuracy(r.bestValAcc()));
      row.add(accuracy(r.testAcc()));
      row.add(HumanDuration.seconds(r.trainSeconds()));
      String m = model.apply(r);
      row.add(m == null ? "" : m);
      rows.add(row);
    }
    return TextTable.render(header, rows);
  }

  static String accuracy(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : "-";
  }

  private static String canonical(String v) {
    try {
      return Double.toString(Double.parseDouble(v));
    } catch (NumberFormatException e) {
      return v;
    }
  }
}
