package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.search.AdaptiveProgress;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import io.sparksweep.spark.EpochProgress;
import io.sparksweep.spark.HumanDuration;
import io.sparksweep.spark.RunManifest;
import io.sparksweep.spark.RunStore;
import io.sparksweep.spark.SearchJob;
import io.sparksweep.spark.SearchListener;
import io.sparksweep.spark.SearchOptions;
import io.sparksweep.spark.SearchOutcome;
import io.sparksweep.spark.SearchProgress;
import io.sparksweep.spark.SegmentFunction;
import io.sparksweep.spark.Sessions;
import io.sparksweep.spark.TrialFunction;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep search --grid FILE}: expands a grid into trials, runs one Spark task per trial,
 * prints progress and the top 5, records each result in the warehouse tables as it finishes and
 * saves the best models under {@code <runs-dir>/<run_id>/models/} (by default {@code
 * <warehouse>/runs}, on the warehouse's file system, so a resume works from any machine). {@code
 * search --resume RUN_ID} finishes a run whose driver died, running only the trials without a
 * result.
 *
 * <p>Every input is checked before the Spark session opens (options, run id, grid file, warehouse
 * and runs folder, data, {@code num_train} against the data); a bad one prints one {@code error:}
 * line naming the file or option, the field, the value and what is allowed, and exits with status
 * 2. A run that stops early (the Spark job failed) exits with status 1 and prints the resume
 * command.
 */
@Command(
    name = "search",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a hyperparameter grid on Spark: one task per trial, CIFAR-10 broadcast once.",
      "Results go to the warehouse tables as each trial finishes (query them with 'sparksweep"
          + " query'); the top-k models to <runs-dir>/<run_id>/models/<trial_key>.npz"
          + " (written by the executors).",
      "If the search stops (driver killed, job failed), 'search --resume RUN_ID' runs only the"
          + " trials that have no result yet."
    })
public final class SearchCommand implements Callable<Integer> {
  /** Reads a grid file into trial specs. */
  @FunctionalInterface
  public interface GridLoader {
    /** The trials of a grid file, in the grid's documented order; {@code force} lifts the limit. */
    List<TrialSpec> load(Path gridFile, boolean force) throws IOException;

    /**
     * The grid file's adaptive scheduler ({@code scheduler:}), if any. Default: none (a loader of
     * plain trial lists).
     */
    default Optional<SchedulerConfig> scheduler(Path gridFile) throws IOException {
      return Optional.empty();
    }

    /** The production loader: {@link GridSpec}, with its scheduler. */
    static GridLoader files() {
      return new GridLoader() {
        @Override
        public List<TrialSpec> load(Path gridFile, boolean force) throws IOException {
          return GridSpec.parse(gridFile).expand(force);
        }

        @Override
        public Optional<SchedulerConfig> scheduler(Path gridFile) throws IOException {
          return GridSpec.parse(gridFile).scheduler();
        }
      };
    }
  }

  /** Reads the CIFAR-10 data (official binary folder or tarball). */
  @FunctionalInterface
  public interface DataLoader {
    /** The data set in a folder or tarball. */
    Cifar10Data load(Path dataDir) throws IOException;
  }

  /** Opens the Spark session from the command's settings (tests: record or refuse it). */
  @FunctionalInterface
  public interface SessionOpener {
    /** The session the settings describe. */
    SparkSession open(Sessions.Builder settings);
  }

