package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.spark.SearchJob;
import io.sparksweep.spark.SearchListener;
import io.sparksweep.spark.SearchOptions;
import io.sparksweep.spark.SearchOutcome;
import io.sparksweep.spark.SearchProgress;
import io.sparksweep.spark.TrialFunction;
import io.sparksweep.train.SolverListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep search --grid FILE}: expands a grid into trials, runs one Spark task per trial,
 * prints progress and the top 5, appends the results to the warehouse tables and saves the best
 * models under {@code <runs-dir>/<run_id>/models/}.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a hyperparameter grid on Spark: one task per trial, CIFAR-10 broadcast once.",
      "Results go to the warehouse tables (query them with 'sparksweep query'); the top-k models"
          + " to <runs-dir>/<run_id>/models/<trial_key>.npz."
    })
public final class SearchCommand implements Callable<Integer> {
  /** Reads a grid file into trial specs. */
  @FunctionalInterface
  public interface GridLoader {
    /** The trials of a grid file, in the grid's documented order; {@code force} lifts the limit. */
    List<TrialSpec> load(Path gridFile, boolean force) throws IOException;
  }

  /** Reads the CIFAR-10 data (official binary folder or tarball). */
  @FunctionalInterface
  public interface DataLoader {
    /** The data set in a folder or tarball. */
    Cifar10Data load(Path dataDir) throws IOException;
  }

  /**
   * What the command needs from the packages below it.
   *
   * @param grid grid file reader ({@code search.GridSpec})
   * @param data CIFAR-10 reader ({@code data})
   * @param trials what each Spark task does ({@code search.TrialRunner})
   */
  public record Wiring(GridLoader grid, DataLoader data, TrialFunction trials) {
    /** Requires every part. */
    public Wiring {
      Objects.requireNonNull(grid, "grid");
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(trials, "trials");
    }

