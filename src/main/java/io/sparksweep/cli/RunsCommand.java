package io.sparksweep.cli;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.spark.HumanDuration;
import io.sparksweep.spark.RunCatalog;
import io.sparksweep.spark.RunReader;
import io.sparksweep.spark.SearchOutcome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep runs list|show|compare}: the runs of a warehouse, read with Spark SQL from the
 * {@code trials} and {@code epochs} tables (grid names from the runs folder's manifests).
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = {
      "Lists the runs in the warehouse, shows one, or compares several.",
      "Example: sparksweep runs list",
      "         sparksweep runs show latest",
      "         sparksweep runs compare RUN_ID RUN_ID"
    },
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class, RunsCommand.Compare.class})
public final class RunsCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** How many trials {@code runs show} lists. */
  static final int TOP = 5;

  /** {@code runs list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "One line per run, most recent first: id, grid, start, trials by status, best val acc.",
        "Example: sparksweep runs list --warehouse warehouse"
      })
  static final class ListRuns implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin SparkOptions sparkOptions = new SparkOptions();
    @Mixin RunsDirOption runs = new RunsDirOption();

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SparkSession spark = sparkOptions.session("sparksweep runs list");
      List<RunCatalog.RunSummary> all = RunCatalog.list(spark);
      if (all.isEmpty()) {
        out.println(
            "no runs in " + sparkOptions.warehouse + "; start one with: jobs/sparksweep search");
        out.flush();
        return 0;
      }
      List<List<String>> rows = new ArrayList<>();
      for (RunCatalog.RunSummary s : all) {
        rows.add(
            List.of(
                s.runId(),
                RunNames.gridName(runs.resolve(sparkOptions.warehouse), s.runId()),
                s.started() == null ? "" : s.started().toString(),
                Long.toString(s.trials()),
                Long.toString(s.count(TrialStatus.OK.name())),
                Long.toString(s.count(TrialStatus.DIVERGED.name())),
                Long.toString(s.count(TrialStatus.FAILED.name())),
                otherStatuses(s),
                TopTable.accuracy(s.bestValAcc())));
      }
      out.print(
          TextTable.render(
              List.of(
                  "run_id",
                  "grid",
                  "started",
                  "trials",
                  "ok",
                  "diverged",
                  "failed",
                  "other",
                  "best_val_acc"),
              rows));
      out.printf("(%d %s)%n", all.size(), all.size() == 1 ? "run" : "runs");
      out.flush();
      return 0;
    }
  }

  /** Counts of statuses other than OK, DIVERGED and FAILED ({@code STOPPED 3}), or empty. */
  static String otherStatuses(RunCatalog.RunSummary s) {
    List<String> parts = new ArrayList<>();
    s.statusCounts()
        .forEach(
            (status, n) -> {
              if (!Set.of("OK", "DIVERGED", "FAILED").contains(status)) {
                parts.add(status + " " + n);
              }
            });
    return String.join(", ", parts);
  }

  /** {@code runs show ID}. */
  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = {
        "One run: grid, times, trials by status, the axes it varies and fixes, its top "
            + TOP
            + " trials and the next commands to type.",
        "Example: sparksweep runs show latest"
      })
  static final class Show implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin SparkOptions sparkOptions = new SparkOptions();
    @Mixin RunsDirOption runs = new RunsDirOption();

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "A run id, or 'latest'.")
    String runId;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SparkSession spark = sparkOptions.session("sparksweep runs show");
      String id = resolve(spark, runId, sparkOptions.warehouse);
      List<RunReader.StoredTrial> stored = RunReader.read(spark, sparkOptions.warehouse, id);
      RunCatalog.RunSummary s = RunCatalog.summary(spark, id);
      String grid = RunNames.gridName(runs.resolve(sparkOptions.warehouse), id);
      out.println("run      " + id + (grid.isEmpty() ? "" : "   grid " + grid));
      if (s.started() != null) {
        out.println(
            "started  "
                + s.started()
                + (s.finished() == null
                    ? ""
                    : "   finished "
                        + s.finished()
                        + " ("
                        + HumanDuration.of(Duration.between(s.started(), s.finished()))
                        + ")"));
      }
      out.println("trials   " + statusLine(s));
      List<TrialSpec> specs = stored.stream().map(t -> t.result().spec()).toList();
      List<String> varied = TopTable.variedColumns(specs);
      out.println("varied   " + (varied.isEmpty() ? "(nothing)" : String.join(", ", varied)));
      Map<String, String> fixed =
          new LinkedHashMap<>(io.sparksweep.report.TrialRow.hyperparametersOf(specs.get(0)));
      fixed.keySet().removeAll(varied);
      List<String> pairs = new ArrayList<>();
      fixed.forEach((k, v) -> pairs.add(k + "=" + v));
      out.println("fixed    " + String.join(", ", pairs));
      List<TrialResult> ranking = ranking(stored);
      if (ranking.isEmpty()) {
        out.println("no trial finished OK");
      } else {
        out.printf("top %d by validation accuracy:%n", Math.min(TOP, ranking.size()));
        java.util.function.Function<TrialResult, String> models = modelPaths(stored);
        out.print(
            TopTable.render(
                specs,
                ranking.subList(0, Math.min(TOP, ranking.size())),
                r -> SearchOutput.modelUri(models.apply(r))));
      }
      out.println("next:");
      for (String c : NextSteps.commands(id, runs.runsDir, sparkOptions.warehouse)) {
        out.println("  " + c);
      }
      out.flush();
      return 0;
    }
  }

  /** {@code runs compare ID ID…}. */
  @Command(
      name = "compare",
      mixinStandardHelpOptions = true,
      description = {
        "Runs side by side: trials by status, best val and test accuracy, and the hyperparameters"
            + " of each run's best trial that differ between the runs.",
        "Example: sparksweep runs compare 20261202-031500-ab12 latest"
      })
  static final class Compare implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin SparkOptions sparkOptions = new SparkOptions();
    @Mixin RunsDirOption runs = new RunsDirOption();

    @Parameters(arity = "2..*", paramLabel = "RUN_ID", description = "Two or more run ids.")
    List<String> runIds;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      SparkSession spark = sparkOptions.session("sparksweep runs compare");
      Set<String> ids = new LinkedHashSet<>();
      for (String r : runIds) {
        String id = resolve(spark, r, sparkOptions.warehouse);
        if (!ids.add(id)) {
          throw new IllegalArgumentException(
              "run " + id + " is given twice; allowed: distinct run ids");
        }
      }
      List<TrialResult> bests = new ArrayList<>();
      List<RunCatalog.RunSummary> summaries = new ArrayList<>();
      for (String id : ids) {
        List<TrialResult> ranking = ranking(RunReader.read(spark, sparkOptions.warehouse, id));
        bests.add(ranking.isEmpty() ? null : ranking.get(0));
        summaries.add(RunCatalog.summary(spark, id));
      }
      List<TrialSpec> bestSpecs =
          bests.stream().filter(b -> b != null).map(TrialResult::spec).toList();
      List<String> differing = TopTable.variedColumns(bestSpecs);
      List<String> header =
          new ArrayList<>(
              List.of(
                  "run_id",
                  "grid",
                  "trials",
                  "ok",
                  "diverged",
                  "failed",
                  "best_val_acc",
                  "test_acc",
                  "best_key"));
      header.addAll(differing);
      List<List<String>> rows = new ArrayList<>();
      int i = 0;
      for (String id : ids) {
        RunCatalog.RunSummary s = summaries.get(i);
        TrialResult b = bests.get(i);
        List<String> row =
            new ArrayList<>(
                List.of(
                    id,
                    RunNames.gridName(runs.resolve(sparkOptions.warehouse), id),
                    Long.toString(s.trials()),
                    Long.toString(s.count("OK")),
                    Long.toString(s.count("DIVERGED")),
                    Long.toString(s.count("FAILED")),
                    TopTable.accuracy(b == null ? Double.NaN : b.bestValAcc()),
                    TopTable.accuracy(b == null ? Double.NaN : b.testAcc()),
                    b == null ? "" : b.spec().key()));
        Map<String, String> h =
            b == null ? Map.of() : io.sparksweep.report.TrialRow.hyperparametersOf(b.spec());
        for (String c : differing) {
          row.add(h.getOrDefault(c, ""));
        }
        rows.add(row);
        i++;
      }
      out.print(TextTable.render(header, rows));
      out.println(
          differing.isEmpty()
              ? "the best trials have the same hyperparameters"
              : "columns after best_key: the best trials' hyperparameters that differ");
      out.println(
          "charts: jobs/sparksweep report --compare "
              + String.join(" ", ids)
              + " --out runs/compare");
      out.flush();
      return 0;
    }
  }

  static String resolve(SparkSession spark, String id, String warehouse) {
    if (!"latest".equals(id)) {
      return id;
    }
    String latest = RunReader.latestRunId(spark);
    if (latest == null) {
      throw new IllegalArgumentException(
          "the warehouse " + warehouse + " holds no runs; start one with: jobs/sparksweep search");
    }
    return latest;
  }

  /** The OK trials, best first (the search's ranking). */
  static List<TrialResult> ranking(List<RunReader.StoredTrial> stored) {
    return stored.stream()
        .map(RunReader.StoredTrial::result)
        .filter(r -> r.status() == TrialStatus.OK)
        .sorted(SearchOutcome.BEST_FIRST)
        .toList();
  }

  /** Each stored trial's model path (null for none), looked up by key and repeat. */
  static java.util.function.Function<TrialResult, String> modelPaths(
      List<RunReader.StoredTrial> stored) {
    Map<String, String> m = new java.util.HashMap<>();
    for (RunReader.StoredTrial t : stored) {
      if (t.modelPath() != null) {
        m.put(t.result().spec().key() + "/r" + t.result().spec().repeat(), t.modelPath());
      }
    }
    return r -> m.get(r.spec().key() + "/r" + r.spec().repeat());
  }

  static String statusLine(RunCatalog.RunSummary s) {
    List<String> parts = new ArrayList<>();
    for (TrialStatus status : List.of(TrialStatus.OK, TrialStatus.DIVERGED, TrialStatus.FAILED)) {
      parts.add(s.count(status.name()) + " " + status.name());
    }
    String others = otherStatuses(s);
    if (!others.isEmpty()) {
      parts.add(others);
    }
    return s.trials() + (s.trials() == 1 ? " trial: " : " trials: ") + String.join(", ", parts);
  }
}