  /**
   * What the command needs from the packages below it.
   *
   * @param grid grid file reader ({@code search.GridSpec})
   * @param data CIFAR-10 reader ({@code data})
   * @param trials what each Spark task does ({@code search.TrialRunner})
   * @param sessions opens the Spark session once every input is checked
   * @param segments what each Spark task of an adaptive search does with a segment ({@code
   *     search.TrialRunner#runSegment})
   */
  public record Wiring(
      GridLoader grid,
      DataLoader data,
      TrialFunction trials,
      SessionOpener sessions,
      SegmentFunction segments) {
    /** Requires every part. */
    public Wiring {
      Objects.requireNonNull(grid, "grid");
      Objects.requireNonNull(data, "data");
      Objects.requireNonNull(trials, "trials");
      Objects.requireNonNull(sessions, "sessions");
      Objects.requireNonNull(segments, "segments");
    }

    /** A wiring with the real segment training. */
    public Wiring(GridLoader grid, DataLoader data, TrialFunction trials, SessionOpener sessions) {
      this(grid, data, trials, sessions, SegmentFunction.TRAIN);
    }

    /** A wiring that opens the session the settings describe. */
    public Wiring(GridLoader grid, DataLoader data, TrialFunction trials) {
      this(grid, data, trials, Sessions.Builder::getOrCreate);
    }

    /** The production wiring. */
    public static Wiring production() {
      return new Wiring(
          GridLoader.files(), dir -> Cifar10Reader.official().read(dir), new ReportingTrials(null));
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
      defaultValue = DownloadOption.DEFAULT_DATA,
      description = DataOption.DESCRIPTION)
  Path data;

  @Mixin DownloadOption download = new DownloadOption();

  @Option(
      names = "--download-records-per-file",
      hidden = true,
      defaultValue = "10000",
      description = "Records per batch file of a downloaded tarball (tests: a small one).")
  int downloadRecordsPerFile;

  @Option(names = "--force", description = "Run a grid larger than its max_trials limit.")
  boolean force;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR|URI",
      description =
          "Folder or URI (file:, hdfs:, s3a:) of the runs: <run_id>/run.json (what --resume"
              + " needs), its lease, models/ (default: <warehouse>/runs).")
  String runsDir;

  @Option(
      names = "--top-k",
      paramLabel = "N",
      defaultValue = "" + SearchOptions.DEFAULT_TOP_K,
      description = "Save the models of the N best trials (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--run-id",
      paramLabel = "RUN_ID",
      description = "Run id (default: yyyyMMdd-HHmmss-<4 hex>).")
  String runId;

  @Option(
      names = "--resume",
      paramLabel = "RUN_ID",
      description =
          "Finish an interrupted run (driver killed, job failed): run only its trials that have"
              + " no result yet. Its trials, top-k, data and warehouse come from"
              + " <runs-dir>/RUN_ID/run.json; --data and --warehouse may point at the same data"
              + " and warehouse elsewhere.")
  String resume;

  @Option(
      names = "--heartbeat",
      paramLabel = "SECONDS",
      defaultValue = "30",
      description =
          "Progress line when no trial finished for this long (default: ${DEFAULT-VALUE}).")
  int heartbeatSeconds;

  @Option(
      names = "--dry-run",
      description =
          "List the grid's trials (key, seed, the varied hyperparameters) and their count, then"
              + " stop: no data read, no Spark started.")
  boolean dryRun;

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

  /** Everything a search needs, checked before Spark starts. */
  private record Plan(
      List<TrialSpec> trials,
      Cifar10Data data,
      String warehouse,
      Map<String, String> provenance,
      SchedulerConfig scheduler) {}

