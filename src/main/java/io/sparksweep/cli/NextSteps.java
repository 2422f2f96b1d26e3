package io.sparksweep.cli;

import io.sparksweep.spark.Sessions;
import java.nio.file.Path;
import java.util.List;

/**
 * The commands to type after a search or a look at a run, ready to paste: {@code jobs/sparksweep …}
 * (the launcher; there is no {@code sparksweep} on the PATH), with {@code --warehouse} and {@code
 * --runs-dir} spelt out when they are not the defaults.
 */
final class NextSteps {
  private NextSteps() {}

  /**
   * The next commands for run {@code runId}.
   *
   * @param runId the run
   * @param runsDir its runs folder
   * @param warehouse its warehouse as given on the command line
   * @return query, report, best and runs-show lines
   */
  static List<String> commands(String runId, Path runsDir, String warehouse) {
    String w =
        warehouse == null || warehouse.equals(Sessions.DEFAULT_WAREHOUSE)
            ? ""
            : " --warehouse " + BestExport.shellQuote(warehouse);
    String r =
        runsDir == null || runsDir.equals(Path.of("runs"))
            ? ""
            : " --runs-dir " + BestExport.shellQuote(runsDir.toString());
    Path out = (runsDir == null ? Path.of("runs") : runsDir).resolve(runId).resolve("report");
    return List.of(
        "jobs/sparksweep query \"SELECT trial_key, status, best_val_acc, test_acc FROM trials WHERE"
            + " run_id = '"
            + runId
            + "' ORDER BY best_val_acc DESC\""
            + w,
        "jobs/sparksweep report --run "
            + runId
            + " --out "
            + BestExport.shellQuote(out.toString())
            + w
            + r,
        "jobs/sparksweep best " + runId + " --export yaml" + w + r + " > best-" + runId + ".yaml",
        "jobs/sparksweep runs show " + runId + w + r);
  }
}