    /** The production wiring. */
    public static Wiring production() {
      return new Wiring(
          (file, force) -> GridSpec.parse(file).expand(force),
          dir -> Cifar10Reader.official().read(dir),
          (spec, data) -> TrialRunner.run(spec, data, "task", SolverListener.silent()));
    }
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--grid",
      paramLabel = "FILE",
      defaultValue = "conf/grids/default.yaml",
      description =
          "Grid file (YAML) of hyperparameter values to search (default: ${DEFAULT-VALUE}).")
  Path grid;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "data",
      description =
          "CIFAR-10: the cifar-10-batches-bin folder, a folder holding it, or"
              + " cifar-10-binary.tar.gz (default: ${DEFAULT-VALUE}; get it with"
              + " 'sparksweep data download').")
  Path data;

  @Option(names = "--force", description = "Run a grid larger than its max_trials limit.")
  boolean force;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      defaultValue = "runs",
      description = "Folder of the runs' models and staging files (default: ${DEFAULT-VALUE}).")
  Path runsDir;

  @Option(
      names = "--top-k",
      paramLabel = "N",
      defaultValue = "" + SearchOptions.DEFAULT_TOP_K,
      description = "Save the models of the N best trials (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--run-id",
      paramLabel = "ID",
      description = "Run id (default: yyyyMMdd-HHmmss-<4 hex>).")
  String runId;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Progress line when no trial finished for this long (default: ${DEFAULT-VALUE}).")
  int heartbeatSeconds;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  private final Wiring wiring;

  /** The command with the production wiring (used by picocli). */
  public SearchCommand() {
    this(Wiring.production());
  }

  /** The command with another wiring (tests, embedding). */
  public SearchCommand(Wiring wiring) {
    this.wiring = Objects.requireNonNull(wiring, "wiring");
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (topK < 0 || heartbeatSeconds <= 0) {
      err.println("error: --top-k must be ≥ 0 and --heartbeat > 0");
      return 2;
    }
    List<TrialSpec> trials = wiring.grid().load(grid, force);
    if (trials.isEmpty()) {
      err.println("error: grid " + grid + " has no trials");
      return 2;
    }
    out.printf("grid %s: %d trials; reading data from %s%n", grid, trials.size(), data);
    out.flush();
    Cifar10Data cifar = wiring.data().load(data);
    String tooLarge = checkNumTrain(trials, cifar);
    if (tooLarge != null) {
      err.println("error: " + grid + ": " + tooLarge);
      return 2;
    }
    SparkSession spark = sparkOptions.session("sparksweep search");
    out.printf(
        "Spark %s, master %s, default parallelism %d%n",
        spark.version(), spark.sparkContext().master(), spark.sparkContext().defaultParallelism());
    SearchOptions options =
        SearchOptions.defaults()
            .withWarehouse(sparkOptions.warehouse)
            .withRunsDir(runsDir)
            .withTopK(topK)
            .withRunId(runId)
            .withHeartbeat(Duration.ofSeconds(heartbeatSeconds))
            .withListener(new ConsoleProgress(out));
    SearchOutcome outcome = new SearchJob(spark, wiring.trials(), options).run(trials, cifar);
    if (outcome.jobError() != null) {
      err.println("error: the Spark job failed; unfinished trials are recorded as FAILED");
      err.println("  " + outcome.jobError());
      return 1;
    }
    return 0;
  }

  /** Every trial must fit the data before Spark starts; names the first that does not. */
  static String checkNumTrain(List<TrialSpec> trials, Cifar10Data cifar) {
    int max = TrialRunner.maxNumTrain(cifar);
    for (TrialSpec t : trials) {
      if (t.numTrain() > max) {
        return "num_train "
            + t.numTrain()
            + " (trial #"
            + t.index()
            + ") exceeds the "
            + max
            + " training images of the data set; allowed: 1 to "
            + max;
      }
    }
    return null;
  }

  /** Prints progress lines and the final summary. */
  static final class ConsoleProgress implements SearchListener {
    private static final int TOP = 5;
    private final PrintWriter out;

    ConsoleProgress(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void onStart(String runId, Path runDir, int totalTrials) {
      out.printf("run %s: %d trials, folder %s%n", runId, totalTrials, runDir);
      out.flush();
    }

    @Override
    public void onTrialFinished(TrialResult r, SearchProgress p) {
      String what =
          r.status() == TrialStatus.OK
              ? String.format(Locale.ROOT, "val %.4f test %.4f", r.bestValAcc(), r.testAcc())
              : abbreviate(r.error() == null ? "" : r.error(), 70);
      out.printf(
          Locale.ROOT,
          "[%s] %-8s %s #%d %s %5.1fs on %s | %s%n",
          count(p),
          r.status(),
          r.spec().key(),
          r.spec().index(),
          what,
          r.trainSeconds(),
          r.executor(),
          stats(p));
      out.flush();
    }

    @Override
    public void onHeartbeat(SearchProgress p) {
      out.printf("[%s] %s%n", count(p), stats(p));
      out.flush();
    }

    @Override
    public void onFinish(SearchOutcome o) {
      out.printf(
          "run %s finished in %s: %d OK, %d diverged, %d failed%n",
          o.runId(),
          TextTable.duration(o.elapsed()),
          o.count(TrialStatus.OK),
          o.count(TrialStatus.DIVERGED),
          o.count(TrialStatus.FAILED));
      List<TrialResult> ranking = o.ranking();
      if (ranking.isEmpty()) {
        out.println("no trial finished OK");
      } else {
        out.printf("top %d by validation accuracy:%n", Math.min(TOP, ranking.size()));
        out.print(TextTable.render(TOP_HEADER, topRows(o, ranking)));
      }
      out.printf(
          "query: sparksweep query \"SELECT * FROM trials WHERE run_id = '%s' ORDER BY"
              + " best_val_acc DESC\"%n",
          o.runId());
      out.flush();
    }

    private static final List<String> TOP_HEADER =
        List.of(
            "rank",
            "trial_key",
            "repeat",
            "model",
            "hidden_dims",
            "update_rule",
            "learning_rate",
            "weight_scale",
            "reg",
            "dropout_keep_ratio",
            "normalization",
            "best_val_acc",
            "test_acc",
            "train_seconds",
            "model_file");

    private static List<List<String>> topRows(SearchOutcome o, List<TrialResult> ranking) {
      List<List<String>> rows = new ArrayList<>();
      for (int i = 0; i < Math.min(TOP, ranking.size()); i++) {
        TrialResult r = ranking.get(i);
        TrialSpec s = r.spec();
        Path model = o.modelPath(r);
        rows.add(
            List.of(
                Integer.toString(i + 1),
                s.key(),
                Integer.toString(s.repeat()),
                s.model(),
                TextTable.cell(s.hiddenDims()),
                s.updateRule() == null ? "" : s.updateRule().id(),
                TextTable.number(s.learningRate()),
                TextTable.number(s.weightScale()),
                TextTable.number(s.reg()),
                TextTable.number(s.dropoutKeepRatio()),
                s.normalization() == null ? "" : s.normalization().id(),
                String.format(Locale.ROOT, "%.4f", r.bestValAcc()),
                String.format(Locale.ROOT, "%.4f", r.testAcc()),
                String.format(Locale.ROOT, "%.1f", r.trainSeconds()),
                model == null ? "" : model.getFileName().toString()));
      }
      return rows;
    }

    private static String count(SearchProgress p) {
      int width = Integer.toString(p.total()).length();
      return String.format(Locale.ROOT, "%" + width + "d/%d", p.done(), p.total());
    }

    private static String stats(SearchProgress p) {
      return String.format(
          Locale.ROOT,
          "running %d, failed %d, best val %s, elapsed %s, eta %s",
          p.running(),
          p.failed(),
          Double.isNaN(p.bestValAcc()) ? "-" : String.format(Locale.ROOT, "%.4f", p.bestValAcc()),
          TextTable.duration(p.elapsed()),
          p.eta() == null ? "?" : TextTable.duration(p.eta()));
    }

    private static String abbreviate(String s, int max) {
      return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
  }
}