  @Override
  public Integer call() {
    warehouseGiven = sparkOptions.warehouse;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Plan plan;
    try {
      if (dryRun) {
        return dryRun(out);
      }
      plan = resume == null ? planNewRun(out) : planResume(out);
    } catch (IllegalArgumentException e) { // every bad input: one message, exit 2, no Spark
      err.println("error: " + e.getMessage());
      err.flush();
      return 2;
    }
    sparkOptions.warehouse = plan.warehouse(); // a resumed run's own warehouse
    SparkSession spark = wiring.sessions().open(sparkOptions.settings("sparksweep search"));
    out.printf(
        "Spark %s, master %s, default parallelism %d%n",
        spark.version(), spark.sparkContext().master(), spark.sparkContext().defaultParallelism());
    SearchOutput.printUi(out, spark);
    // Running trials report their epochs through an accumulator (the production trials only).
    EpochProgress epochs = EpochProgress.register(spark.sparkContext());
    TrialFunction trials =
        wiring.trials() instanceof ReportingTrials
            ? new ReportingTrials(epochs.accumulator())
            : wiring.trials();
    String id = resume != null ? resume : runId != null ? runId : SearchJob.newRunId();
    ConsoleProgress progress =
        new ConsoleProgress(
            out,
            localRunsDir(),
            plan.warehouse(),
            spark.sparkContext().defaultParallelism(),
            epochs::running);
    SearchOptions options =
        SearchOptions.defaults()
            .withWarehouse(plan.warehouse())
            .withRunsDir(runsUri())
            .withTopK(topK)
            .withRunId(id)
            .withHeartbeat(Duration.ofSeconds(heartbeatSeconds))
            .withListener(progress);
    SearchJob job = new SearchJob(spark, trials, wiring.segments(), options);
    SearchOutcome outcome;
    Interruption interruption =
        new Interruption(
            err,
            progress,
            resumeCommand(id),
            UserErrors.verbose(spec.commandLine().getParseResult())
                || System.getenv(UserErrors.DEBUG_ENV) != null);
    interruption.install();
    try (epochs) {
      outcome =
          resume == null
              ? job.run(plan.trials(), plan.data(), plan.provenance(), plan.scheduler())
              : job.resume(resume, plan.data());
    } catch (RuntimeException e) {
      if (interruption.happened()) { // Spark was stopped under the job: the hook says what to do
        return INTERRUPTED;
      }
      if (e instanceof IllegalArgumentException) { // checked with the session: a lock, a warehouse
        err.println("error: " + e.getMessage());
        err.flush();
        return 2;
      }
      if (e instanceof java.io.UncheckedIOException) { // the tables or models could not be written
        err.println("error: " + e.getMessage() + ": " + e.getCause());
        err.println(
            "the trials recorded so far are kept; once the cause is fixed, finish the run with:");
        err.println("  " + resumeCommand(id));
        err.flush();
        return 1;
      }
      throw e;
    } finally {
      interruption.finished();
    }
    if (interruption.happened()) {
      return INTERRUPTED;
    }
    if (!outcome.complete()) {
      err.printf(
          "error: %d of %d trials did not run%s%n",
          outcome.notRun().size(),
          outcome.notRun().size() + outcome.results().size(),
          outcome.jobError() == null ? "" : " because the Spark job failed:");
      if (outcome.jobError() != null) {
        err.println("  " + outcome.jobError());
      }
      err.println("finish the run with:");
      err.println("  " + resumeCommand(outcome.runId()));
      err.flush();
      return 1;
    }
    return 0;
  }

  /** Exit status when SIGINT/SIGTERM stopped the search (128 + SIGINT's number, as shells use). */
  static final int INTERRUPTED = 130;

  /**
   * Options that a resumed run takes from its manifest (or that make no sense with {@code
   * --resume}); every other option the user gave is repeated in the resume command.
   */
  private static final java.util.Set<String> NOT_RESUMED =
      java.util.Set.of("--grid", "--force", "--top-k", "--run-id", "--resume", "--dry-run");

  /**
   * The command that finishes run {@code id}, ready to paste: {@code jobs/sparksweep search
   * --resume ID} followed by every option given on this command line that a resume accepts (data,
   * warehouse, runs folder, master, Spark settings, heartbeat), each value shell-quoted.
   */
  String resumeCommand(String id) {
    List<String> words = new ArrayList<>(List.of("jobs/sparksweep", "search", "--resume", id));
    picocli.CommandLine.ParseResult parsed = spec.commandLine().getParseResult();
    if (parsed != null) {
      // An option given twice (--conf) is matched twice but holds both values: take it once.
      for (picocli.CommandLine.Model.OptionSpec o :
          new java.util.LinkedHashSet<>(parsed.matchedOptions())) {
        String name = o.longestName();
        if (NOT_RESUMED.contains(name) || o.usageHelp() || o.versionHelp()) {
          continue;
        }
        if (o.arity().max() == 0) {
          words.add(name);
          continue;
        }
        for (String value : o.originalStringValues()) {
          words.add(name);
          words.add(BestExport.shellQuote(value));
        }
      }
    }
    return String.join(" ", words);
  }

