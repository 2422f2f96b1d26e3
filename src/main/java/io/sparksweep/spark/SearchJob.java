package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkException;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.network.util.JavaUtils;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The driver of a search: one Spark task per trial, each result recorded the moment it arrives, a
 * run that survives crashes and can be resumed.
 *
 * <ol>
 *   <li>A new run claims {@code <runs>/<runId>/} in its {@link RunStore} (on the warehouse's file
 *       system: {@code file:}, {@code hdfs:}, {@code s3a:}) by creating its first {@link Lease}
 *       exclusively, renews the lease while it runs, and writes {@code run.json} ({@link
 *       RunManifest}: every trial with its key and seed, the warehouse, top-k, a fingerprint of the
 *       data) before anything runs.
 *   <li>Broadcast the CIFAR-10 bytes once ({@link Cifar10Data}, ≈150 MB; never as floats).
 *   <li>{@code parallelize(trials, trials.size())}: one partition, hence one task, per trial. Each
 *       task runs the {@link TrialFunction} through {@link TrialTask}, which turns anything thrown
 *       into a FAILED result: a bad configuration is recorded once and never retried. The executor
 *       writes an OK trial's model to the run store itself ({@link ModelSink}, skipped when it
 *       cannot enter the top-k); the driver receives metrics only. A task lost with its executor is
 *       re-run elsewhere by Spark ({@code spark.task.maxFailures}).
 *   <li>Results come back to the driver <em>as each trial finishes</em> (the job is submitted with
 *       a result handler, which Spark calls once per partition, whatever retries or speculative
 *       copies ran). The driver records each at once ({@link RunWriter}): its model if it is among
 *       the best k so far (its file exists), then its rows join the pending batch, committed to the
 *       Delta tables every {@value #COMMIT_TRIALS_CONF} trials or {@value #COMMIT_SECONDS_CONF}
 *       seconds ({@link ResultTables#commitBatch}: idempotent, so a batch committed twice is still
 *       one set of rows). The {@link SearchListener} hears of it.
 *   <li>When every trial is recorded, the top-k trials' rows get their {@code model_path} and the
 *       run's partitions are compacted ({@code OPTIMIZE}).
 * </ol>
 *
 * <p>If the driver dies (even {@code kill -9}), the committed trials stay recorded and only the
 * running and not yet committed ones are lost; once its lease expired ({@value #LEASE_TTL_CONF},
 * default 60 s), {@link #resume}, from any machine, reads the run's rows back and runs only the
 * trials that have none, so the tables end as if the run had never stopped. If Spark fails the job
 * (e.g. executors lost repeatedly), the finished trials are kept the same way and the others are
 * reported as not run ({@link SearchOutcome#notRun()}), for a later resume. Results do not depend
 * on scheduling: a trial's result is a function of its spec and the data only, and ranking ties are
 * broken by trial index.
 */
public final class SearchJob {
  private static final Logger LOG = LogManager.getLogger(SearchJob.class);
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RUN_ID_RANDOM = new SecureRandom();

  /** Spark setting: how long a run's lease lives without renewal (a dead driver's run waits). */
  public static final String LEASE_TTL_CONF = "spark.sparksweep.lease.ttl";

  private final SparkSession spark;
  private final TrialFunction function;
  private final SegmentFunction segments;
  private final SearchOptions options;

  /**
   * @param spark the session (its master decides where trials run)
   * @param function what each task does with its trial
   * @param options warehouse, runs folder, top-k, run id, progress listener
   */
  public SearchJob(SparkSession spark, TrialFunction function, SearchOptions options) {
    this(spark, function, SegmentFunction.TRAIN, options);
  }

  /**
   * @param spark the session (its master decides where trials run)
   * @param function what each task does with its trial (a search without adaptive scheduler)
   * @param segments what each task does with a segment of an adaptive search ({@link
   *     SegmentFunction#TRAIN})
   * @param options warehouse, runs folder, top-k, run id, progress listener
   */
  public SearchJob(
      SparkSession spark, TrialFunction function, SegmentFunction segments, SearchOptions options) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.function = Objects.requireNonNull(function, "function");
    this.segments = Objects.requireNonNull(segments, "segments");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A fresh run id: local time and 4 random hex digits, e.g. {@code 20260115-093012-a3f9}. */
  public static String newRunId() {
    return LocalDateTime.now().format(RUN_ID_TIME)
        + "-"
        + String.format("%04x", RUN_ID_RANDOM.nextInt(0x10000));
  }

  /**
   * Starts a new run and runs every trial once, without provenance.
   *
   * @see #run(List, Cifar10Data, Map)
   */
  public SearchOutcome run(List<TrialSpec> trials, Cifar10Data data) {
    return run(trials, data, Map.of());
  }

  /**
   * Starts a new run: writes its manifest, then runs every trial once and records each result as it
   * arrives.
   *
   * @param trials the trials; (index, repeat) and (key, repeat) pairs must be distinct
   * @param data the CIFAR-10 bytes to broadcast
   * @param provenance facts kept in the run's manifest (e.g. {@code grid}, {@code data} paths)
   * @return the results in trial order, saved model paths and the run id
   * @throws IllegalArgumentException if the trials are empty or repeat a pair, if the run id was
   *     already used in the runs folder, or if the warehouse cannot be written
   */
  public SearchOutcome run(
      List<TrialSpec> trials, Cifar10Data data, Map<String, String> provenance) {
    return run(trials, data, provenance, null);
  }

  /**
   * Starts a new run, adaptive when {@code scheduler} is {@code sha}, {@code hyperband} or {@code
   * asha}: the trials train in segments from rung to rung and the scheduler stops the worse ones
   * early ({@link AdaptiveRun}); the manifest records the scheduler, so a resume continues it.
   * Without a scheduler, or with {@code fifo}, as {@link #run(List, Cifar10Data, Map)}.
   *
   * @param trials the configurations in the sampler's order (index = position); for an adaptive run
   *     each trial's {@code num_epochs} is the scheduler's {@code max_resource}
   * @param data the CIFAR-10 bytes to broadcast
   * @param provenance facts kept in the run's manifest
   * @param scheduler the grid file's scheduler, or null
   * @return the results in trial order (status STOPPED for trials stopped early)
   */
  public SearchOutcome run(
      List<TrialSpec> trials,
      Cifar10Data data,
      Map<String, String> provenance,
      SchedulerConfig scheduler) {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(provenance, "provenance");
    validate(trials);
    if (scheduler != null && scheduler.type() != SchedulerType.FIFO) {
      AdaptiveRun.slots(spark); // a bad spark.sparksweep.slots is refused before the run exists
    }
    if (scheduler != null) {
      Map<String, String> withScheduler = new java.util.LinkedHashMap<>(provenance);
      withScheduler.putAll(AdaptiveRun.provenance(scheduler));
      provenance = withScheduler;
    }
    String runId = options.runId() != null ? options.runId() : newRunId();
    RunStore store = store();
    String warehouseUri = Sessions.warehouseUri(options.warehouse());
    if (store.hasManifest(runId)) {
      throw alreadyUsed(runId, store.runUri(runId));
    }
    try (Lease lease = store.claim(runId, leaseTtl())) {
      if (lease == null) {
        throw alreadyUsed(runId, store.runUri(runId)); // another search claimed it
      }
      Sessions.checkWritable(spark, "warehouse", warehouseUri);
      RunManifest manifest =
          new RunManifest(
              runId,
              Instant.now(),
              warehouseUri,
              options.topK(),
              RunManifest.DataFingerprint.of(data),
              provenance,
              trials);
      store.writeManifest(manifest);
      SchedulerConfig adaptive = AdaptiveRun.scheduler(manifest);
      AdaptiveRecorder recorder =
          adaptive == null ? null : new AdaptiveRecorder(runId, manifest.trials(), store);
      return execute(manifest, store, lease, data, Map.of(), recorder);
    }
  }

  /**
   * Finishes an interrupted run: reads its manifest and its rows, and runs only the trials that
   * have no row yet (a crashed driver's in-flight trials, or those a failed job did not run). The
   * manifest's trials and top-k are used, not {@code options.runId()} or {@code options.topK()}.
   * Resuming a complete run runs nothing and only makes sure the top-k model paths are recorded.
   *
   * @param runId the run to finish (a folder of {@code options.runsDir()})
   * @param data the same CIFAR-10 data the run started with
   * @return the whole run's results; {@link SearchOutcome#resumed()} of them were already recorded
   * @throws IllegalArgumentException if there is no such run, its manifest is damaged, the
   *     warehouse or the data differ from the run's, or another search is working on it
   */
  public SearchOutcome resume(String runId, Cifar10Data data) {
    Objects.requireNonNull(data, "data");
    RunStore store = store();
    RunManifest manifest = store.readManifest(runId);
    String warehouseUri = Sessions.warehouseUri(options.warehouse());
    if (!warehouseUri.equals(manifest.warehouseUri())) {
      throw new IllegalArgumentException(
          "warehouse is "
              + warehouseUri
              + ", but run '"
              + runId
              + "' writes to "
              + manifest.warehouseUri()
              + "; expected that warehouse");
    }
    RunManifest.DataFingerprint fingerprint = RunManifest.DataFingerprint.of(data);
    if (!fingerprint.equals(manifest.data())) {
      throw new IllegalArgumentException(
          "the data ("
              + fingerprint
              + ") differ from those run '"
              + runId
              + "' started with ("
              + manifest.data()
              + "); expected the same data set");
    }
    if (AdaptiveRun.scheduler(manifest) != null) {
      AdaptiveRun.slots(spark); // refused before the lease is taken
    }
    try (Lease lease = store.lease(runId, leaseTtl())) {
      Sessions.checkWritable(spark, "warehouse", warehouseUri);
      AdaptiveRecorder recorder = null;
      if (AdaptiveRun.scheduler(manifest) != null) {
        // The journal first: it re-commits what a dead driver journaled but did not commit.
        ResultTables.ensureTables(spark, warehouseUri);
        recorder = new AdaptiveRecorder(runId, manifest.trials(), store);
        recorder.replay(spark, warehouseUri);
      }
      Map<String, RunReader.StoredTrial> recorded =
          ResultTables.readRun(spark, warehouseUri, runId, manifest.trials());
      return execute(manifest, store, lease, data, recorded, recorder);
    }
  }

  /** The run store of {@code options.runsUri()}, on the session's Hadoop settings. */
  private RunStore store() {
    return RunStore.open(spark.sparkContext().hadoopConfiguration(), options.runsUri());
  }

  /** {@value #LEASE_TTL_CONF} of the session (e.g. {@code 60s}, {@code 5m}). */
  private Duration leaseTtl() {
    String value = spark.conf().get(LEASE_TTL_CONF, Lease.DEFAULT_TTL.toSeconds() + "s");
    try {
      return Duration.ofMillis(JavaUtils.timeStringAsMs(value));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          LEASE_TTL_CONF + " is '" + value + "', expected a duration such as 60s or 5m", e);
    }
  }

  private static IllegalArgumentException alreadyUsed(String runId, String runDir) {
    return new IllegalArgumentException(
        "run id '"
            + runId
            + "' was already used ("
            + runDir
            + " exists), expected a new one; to finish that run, resume it"
            + " (sparksweep search --resume "
            + runId
            + ")");
  }

  private SearchOutcome execute(
      RunManifest manifest,
      RunStore store,
      Lease lease,
      Cifar10Data data,
      Map<String, RunReader.StoredTrial> recorded,
      AdaptiveRecorder recorder) {
    long startNanos = System.nanoTime();
    String runId = manifest.runId();
    String runDir = store.runUri(runId);
    ChaosPoints.reach("run-start " + runId);
    List<TrialSpec> trials = manifest.trials();
    RunWriter writer = newWriter(manifest, store, lease, recorded);
    List<TrialSpec> pending = trials.stream().filter(t -> !writer.isRecorded(t)).toList();
    int resumed = writer.recorded();
    if (resumed == 0) {
      notify(() -> options.listener().onStart(runId, runDir, trials.size()));
      LOG.info("run {}: {} trials, folder {}", runId, trials.size(), runDir);
    } else {
      notify(() -> options.listener().onResume(runId, runDir, trials.size(), resumed));
      LOG.info(
          "run {}: resuming, {} of {} trials recorded, running {}",
          runId,
          resumed,
          trials.size(),
          pending.size());
    }

    String jobError = null;
    try {
      SchedulerConfig adaptive = recorder == null ? null : AdaptiveRun.scheduler(manifest);
      if (!pending.isEmpty() && adaptive != null) {
        try {
          jobError =
              AdaptiveRun.run(
                  spark,
                  manifest,
                  adaptive,
                  store,
                  data,
                  writer,
                  recorder,
                  segments,
                  options.listener(),
                  options.heartbeat(),
                  startNanos);
        } finally {
          writer.flush(); // what was recorded is committed even when the run stopped
        }
      } else if (!pending.isEmpty()) {
        try {
          jobError =
              collect(
                  runId,
                  new Claim(store, lease, manifest.topK()),
                  pending,
                  trials.size(),
                  data,
                  writer,
                  startNanos);
        } finally {
          writer.flush(); // the trials that arrived are committed even when the job failed
        }
      }
      Map<String, String> models = Map.of();
      List<TrialSpec> notRun = trials.stream().filter(t -> !writer.isRecorded(t)).toList();
      if (notRun.isEmpty()) {
        lease.check();
        models = writer.finish();
        if (adaptive != null) {
          AdaptiveRun.deleteCheckpoints(store, runId, trials);
        }
      }
      List<TrialResult> results = new ArrayList<>();
      Map<Integer, String> modelPaths = new HashMap<>();
      for (TrialSpec t : trials) {
        TrialResult r = writer.result(t);
        if (r != null) {
          String model = models.get(RunWriter.id(t));
          if (model != null) {
            modelPaths.put(results.size(), model);
          }
          results.add(r);
        }
      }
      SearchOutcome outcome =
          new SearchOutcome(
              runId,
              runDir,
              results,
              modelPaths,
              Duration.ofNanos(System.nanoTime() - startNanos),
              jobError,
              resumed,
              notRun);
      LOG.info(
          "run {}: {} OK, {} diverged, {} failed, {} not run in {}",
          runId,
          outcome.count(TrialStatus.OK),
          outcome.count(TrialStatus.DIVERGED),
          outcome.count(TrialStatus.FAILED),
          notRun.size(),
          HumanDuration.of(outcome.elapsed()));
      notify(() -> options.listener().onFinish(outcome));
      return outcome;
    } finally {
      // Name the (possibly just created) tables in this session, unless it was stopped (Ctrl-C /
      // SIGTERM: Spark's shutdown hook stops it; what was recorded is committed already). As views
      // over the files of the snapshots the search ended with, listed by Kernel: a Delta view
      // would cost this driver Delta's first-use start and snapshot jobs (about 1 s on two cores,
      // docs/search-scaling.md) at the end of every search, since the search itself ran none.
      if (!spark.sparkContext().isStopped()) {
        Sessions.registerSnapshotTables(spark, manifest.warehouseUri());
        for (String table : ResultTables.TABLES.keySet()) {
          spark.catalog().refreshTable(table);
        }
      }
    }
  }

  /** Spark setting: trials per commit of the results tables (default 100). */
  public static final String COMMIT_TRIALS_CONF = "spark.sparksweep.commit.trials";

  /** Spark setting: longest wait of a finished trial before its commit, seconds (default 10). */
  public static final String COMMIT_SECONDS_CONF = "spark.sparksweep.commit.seconds";

  /** The run's writer: the commit path (results to tables), batched as the session's conf says. */
  private RunWriter newWriter(
      RunManifest manifest,
      RunStore store,
      Lease lease,
      Map<String, RunReader.StoredTrial> recorded) {
    String trialsSetting =
        spark.conf().get(COMMIT_TRIALS_CONF, String.valueOf(RunWriter.DEFAULT_BATCH_TRIALS));
    String secondsSetting =
        spark.conf().get(COMMIT_SECONDS_CONF, String.valueOf(RunWriter.DEFAULT_BATCH_SECONDS));
    int batchTrials;
    double batchSeconds;
    try {
      batchTrials = Integer.parseInt(trialsSetting.trim());
      batchSeconds = Double.parseDouble(secondsSetting.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          COMMIT_TRIALS_CONF
              + " is '"
              + trialsSetting
              + "' and "
              + COMMIT_SECONDS_CONF
              + " is '"
              + secondsSetting
              + "', expected a whole number of trials (≥ 1) and seconds (≥ 0)",
          e);
    }
    return new RunWriter(
        spark,
        manifest.warehouseUri(),
        manifest.runId(),
        new RunModels(store, manifest.runId()),
        lease,
        manifest.topK(),
        recorded.values(),
        batchTrials,
        batchSeconds);
  }

  private static void validate(List<TrialSpec> trials) {
    Objects.requireNonNull(trials, "trials");
    if (trials.isEmpty()) {
      throw new IllegalArgumentException("trials is empty, expected at least one trial");
    }
    Set<String> seen = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (TrialSpec t : trials) {
      Objects.requireNonNull(t, "trials holds a null spec");
      if (!seen.add(t.index() + "/" + t.repeat())) {
        throw new IllegalArgumentException(
            "trials holds index " + t.index() + " repeat " + t.repeat() + " twice, expected once");
      }
      if (!keys.add(RunWriter.id(t))) {
        throw new IllegalArgumentException(
            "trials holds key " + t.key() + " repeat " + t.repeat() + " twice, expected once");
      }
    }
  }

  /** One partition's results, as handed over by Spark's result handler. */
  private record PartitionResult(int partition, List<TrialResult> results) {}

  /** The run's store and lease, and its top-k: what the tasks and the commits need of the run. */
  private record Claim(RunStore store, Lease lease, int topK) {}

  /** Runs the pending trials, recording each as it arrives; returns the job's error or null. */
  private String collect(
      String runId,
      Claim claim,
      List<TrialSpec> pending,
      int total,
      Cifar10Data data,
      RunWriter writer,
      long startNanos) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Cifar10Data> broadcast = jsc.broadcast(data);
    Broadcast<SerializableConfiguration> hadoopConf =
        jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
    ModelSink sink = new ModelSink(claim.store().uri(), runId, claim.topK(), hadoopConf);
    BlockingQueue<PartitionResult> queue = new LinkedBlockingQueue<>();
    try {
      JavaRDD<TrialResult> results =
          jsc.parallelize(pending, pending.size()).map(new TrialTask(broadcast, function, sink));
      List<Object> partitions =
          IntStream.range(0, results.getNumPartitions()).boxed().map(Object.class::cast).toList();
      jsc.setJobGroup(runId, JobDescriptions.of(runId, pending), true);
      org.apache.spark.FutureAction<BoxedUnit> job;
      try {
        job =
            spark
                .sparkContext()
                .submitJob(
                    results.rdd(),
                    new CollectPartition<>(),
                    CollectionConverters.asScala(partitions).toSeq(),
                    new Enqueue(queue),
                    new Unit());
      } finally {
        jsc.clearJobGroup();
      }
      return receive(runId, total, jsc.statusTracker(), queue, job, writer, startNanos);
    } finally {
      broadcast.destroy(false);
      hadoopConf.destroy(false);
    }
  }

  private String receive(
      String runId,
      int total,
      JavaSparkStatusTracker tracker,
      BlockingQueue<PartitionResult> queue,
      org.apache.spark.FutureAction<BoxedUnit> job,
      RunWriter writer,
      long startNanos) {
    Progress progress = new Progress(writer, total);
    long lastReport = startNanos;
    long heartbeatMillis = options.heartbeat().toMillis();
    while (writer.recorded() < total && !(job.isCompleted() && queue.isEmpty())) {
      PartitionResult next;
      try {
        next = queue.poll(Math.min(heartbeatMillis, 200), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        job.cancel();
        break;
      }
      if (next == null) {
        commitIfDue(writer, job);
        if (System.nanoTime() - lastReport >= heartbeatMillis * 1_000_000L) {
          SearchProgress p = progress.snapshot(runId, tracker, startNanos);
          lastReport = System.nanoTime();
          notify(() -> options.listener().onHeartbeat(p));
        }
        continue;
      }
      for (TrialResult result : next.results()) {
        boolean fresh;
        try {
          fresh = writer.commit(result); // checks the lease before committing a batch
        } catch (RuntimeException e) { // cannot record: stop here, the run stays resumable
          job.cancel();
          throw e;
        }
        if (!fresh) {
          continue;
        }
        TrialResult lean = result.withoutModel();
        progress.add(lean);
        SearchProgress p = progress.snapshot(runId, tracker, startNanos);
        lastReport = System.nanoTime();
        notify(() -> options.listener().onTrialFinished(lean, p));
      }
    }
    try {
      job.get();
      return null;
    } catch (Exception e) { // SparkException, or InterruptedException undeclared by Scala
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      Throwable cause = e;
      while (cause.getCause() != null
          && (!(cause instanceof SparkException)
              || String.valueOf(cause.getMessage())
                  .startsWith("Exception thrown in awaitResult"))) {
        cause = cause.getCause(); // unwrap to Spark's own reason, e.g. [SPARK_JOB_CANCELLED] …
      }
      String error = cause.getClass().getName() + ": " + cause.getMessage();
      LOG.warn("run {}: the Spark job failed: {}", runId, error);
      return error;
    }
  }

  /** Commits the writer's pending batch when it is due; stops the job if it cannot. */
  private static void commitIfDue(RunWriter writer, org.apache.spark.FutureAction<BoxedUnit> job) {
    try {
      writer.flushIfDue();
    } catch (RuntimeException e) { // cannot record: stop here, the run stays resumable
      job.cancel();
      throw e;
    }
  }

  /** Counts for progress reports: this attempt's results on top of the recorded ones. */
  private static final class Progress {
    private final RunWriter writer;
    private final int total;
    private final int resumed;
    private int failed;
    private double best = Double.NaN;

    Progress(RunWriter writer, int total) {
      this.writer = writer;
      this.total = total;
      this.resumed = writer.recorded();
      writer.results().forEach(this::add);
    }

    void add(TrialResult r) {
      if (r.status() != TrialStatus.OK) {
        failed++;
      } else if (Double.isNaN(best) || r.bestValAcc() > best) {
        best = r.bestValAcc();
      }
    }

    SearchProgress snapshot(String runId, JavaSparkStatusTracker tracker, long startNanos) {
      int done = writer.recorded();
      Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
      int doneHere = done - resumed;
      Duration eta = doneHere == 0 ? null : elapsed.multipliedBy(total - done).dividedBy(doneHere);
      return new SearchProgress(
          done,
          total,
          Math.min(runningTasks(tracker, runId), total - done),
          failed,
          best,
          elapsed,
          eta);
    }
  }

  /** Active tasks of the run's job group, from Spark's status tracker. */
  private static int runningTasks(JavaSparkStatusTracker tracker, String runId) {
    int running = 0;
    for (int jobId : tracker.getJobIdsForGroup(runId)) {
      SparkJobInfo job = tracker.getJobInfo(jobId);
      if (job == null) {
        continue;
      }
      for (int stageId : job.stageIds()) {
        SparkStageInfo stage = tracker.getStageInfo(stageId);
        if (stage != null) {
          running += stage.numActiveTasks();
        }
      }
    }
    return running;
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("search listener failed", e);
    }
  }

  /** Collects one partition's results on the executor (one trial per partition). */
  private static final class CollectPartition<T> extends AbstractFunction1<Iterator<T>, List<T>>
      implements Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public List<T> apply(Iterator<T> it) {
      List<T> out = new ArrayList<>(1);
      while (it.hasNext()) {
        out.add(it.next());
      }
      return out;
    }
  }

  /** Spark's result handler: runs on the scheduler thread, so it only enqueues. */
  private static final class Enqueue
      extends AbstractFunction2<Object, List<TrialResult>, BoxedUnit> {
    private final BlockingQueue<PartitionResult> queue;

    Enqueue(BlockingQueue<PartitionResult> queue) {
      this.queue = queue;
    }

    @Override
    public BoxedUnit apply(Object partition, List<TrialResult> results) {
      queue.add(new PartitionResult((Integer) partition, results));
      return BoxedUnit.UNIT;
    }
  }

  /** The job's overall result: nothing (results arrive through {@link Enqueue}). */
  private static final class Unit extends AbstractFunction0<BoxedUnit> {
    @Override
    public BoxedUnit apply() {
      return BoxedUnit.UNIT;
    }
  }
}
