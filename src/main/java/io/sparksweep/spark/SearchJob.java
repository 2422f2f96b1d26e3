package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
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
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.collection.Iterator;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction0;
import scala.runtime.AbstractFunction1;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

/**
 * The driver of a search: one Spark task per trial, results to the tables, best models to files.
 *
 * <ol>
 *   <li>Broadcast the CIFAR-10 bytes once ({@link Cifar10Data}, ≈150 MB; never as floats).
 *   <li>{@code parallelize(trials, trials.size())}: one partition, hence one task, per trial. Each
 *       task runs the {@link TrialFunction} through {@link TrialTask}, which turns anything thrown
 *       into a FAILED result, so a bad trial never fails the job.
 *   <li>Results come back to the driver <em>as each trial finishes</em> (the job is submitted with
 *       a result handler), where each is staged at once as JSON under {@code <runDir>/staging/} and
 *       reported to the {@link SearchListener}. Only the current top-k model archives are kept in
 *       driver memory.
 *   <li>At the end: the top-k OK trials' {@code modelNpz} go to {@code
 *       <runDir>/models/<trial_key>.npz}, and every trial is appended to the {@code trials} and
 *       {@code epochs} tables with its {@code model_path}.
 * </ol>
 *
 * <p>If Spark itself fails the job (e.g. executors lost repeatedly), the finished trials are still
 * recorded and the others become FAILED results carrying the job's error ({@link
 * SearchOutcome#jobError()}). Results do not depend on scheduling: a trial's result is a function
 * of its spec and the data only, and ranking ties are broken by trial index.
 */
public final class SearchJob {
  private static final Logger LOG = LogManager.getLogger(SearchJob.class);
  private static final DateTimeFormatter RUN_ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
  private static final SecureRandom RUN_ID_RANDOM = new SecureRandom();

  private final SparkSession spark;
  private final TrialFunction function;
  private final SearchOptions options;

  /**
   * @param spark the session (its master decides where trials run)
   * @param function what each task does with its trial
   * @param options warehouse, runs folder, top-k, run id, progress listener
   */
  public SearchJob(SparkSession spark, TrialFunction function, SearchOptions options) {
    this.spark = Objects.requireNonNull(spark, "spark");
    this.function = Objects.requireNonNull(function, "function");
    this.options = Objects.requireNonNull(options, "options");
  }

  /** A fresh run id: local time and 4 random hex digits, e.g. {@code 20260115-093012-a3f9}. */
  public static String newRunId() {
    return LocalDateTime.now().format(RUN_ID_TIME)
        + "-"
        + String.format("%04x", RUN_ID_RANDOM.nextInt(0x10000));
  }

  /**
   * Runs every trial once and records the results.
   *
   * @param trials the trials; (index, repeat) pairs must be distinct
   * @throws IllegalArgumentException if the trials are empty or repeat an (index, repeat) pair, or
   *     if the run id was already used in the runs folder
   * @param data the CIFAR-10 bytes to broadcast
   * @return the results in trial order, saved model paths and the run id
   */
  public SearchOutcome run(List<TrialSpec> trials, Cifar10Data data) {
    Objects.requireNonNull(data, "data");
    validate(trials);
    long startNanos = System.nanoTime();
    String runId = options.runId() != null ? options.runId() : newRunId();
    Path runDir = options.runsDir().resolve(runId).toAbsolutePath();
    if (Files.exists(runDir.resolve("staging"))) {
      throw new IllegalArgumentException(
          "run id '" + runId + "' was already used (" + runDir + " exists), expected a new one");
    }
    try {
      Files.createDirectories(runDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the run folder " + runDir, e);
    }
    String warehouseUri = Sessions.warehouseUri(options.warehouse());
    notify(() -> options.listener().onStart(runId, runDir, trials.size()));
    LOG.info("run {}: {} trials, folder {}", runId, trials.size(), runDir);

    Collected collected = collect(runId, runDir, trials, data, startNanos);

    List<TrialResult> results = inTrialOrder(trials, collected);
    Map<Integer, Path> modelPaths = saveTopModels(runDir, results, collected.topModels);
    List<Row> trialRows = new ArrayList<>(results.size());
    List<Row> epochRows = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      Path model = modelPaths.get(i);
      trialRows.add(
          ResultTables.trialRow(runId, results.get(i), model == null ? null : model.toString()));
      epochRows.addAll(ResultTables.epochRows(runId, results.get(i)));
    }
    ResultTables.append(spark, warehouseUri, ResultTables.TRIALS_TABLE, trialRows);
    ResultTables.append(spark, warehouseUri, ResultTables.EPOCHS_TABLE, epochRows);

    SearchOutcome outcome =
        new SearchOutcome(
            runId,
            runDir,
            results,
            modelPaths,
            Duration.ofNanos(System.nanoTime() - startNanos),
            collected.jobError);
    LOG.info(
        "run {}: {} OK, {} diverged, {} failed in {}",
        runId,
        outcome.count(TrialStatus.OK),
        outcome.count(TrialStatus.DIVERGED),
        outcome.count(TrialStatus.FAILED),
        outcome.elapsed());
    notify(() -> options.listener().onFinish(outcome));
    return outcome;
  }

  private static void validate(List<TrialSpec> trials) {
    Objects.requireNonNull(trials, "trials");
    if (trials.isEmpty()) {
      throw new IllegalArgumentException("trials is empty, expected at least one trial");
    }
    Set<String> seen = new HashSet<>();
    for (TrialSpec t : trials) {
      Objects.requireNonNull(t, "trials holds a null spec");
      if (!seen.add(t.index() + "/" + t.repeat())) {
        throw new IllegalArgumentException(
            "trials holds index " + t.index() + " repeat " + t.repeat() + " twice, expected once");
      }
    }
  }

