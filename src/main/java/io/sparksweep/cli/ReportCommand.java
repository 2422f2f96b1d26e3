package io.sparksweep.cli;

import io.sparksweep.model.ModelKind;
import io.sparksweep.report.CompareRenderer;
import io.sparksweep.report.FirstLayerFilters;
import io.sparksweep.report.ReportFiles;
import io.sparksweep.report.ReportRenderer;
import io.sparksweep.report.RunReport;
import io.sparksweep.report.RungPoint;
import io.sparksweep.report.TrialRow;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.spark.RunReader;
import io.sparksweep.tensor.Npz;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparksweep report --run RUN_ID}: charts and an HTML page from the tables alone. */
@Command(
    name = "report",
    mixinStandardHelpOptions = true,
    description = {
      "Renders a run's charts (learning curves, a chart per varied hyperparameter, parallel"
          + " coordinates, axis importance, the convnet's first-layer filters) and index.html with"
          + " a sortable table of its trials, reading only the warehouse tables and the saved"
          + " models. With --compare, a page that compares runs side by side.",
      "Example: sparksweep report --run latest --out docs/weight-scale",
      "         sparksweep report --compare RUN_ID RUN_ID --out docs/compare"
    })
public final class ReportCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      defaultValue = "latest",
      description = "Run id, or 'latest' (default) for the most recently started run.")
  String runId;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Output folder (default: <runs-dir>/<run_id>/report).")
  Path out;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      defaultValue = "runs",
      description = "Runs folder, for the default output (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(
      names = "--title",
      paramLabel = "TEXT",
      description = "Title of the page (default: the run's grid name, else the run id).")
  String title;

  @Option(
      names = "--compare",
      paramLabel = "RUN_ID",
      arity = "2..*",
      description =
          "Compare these runs (two or more ids, or 'latest') on one page instead of reporting"
              + " one run (default output: <runs-dir>/compare).")
  List<String> compare;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    if (compare != null && spec.commandLine().getParseResult().hasMatchedOption("--run")) {
      throw new IllegalArgumentException(
          "--run and --compare cannot be combined; allowed: --run ID for one run, or --compare ID"
              + " ID ... for several");
    }
    if (out != null) {
      SparkInputs.checkNotAFile("--out", out.toString(), "a folder (created if missing)");
    }
    SparkSession spark = sparkOptions.session("sparksweep report");
    if (compare != null) {
      List<RunReport> runs = new ArrayList<>();
      for (String c : compare) {
        runs.add(read(spark, resolve(spark, c)).report());
      }
      Path dir = out != null ? out : runsDir.resolve("compare");
      ReportFiles files = CompareRenderer.render(runs, dir);
      stdout.printf("comparison of %d runs: %s%n", runs.size(), files.index());
      for (Path chart : files.charts()) {
        stdout.println("  " + chart);
      }
      stdout.flush();
      return 0;
    }
    String id = resolve(spark, runId);
    Loaded loaded = read(spark, id);
    RunReport report = loaded.report();
    if (title != null) {
      report = new RunReport(id, title, report.rows()).withRungs(report.rungs());
    }
    FirstLayerFilters filters = bestConvFilters(loaded.stored());
    if (filters != null) {
      report = report.withFilters(filters);
    }
    Path dir = out != null ? out : runsDir.resolve(id).resolve("report");
    ReportFiles files = ReportRenderer.render(report, dir);
    stdout.printf(
        "report of run %s (%d %s): %s%n",
        id, report.rows().size(), report.rows().size() == 1 ? "trial" : "trials", files.index());
    for (Path chart : files.charts()) {
      stdout.println("  " + chart);
    }
    stdout.flush();
    return 0;
  }

  /** A run read from the tables: the report's input and the stored trials (model paths). */
  private record Loaded(RunReport report, List<RunReader.StoredTrial> stored) {}

  private String resolve(SparkSession spark, String id) {
    if (!"latest".equals(id)) {
      return id;
    }
    String latest = RunReader.latestRunId(spark);
    if (latest == null) {
      throw new IllegalArgumentException(
          "the warehouse " + sparkOptions.warehouse + " holds no runs; run 'sparksweep search'");
    }
    return latest;
  }

  private Loaded read(SparkSession spark, String id) {
    List<RunReader.StoredTrial> stored = RunReader.read(spark, sparkOptions.warehouse, id);
    List<TrialRow> rows = new ArrayList<>();
    for (RunReader.StoredTrial t : stored) {
      rows.add(TrialRow.of(t.result()));
    }
    List<RungPoint> rungs = new ArrayList<>();
    for (org.apache.spark.sql.Row r : RunReader.rungs(spark, sparkOptions.warehouse, id)) {
      rungs.add(
          new RungPoint(
              r.getAs("trial_key"),
              r.<Integer>getAs("repeat"),
              r.<Integer>getAs("bracket"),
              r.<Integer>getAs("rung"),
              r.<Integer>getAs("epochs"),
              r.isNullAt(r.fieldIndex("val_acc")) ? Double.NaN : r.<Double>getAs("val_acc"),
              r.getAs("decision")));
    }
    return new Loaded(
        new RunReport(id, RunNames.gridName(runsDir, id), rows).withRungs(rungs), stored);
  }

  /** First-layer weights of the best OK convnet trial whose model file was saved. */
  private static FirstLayerFilters bestConvFilters(List<RunReader.StoredTrial> stored)
      throws IOException {
    RunReader.StoredTrial best =
        stored.stream()
            .filter(t -> t.result().spec().model() == ModelKind.CNN)
            .filter(t -> t.result().status() == TrialStatus.OK && t.modelPath() != null)
            .filter(t -> io.sparksweep.spark.RunStore.isFile(t.modelPath()))
            .max(Comparator.comparingDouble(t -> t.result().bestValAcc()))
            .orElse(null);
    if (best == null) {
      return null;
    }
    return new FirstLayerFilters(
        best.result().spec().key(),
        Npz.read(
                new java.io.ByteArrayInputStream(
                    io.sparksweep.spark.RunStore.readUri(best.modelPath())))
            .tensor("W1"));
  }
}