  /**
   * What a search does on SIGINT (Ctrl-C) or SIGTERM: the JVM runs its shutdown hooks, Spark's
   * stops the session and the job fails; this hook waits (at most {@link #WAIT}) for the driver to
   * finish its last commit and release the run's lease, then prints how many trials are recorded
   * (they stay in the tables) and the exact {@code --resume} command. The driver, seeing {@link
   * #happened()}, prints nothing more and exits.
   */
  static final class Interruption {
    private static final java.time.Duration WAIT = java.time.Duration.ofSeconds(20);
    private final PrintWriter err;
    private final ConsoleProgress progress;
    private final String command;
    private final java.util.concurrent.atomic.AtomicBoolean happened =
        new java.util.concurrent.atomic.AtomicBoolean();
    private final java.util.concurrent.CountDownLatch done =
        new java.util.concurrent.CountDownLatch(1);
    private final Thread hook = new Thread(this::onSignal, "sparksweep-interrupted");

    private final boolean verbose;

    /**
     * @param err where the hint goes (made on the original standard error)
     * @param progress knows the run and how many trials are recorded
     * @param command the resume command
     * @param verbose keep what Spark prints while it stops ({@code --verbose})
     */
    Interruption(PrintWriter err, ConsoleProgress progress, String command, boolean verbose) {
      this.verbose = verbose;
      this.err = err;
      this.progress = progress;
      this.command = command;
    }

    void install() {
      Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether the JVM is shutting down under the search. */
    boolean happened() {
      return happened.get();
    }

    /** The search returned (or threw): the hook may print now; removed unless shutting down. */
    void finished() {
      done.countDown();
      if (!happened.get()) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // The JVM began shutting down just now: the hook runs and prints.
        }
      }
    }