  /** What came back from the executors. */
  private static final class Collected {
    final Map<String, TrialResult> byTrial = new HashMap<>();
    final List<TrialResult> topModels = new ArrayList<>();
    String jobError;
  }

  private static String id(TrialSpec spec) {
    return spec.index() + "/" + spec.repeat();
  }

  /** One partition's results, as handed over by Spark's result handler. */
  private record PartitionResult(int partition, List<TrialResult> results) {}

  private Collected collect(
      String runId, Path runDir, List<TrialSpec> trials, Cifar10Data data, long startNanos) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Cifar10Data> broadcast = jsc.broadcast(data);
    BlockingQueue<PartitionResult> queue = new LinkedBlockingQueue<>();
    Collected collected = new Collected();
    try {
      JavaRDD<TrialResult> results =
          jsc.parallelize(trials, trials.size()).map(new TrialTask(broadcast, function));
      List<Object> partitions =
          IntStream.range(0, results.getNumPartitions()).boxed().map(Object.class::cast).toList();
      jsc.setJobGroup(runId, "sparksweep search " + runId, true);
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
      receive(runId, runDir, trials.size(), jsc.statusTracker(), queue, job, collected, startNanos);
    } finally {
      broadcast.destroy(false);
    }
    return collected;
  }

  private void receive(
      String runId,
      Path runDir,
      int total,
      JavaSparkStatusTracker tracker,
      BlockingQueue<PartitionResult> queue,
      org.apache.spark.FutureAction<BoxedUnit> job,
      Collected collected,
      long startNanos) {
    int failed = 0;
    double best = Double.NaN;
    long lastReport = startNanos;
    long heartbeatMillis = options.heartbeat().toMillis();
    while (collected.byTrial.size() < total && !(job.isCompleted() && queue.isEmpty())) {
      PartitionResult next;
      try {
        next = queue.poll(Math.min(heartbeatMillis, 200), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        job.cancel();
        break;
      }
      if (next == null) {
        if (System.nanoTime() - lastReport >= heartbeatMillis * 1_000_000L) {
          SearchProgress p =
              progress(collected.byTrial.size(), total, runId, tracker, failed, best, startNanos);
          lastReport = System.nanoTime();
          notify(() -> options.listener().onHeartbeat(p));
        }
        continue;
      }
      for (TrialResult result : next.results()) {
        try {
          ResultTables.stage(runDir, runId, result);
        } catch (RuntimeException e) { // staging is a safety net; never let it stop the search
          LOG.warn("run {}: cannot stage trial {}: {}", runId, result.spec().key(), e.toString());
        }
        keepIfTop(collected.topModels, result);
        TrialResult lean = TrialTask.withoutModel(result);
        collected.byTrial.put(id(lean.spec()), lean);
        if (lean.status() != TrialStatus.OK) {
          failed++;
        } else if (Double.isNaN(best) || lean.bestValAcc() > best) {
          best = lean.bestValAcc();
        }
        SearchProgress p =
            progress(collected.byTrial.size(), total, runId, tracker, failed, best, startNanos);
        lastReport = System.nanoTime();
        notify(() -> options.listener().onTrialFinished(lean, p));
      }
    }
    try {
      job.get();
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
      collected.jobError = cause.getClass().getName() + ": " + cause.getMessage();
      LOG.warn("run {}: the Spark job failed: {}", runId, collected.jobError);
    }
  }

  private SearchProgress progress(
      int done,
      int total,
      String runId,
      JavaSparkStatusTracker tracker,
      int failed,
      double best,
      long startNanos) {
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    Duration eta = done == 0 ? null : elapsed.multipliedBy(total - done).dividedBy(done);
    return new SearchProgress(
        done,
        total,
        Math.min(runningTasks(tracker, runId), total - done),
        failed,
        best,
        elapsed,
        eta);
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

  /** Keeps at most top-k OK results holding model bytes, best first. */
  private void keepIfTop(List<TrialResult> top, TrialResult result) {
    if (options.topK() == 0 || result.status() != TrialStatus.OK || result.modelNpz() == null) {
      return;
    }
    top.add(result);
    top.sort(SearchOutcome.BEST_FIRST);
    if (top.size() > options.topK()) {
      top.remove(top.size() - 1);
    }
  }

  private static List<TrialResult> inTrialOrder(List<TrialSpec> trials, Collected collected) {
    List<TrialResult> results = new ArrayList<>(trials.size());
    for (TrialSpec spec : trials) {
      TrialResult r = collected.byTrial.get(id(spec));
      if (r == null) {
        String error =
            "not run: " + (collected.jobError == null ? "no result" : collected.jobError);
        r = TrialTask.failed(spec, error, null, System.currentTimeMillis());
      }
      results.add(r);
    }
    results.sort(
        Comparator.comparingInt((TrialResult r) -> r.spec().index())
            .thenComparingInt(r -> r.spec().repeat()));
    return results;
  }

  /** Writes the top models and maps them to positions in {@code results}. */
  private static Map<Integer, Path> saveTopModels(
      Path runDir, List<TrialResult> results, List<TrialResult> topModels) {
    Map<Integer, Path> paths = new HashMap<>();
    if (topModels.isEmpty()) {
      return paths;
    }
    Path models = runDir.resolve("models");
    try {
      Files.createDirectories(models);
      for (TrialResult top : topModels) {
        TrialSpec spec = top.spec();
        String name = spec.key() + (spec.repeat() == 0 ? "" : "-r" + spec.repeat()) + ".npz";
        Path file = models.resolve(name);
        Files.write(file, top.modelNpz());
        for (int i = 0; i < results.size(); i++) {
          if (id(results.get(i).spec()).equals(id(spec))) {
            paths.put(i, file);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save the models under " + models, e);
    }
    return paths;
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
