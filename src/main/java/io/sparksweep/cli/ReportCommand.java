package io.sparksweep.cli;

import io.sparksweep.model.ModelKind;
import io.sparksweep.report.FirstLayerFilters;
import io.sparksweep.report.ReportFiles;
import io.sparksweep.report.ReportRenderer;
import io.sparksweep.report.RunReport;
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
      "Renders a run's charts (learning curves, accuracy against each varied hyperparameter, the"
          + " convnet's first-layer filters) and index.html with a sortable table of its trials,"
          + " reading only the warehouse tables and the saved models.",
      "Example: sparksweep report --run latest --out docs/weight-scale"
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

  @Option(names = "--title", description = "Title of the page (default: the run id).")
  String title;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() throws IOException {
    PrintWriter stdout = spec.commandLine().getOut();
    SparkSession spark = sparkOptions.session("sparksweep report");
    String id = runId;
    if ("latest".equals(id)) {
      id = RunReader.latestRunId(spark);
      if (id == null) {
        throw new IllegalArgumentException(
            "the warehouse " + sparkOptions.warehouse + " holds no runs; run 'sparksweep search'");
      }
    }
    List<RunReader.StoredTrial> stored = RunReader.read(spark, id);
    List<TrialRow> rows = new ArrayList<>();
    for (RunReader.StoredTrial t : stored) {
      rows.add(TrialRow.of(t.result()));
    }
    RunReport report = new RunReport(id, title == null ? id : title, rows);
    FirstLayerFilters filters = bestConvFilters(stored);
    if (filters != null) {
      report = report.withFilters(filters);
    }
    Path dir = out != null ? out : runsDir.resolve(id).resolve("report");
    ReportFiles files = ReportRenderer.render(report, dir);
    stdout.printf("report of run %s (%d trials): %s%n", id, rows.size(), files.index());
    for (Path chart : files.charts()) {
      stdout.println("  " + chart);
    }
    stdout.flush();
    return 0;
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
