package io.sparksweep.cli;

import io.sparksweep.report.TrialRow;
import io.sparksweep.search.TrialSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code search --dry-run}: the trials a grid expands to, one line each (index, key, repeat, seed
 * and every hyperparameter that varies), and their count, without reading data or starting Spark.
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
    out.printf(
        "%s: %d %s (dry run: no data read, no Spark started)%n",
        grid, trials.size(), trials.size() == 1 ? "trial" : "trials");
    out.flush();
  }
}
