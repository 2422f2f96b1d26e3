package io.sparksweep.cli;

import io.sparksweep.model.ModelKind;
import io.sparksweep.report.TrialRow;
import io.sparksweep.search.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A run's best trial as something to run again: a grid file that the grid parser expands to that
 * very trial (same canonical hyperparameters, hence the same key; with the run's seed, the same
 * trial seed too), or a {@code jobs/sparksweep train} command line with the same hyperparameters
 * and the trial's own seed.
 */
final class BestExport {
  private BestExport() {}

  /**
   * A grid file of one trial.
   *
   * @param spec the trial
   * @param runId its run (for the comments and the grid's name)
   * @param gridName its run's grid name, or empty
   * @param runSeed the run's seed when known and consistent with the trial's seed ({@link
   *     TrialSpec#deriveSeed}), else null: the file then keeps the key but not the seed
   * @param bestValAcc the trial's best validation accuracy, for the header comment
   * @return YAML text
   */
  static String yaml(
      TrialSpec spec, String runId, String gridName, Long runSeed, double bestValAcc) {
    Map<String, String> h = TrialRow.hyperparametersOf(spec);
    List<String> lines = new ArrayList<>();
    lines.add(
        "# The best trial of run "
            + runId
            + (gridName.isEmpty() ? "" : " (grid " + gridName + ")")
            + ": #"
            + spec.index()
            + ", key "
            + spec.key()
            + ", best val acc "
            + TopTable.accuracy(bestValAcc)
            + ".");
    lines.add(
        "# jobs/sparksweep search --grid THIS_FILE runs it again: the same key"
            + (runSeed != null ? " and seed." : "; the run's seed is unknown, so not the same seed")
            + (runSeed == null
                ? " (train --seed " + spec.seed() + " reproduces it exactly)."
                : ""));
    lines.add("name: best-of-" + runId);
    if (runSeed != null) {
      lines.add("seed: " + runSeed);
    }
    if (spec.repeat() > 0) {
      lines.add("repeats: " + (spec.repeat() + 1) + "   # the best was repeat " + spec.repeat());
    }
    boolean cnn = spec.model() == ModelKind.CNN;
    for (Map.Entry<String, String> e : h.entrySet()) {
      String k = e.getKey();
      if (!cnn && (k.equals("num_filters") || k.equals("filter_size"))) {
        continue; // unused by fc nets: the grid leaves them 0
      }
      String v = e.getValue();
      if (k.equals("hidden_dims")) {
        v = v.replace(",", ", ");
      }
      lines.add(k + ": " + v);
    }
    return String.join("\n", lines) + "\n";
  }

  /**
   * A {@code train} command line with the trial's hyperparameters and seed (training then repeats
   * the trial exactly: the same initial weights and minibatches).
   *
   * @param spec the trial
   * @param data the {@code --data} argument to put in, or null to leave it out
   * @return one line
   */
  static String trainCommand(TrialSpec spec, String data) {
    Map<String, String> h = TrialRow.hyperparametersOf(spec);
    List<String> args = new ArrayList<>(List.of("jobs/sparksweep", "train"));
    args.addAll(List.of("--model", spec.model().id()));
    args.addAll(List.of("--hidden-dims", h.get("hidden_dims").replaceAll("[\\[\\] ]", "")));
    if (spec.model() == ModelKind.CNN) {
      args.addAll(List.of("--num-filters", h.get("num_filters")));
      args.addAll(List.of("--filter-size", h.get("filter_size")));
    }
    args.addAll(List.of("--update-rule", h.get("update_rule")));
    args.addAll(List.of("--learning-rate", h.get("learning_rate")));
    args.addAll(List.of("--weight-scale", h.get("weight_scale")));
    args.addAll(List.of("--dropout-keep", h.get("dropout_keep_ratio")));
    args.addAll(List.of("--normalization", h.get("normalization")));
    args.addAll(List.of("--reg", h.get("reg")));
    args.addAll(List.of("--epochs", h.get("num_epochs")));
    args.addAll(List.of("--batch-size", h.get("batch_size")));
    args.addAll(List.of("--lr-decay", h.get("lr_decay")));
    args.addAll(List.of("--num-train", h.get("num_train")));
    args.addAll(List.of("--seed", Long.toString(spec.seed())));
    if (data != null) {
      args.addAll(List.of("--data", shellQuote(data)));
    }
    return String.join(" ", args);
  }

  /** A word safe to paste into a POSIX shell. */
  static String shellQuote(String s) {
    return s.matches("[A-Za-z0-9_./:=@%+,-]+") ? s : "'" + s.replace("'", "'\\''") + "'";
  }

  /** Whether {@code runSeed} gives {@code spec} its seed. */
  static boolean seedMatches(TrialSpec spec, long runSeed) {
    return TrialSpec.deriveSeed(runSeed, spec.key(), spec.repeat()) == spec.seed();
  }
}