    private void onSignal() {
      happened.set(true);
      // Spark's own shutdown logs the failures of its stopping (RpcEnv already stopped, …) with
      // traces: noise once the user has stopped the search. A user's log4j configuration is kept.
      if (System.getProperty("log4j2.configurationFile") == null
          && System.getProperty("log4j.configurationFile") == null) {
        org.apache.logging.log4j.core.config.Configurator.setLevel(
            "org.apache.spark", org.apache.logging.log4j.Level.OFF);
      }
      if (!verbose) {
        // Spark's and Scala's thread pools print the traces of tasks rejected while they stop
        // straight to System.err; this command's own err writer keeps the stream it was made on.
        System.setErr(new java.io.PrintStream(java.io.OutputStream.nullOutputStream(), true));
      }
      try {
        if (!done.await(WAIT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          err.println("(the driver did not stop within " + HumanDuration.of(WAIT) + ")");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (progress.runId() == null) {
        err.println("interrupted before the run started: nothing was recorded");
      } else {
        err.printf(
            "interrupted: %d of %d trials of run %s are recorded and stay in the tables;"
                + " finish the run with:%n  %s%n",
            progress.recorded(), progress.total(), progress.runId(), command);
      }
      err.flush();
    }
  }

  /** {@code --dry-run}: the expanded trials, then exit 0 ({@link DryRun}). */
  private int dryRun(PrintWriter out) {
    if (resume != null) {
      throw new IllegalArgumentException(
          "--dry-run lists a grid's trials; a resumed run's are in "
              + runStore().manifestUri(resume)
              + "; allowed: --dry-run with --grid");
    }
    try {
      List<TrialSpec> trials = wiring.grid().load(grid, force);
      DryRun.print(out, grid, trials, GridSpec.parse(grid).scheduler());
    } catch (IOException e) {
      throw new IllegalArgumentException("--grid " + grid + ": cannot be read (" + e + ")", e);
    }
    return 0;
  }

  /** The warehouse as given on the command line (before a resume replaces it with the run's). */
  private String warehouseGiven;

  /** The runs folder as a URI: {@code --runs-dir}, or {@code <warehouse>/runs}. */
  private String runsUri() {
    if (warehouseGiven == null) {
      warehouseGiven = sparkOptions.warehouse;
    }
    return runsDir != null
        ? Sessions.warehouseUri(runsDir)
        : RunStore.defaultLocation(warehouseGiven);
  }

  /**
   * The runs folder as a local path when it is on the local file system and was given, else null.
   */
  private Path localRunsDir() {
    String uri = runsUri();
    return runsDir != null && uri.startsWith("file:") ? Path.of(java.net.URI.create(uri)) : null;
  }

  /** The runs' store, opened before Spark starts (Hadoop's default settings). */
  private RunStore runStore() {
    return RunStore.open(runsUri());
  }

  private boolean given(String option) {
    return spec.commandLine().getParseResult() != null
        && spec.commandLine().getParseResult().hasMatchedOption(option);
  }

  /** Checks a new run's inputs, cheapest first: options, grid, folders, data. */
  private Plan planNewRun(PrintWriter out) {
    checkOptions();
    if (runId != null) {
      if (!runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
        throw new IllegalArgumentException(
            "--run-id is '" + runId + "'; allowed: letters, digits, '.', '_' and '-'");
      }
      RunStore store = runStore();
      if (store.hasManifest(runId)) {
        throw new IllegalArgumentException(
            "--run-id "
                + runId
                + ": already used ("
                + store.manifestUri(runId)
                + " exists); allowed: a new id, or finish that run with --resume "
                + runId);
      }
    }
    List<TrialSpec> trials;
    SchedulerConfig scheduler;
    try {
      trials = wiring.grid().load(grid, force);
      scheduler = wiring.grid().scheduler(grid).orElse(null);
    } catch (IOException e) {
      throw new IllegalArgumentException("--grid " + grid + ": cannot be read (" + e + ")", e);
    }
    if (trials.isEmpty()) {
      throw new IllegalArgumentException("--grid " + grid + ": the grid has no trials");
    }
    checkFolders(sparkOptions.warehouse);
    out.printf(
        "grid %s: %s; reading data from %s%n", grid, SearchOutput.trials(trials.size()), data);
    if (scheduler != null && scheduler.type() != SchedulerType.FIFO) {
      out.print(DryRun.plan(scheduler, trials.size()));
    }
    out.flush();
    Cifar10Data cifar = loadData(data);
    String tooLarge = checkNumTrain(trials, cifar);
    if (tooLarge != null) {
      throw new IllegalArgumentException(grid + ": " + tooLarge);
    }
    Map<String, String> provenance = new LinkedHashMap<>();
    provenance.put("grid", grid.toString());
    RunNames.putGridName(provenance, grid);
    provenance.put("grid_file", grid.toAbsolutePath().normalize().toString());
    provenance.put("data", data.toAbsolutePath().normalize().toString());
    return new Plan(trials, cifar, sparkOptions.warehouse, provenance, scheduler);
  }

  /** Checks a resume: the run's manifest, the folders, the same data. */
  private Plan planResume(PrintWriter out) {
    checkOptions();
    for (String option : List.of("--grid", "--force", "--top-k", "--run-id")) {
      if (given(option)) {
        throw new IllegalArgumentException(
            option
                + " cannot be combined with --resume: a resumed run keeps its own trials, top-k"
                + " and id; allowed with --resume: --runs-dir, --data, --warehouse and the Spark"
                + " options");
      }
    }
    if (!resume.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "--resume is '" + resume + "'; allowed: a run id (letters, digits, '.', '_', '-')");
    }
    RunStore store = runStore();
    RunManifest manifest = store.readManifest(resume);
    String warehouse = manifest.warehouseUri();
    if (given("--warehouse")) {
      String uri = Sessions.warehouseUri(sparkOptions.warehouse);
      if (!uri.equals(manifest.warehouseUri())) {
        throw new IllegalArgumentException(
            "--warehouse "
                + sparkOptions.warehouse
                + ": run '"
                + resume
                + "' writes to "
                + manifest.warehouseUri()
                + "; allowed: that warehouse (or leave --warehouse out)");
      }
    }
    checkFolders(warehouse);
    Path dataPath =
        given("--data") || !manifest.provenance().containsKey("data")
            ? data
            : Path.of(manifest.provenance().get("data"));
    out.printf(
        "run %s: %d trials in %s; reading data from %s%n",
        resume, manifest.trials().size(), store.manifestUri(resume), dataPath);
    out.flush();
    Cifar10Data cifar = loadData(dataPath);
    RunManifest.DataFingerprint fingerprint = RunManifest.DataFingerprint.of(cifar);
    if (!fingerprint.equals(manifest.data())) {
      throw new IllegalArgumentException(
          "--data "
              + dataPath
              + ": holds "
              + fingerprint
              + ", but run '"
              + resume
              + "' ran on "
              + manifest.data()
              + "; allowed: the data set the run started with");
    }
    String tooLarge = checkNumTrain(manifest.trials(), cifar);
    if (tooLarge != null) {
      throw new IllegalArgumentException(store.manifestUri(resume) + ": " + tooLarge);
    }
    return new Plan(manifest.trials(), cifar, warehouse, manifest.provenance(), null);
  }

  private void checkOptions() {
    sparkOptions.check(Map.of("--runs-dir", runsUri()));
    if (topK < 0) {
      throw new IllegalArgumentException("--top-k is " + topK + "; allowed: 0 or more");
    }
    if (heartbeatSeconds <= 0) {
      throw new IllegalArgumentException(
          "--heartbeat is " + heartbeatSeconds + "; allowed: 1 second or more");
    }
  }

  private void checkFolders(String warehouse) {
    Sessions.checkWritable("--warehouse", warehouse);
    Sessions.checkWritable("--runs-dir", runsUri());
  }

  private Cifar10Data loadData(Path dir) {
    download.ensure(
        dir,
        downloadRecordsPerFile == Cifar10Reader.OFFICIAL_RECORDS_PER_FILE
            ? Cifar10Reader.official()
            : Cifar10Reader.withRecordsPerFile(downloadRecordsPerFile),
        spec.commandLine().getErr());
    try {
      return wiring.data().load(dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("--data " + dir + ": cannot be read (" + e + ")", e);
    }
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

  /** Prints progress lines and the final summary ({@link SearchOutput} does the formatting). */
  static final class ConsoleProgress implements SearchListener {
    private static final int TOP = 5;
    private final PrintWriter out;
    private final SearchOutput.Counts counts;
    private final Path runsDir;
    private final String warehouse;

    ConsoleProgress(PrintWriter out) {
      this(out, Path.of("runs"), Sessions.DEFAULT_WAREHOUSE, 0, List::of);
    }

    /**
     * @param out where to print
     * @param runsDir the runs folder (for the next-step commands)
     * @param warehouse the warehouse as given (for the next-step commands)
     * @param slots task slots; the running count never exceeds it (0: no cap)
     * @param epochs the latest epoch of each running trial ({@link EpochProgress#running()})
     */
    ConsoleProgress(
        PrintWriter out,
        Path runsDir,
        String warehouse,
        int slots,
        java.util.function.Supplier<List<String>> epochs) {
      this.out = out;
      this.counts = new SearchOutput.Counts(slots, epochs);
      this.runsDir = runsDir;
      this.warehouse = warehouse;
    }

    private volatile String runId;
    private volatile int total;
    private final java.util.concurrent.atomic.AtomicInteger recorded =
        new java.util.concurrent.atomic.AtomicInteger();

    /** The run once it started (its manifest is written), else null. */
    String runId() {
      return runId;
    }

    /** The run's trials. */
    int total() {
      return total;
    }

    /** Trials recorded so far: those of an earlier attempt and those finished since. */
    int recorded() {
      return recorded.get();
    }

    @Override
    public void onStart(String runId, String runDir, int totalTrials) {
      this.total = totalTrials;
      this.runId = runId;
      out.printf("run %s: %s, folder %s%n", runId, SearchOutput.trials(totalTrials), runDir);
      out.flush();
    }

    @Override
    public void onResume(String runId, String runDir, int totalTrials, int recorded) {
      this.total = totalTrials;
      this.recorded.set(recorded);
      this.runId = runId;
      counts.resumed(recorded);
      out.printf(
          "run %s: resuming; %d of %d trials already have results, running the other %d%n",
          runId, recorded, totalTrials, totalTrials - recorded);
      out.flush();
    }

    @Override
    public void onTrialFinished(TrialResult r, SearchProgress p) {
      recorded.incrementAndGet(); // called once the trial is committed
      counts.add(r);
      String what =
          r.status() == TrialStatus.OK
              ? String.format(Locale.ROOT, "val %.4f test %.4f", r.bestValAcc(), r.testAcc())
              : r.status() == TrialStatus.STOPPED
                  ? String.format(
                      Locale.ROOT,
                      "val %.4f, stopped after epoch %d",
                      r.bestValAcc(),
                      r.epochsRun())
                  : abbreviate(r.error() == null ? "" : r.error(), 70);
      out.printf(
          Locale.ROOT,
          "[%s] %-8s %s #%d %s %s on %s | %s%n",
          count(p),
          r.status(),
          r.spec().key(),
          r.spec().index(),
          what,
          HumanDuration.seconds(r.trainSeconds()),
          r.executor(),
          counts.line(p));
      out.flush();
    }

    @Override
    public void onSegmentFinished(SegmentTask task, SegmentResult r, AdaptiveProgress p) {
      String what =
          r.status() == TrialStatus.OK
              ? String.format(Locale.ROOT, "val %.4f", r.metric())
              : r.status() + " " + abbreviate(r.error() == null ? "" : r.error(), 60);
      out.printf(
          Locale.ROOT,
          "[rung %d] %s #%d epochs %d-%d %s %s on %s | %s%n",
          task.segment().rung(),
          task.trial().key(),
          task.trial().index(),
          task.segment().fromEpoch(),
          task.segment().toEpoch(),
          what,
          HumanDuration.seconds(r.seconds()),
          r.executor(),
          p == null ? "" : p.toString());
      out.flush();
    }

    @Override
    public void onAdaptiveHeartbeat(AdaptiveProgress p) {
      out.printf("[adaptive] %s%n", p);
      out.flush();
    }

    @Override
    public void onHeartbeat(SearchProgress p) {
      out.printf("[%s] %s%n", count(p), counts.line(p));
      out.flush();
    }

    @Override
    public void onFinish(SearchOutcome o) {
      out.printf(
          "run %s %s in %s: %d OK, %s%d diverged, %d failed%s%n",
          o.runId(),
          o.complete() ? "finished" : "stopped",
          HumanDuration.of(o.elapsed()),
          o.count(TrialStatus.OK),
          o.count(TrialStatus.STOPPED) == 0
              ? ""
              : o.count(TrialStatus.STOPPED) + " stopped early, ",
          o.count(TrialStatus.DIVERGED),
          o.count(TrialStatus.FAILED),
          o.complete() ? "" : ", " + o.notRun().size() + " not run");
      List<TrialResult> ranking = o.ranking();
      if (ranking.isEmpty()) {
        out.println("no trial finished OK");
      } else {
        out.printf("top %d by validation accuracy:%n", Math.min(TOP, ranking.size()));
        List<TrialSpec> all = new ArrayList<>();
        o.results().forEach(r -> all.add(r.spec()));
        all.addAll(o.notRun());
        out.print(
            TopTable.render(
                all,
                ranking.subList(0, Math.min(TOP, ranking.size())),
                r -> SearchOutput.modelUri(o.modelPath(r))));
      }
      out.println("next:");
      for (String c : NextSteps.commands(o.runId(), runsDir, warehouse)) {
        out.println("  " + c);
      }
      out.flush();
    }

    private static String count(SearchProgress p) {
      int width = Integer.toString(p.total()).length();
      return String.format(Locale.ROOT, "%" + width + "d/%d", p.done(), p.total());
    }

    private static String abbreviate(String s, int max) {
      return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
  }
}
