package io.sparksweep.cli;

import io.sparksweep.report.TrialRow;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.schedule.Bracket;
import io.sparksweep.search.schedule.Brackets;
import io.sparksweep.search.schedule.Rung;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code search --dry-run}: the trials a grid expands to, one line each (index, key, repeat, seed
 * and every hyperparameter that varies), and their count, without reading data or starting Spark;
 * for a file with a {@code scheduler}, the plan of its brackets and rungs.
 */
final class DryRun {
  private DryRun() {}

  /**
   * Prints the trials of a grid.
   *
   * @param out where to print
   * @param grid the grid file (named in the count line)
   * @param trials its expanded trials, in expansion order
   */
  static void print(PrintWriter out, Path grid, List<TrialSpec> trials) {
    print(out, grid, trials, Optional.empty());
  }

  /**
   * Prints the trials of a grid and, with a scheduler, its plan ({@link #plan}).
   *
   * @param out where to print
   * @param grid the grid file (named in the count line)
   * @param trials its expanded trials, in expansion order
   * @param scheduler the grid's scheduler, if it has one
   */
  static void print(
      PrintWriter out, Path grid, List<TrialSpec> trials, Optional<SchedulerConfig> scheduler) {
    List<String> varied = TopTable.variedColumns(trials);
    List<String> header = new ArrayList<>(List.of("index", "trial_key", "repeat", "seed"));
    header.addAll(varied);
    List<List<String>> rows = new ArrayList<>();
    for (TrialSpec t : trials) {
      Map<String, String> h = TrialRow.hyperparametersOf(t);
      List<String> row =
          new ArrayList<>(
              List.of(
                  Integer.toString(t.index()),
                  t.key(),
                  Integer.toString(t.repeat()),
                  Long.toString(t.seed())));
      for (String c : varied) {
        row.add(h.get(c));
      }
      rows.add(row);
    }
    out.print(TextTable.render(header, rows));
    if (!trials.isEmpty()) {
      Map<String, String> fixed =
          new java.util.LinkedHashMap<>(TrialRow.hyperparametersOf(trials.get(0)));
      fixed.keySet().removeAll(varied);
      List<String> pairs = new ArrayList<>();
      fixed.forEach((k, v) -> pairs.add(k + "=" + v));
      out.println("fixed: " + String.join(", ", pairs));
    }
    if (scheduler.isPresent() && !trials.isEmpty()) {
      out.print(plan(scheduler.get(), trials.size()));
    }
    out.printf(
        "%s: %d %s (dry run: no data read, no Spark started)%n",
        grid, trials.size(), trials.size() == 1 ? "trial" : "trials");
    out.flush();
  }

  /**
   * The brackets and rungs of a scheduler over {@code configurations} trials, as (configurations ×
   * epochs) per rung, and the epochs it trains in the promotion form (a promoted trial continues
   * from its checkpoint) against every trial trained to {@code max_resource}:
   *
   * <pre>
   * scheduler sha: reduction_factor 3, epochs 1 to 27, 1 bracket, 27 configurations
   *   bracket 0: rung 0 27 × 1 · rung 1 9 × 3 · rung 2 3 × 9 · rung 3 1 × 27 (81 epochs)
   *   epochs: 81 planned vs 729 at full budget (27 × 27): 11.1%
   * </pre>
   *
   * For asha the rung sizes are what its promotions reach when every result is in ({@code ≈ n /
   * η^i}); they depend on the completion order.
   */
  static String plan(SchedulerConfig config, int configurations) {
    List<Bracket> brackets = Brackets.of(config, configurations);
    boolean asynchronous = config.type() == SchedulerType.ASHA;
    int total = 0;
    for (Bracket b : brackets) {
      total += b.configurations();
    }
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "scheduler %s: reduction_factor %d, epochs %d to %d, %d %s, %d configurations%n",
            config.type().id(),
            config.reductionFactor(),
            config.minResource(),
            config.maxResource(),
            brackets.size(),
            brackets.size() == 1 ? "bracket" : "brackets",
            total));
    long planned = 0;
    for (Bracket b : brackets) {
      List<String> rungs = new ArrayList<>();
      long epochs = 0;
      int previous = 0;
      for (Rung r : b.rungs()) {
        long size = r.size() >= 0 ? r.size() : ashaSize(b.configurations(), config, r.index());
        rungs.add(
            "rung " + r.index() + " " + (asynchronous ? "≈" : "") + size + " × " + r.epochs());
        epochs += size * (r.epochs() - previous);
        previous = r.epochs();
      }
      planned += epochs;
      sb.append("  bracket ")
          .append(b.index())
          .append(": ")
          .append(String.join(" · ", rungs))
          .append(" (")
          .append(asynchronous ? "≈" : "")
          .append(epochs)
          .append(" epochs)")
          .append(System.lineSeparator());
    }
    long full = (long) total * config.maxResource();
    sb.append(
        String.format(
            Locale.ROOT,
            "  epochs: %s%d planned vs %d at full budget (%d × %d): %.1f%%%n",
            asynchronous ? "≈" : "",
            planned,
            full,
            total,
            config.maxResource(),
            100.0 * planned / full));
    return sb.toString();
  }

  /** ASHA's rung i when every result is in: the top ⌊n / η^i⌋, at least one. */
  private static long ashaSize(int n, SchedulerConfig config, int rung) {
    long size = n;
    for (int i = 0; i < rung; i++) {
      size /= config.reductionFactor();
    }
    return Math.max(1, size);
  }
}
