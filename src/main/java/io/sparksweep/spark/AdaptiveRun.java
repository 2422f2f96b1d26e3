package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.AdaptiveDriver;
import io.sparksweep.search.AdaptiveProgress;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The adaptive part of {@link SearchJob}: a run whose manifest names a scheduler ({@code sha},
 * {@code hyperband}, {@code asha}) trains its trials in segments through the {@link
 * AdaptiveDriver}, one Spark job per segment ({@link SparkSegmentExecutor}, as many in flight as
 * the session has task slots), checkpoints in the run store ({@link RunCheckpoints}), everything
 * recorded by an {@link AdaptiveRecorder} through the run's {@link RunWriter}.
 */
final class AdaptiveRun {
  private static final Logger LOG = LogManager.getLogger(AdaptiveRun.class);

  /** Manifest provenance keys of the scheduler. */
  static final String TYPE = "scheduler";

  static final String MIN = "scheduler.min_resource";
  static final String MAX = "scheduler.max_resource";
  static final String ETA = "scheduler.reduction_factor";
  static final String BRACKETS = "scheduler.brackets";

  private AdaptiveRun() {}

  /** The provenance entries that name {@code config} in a run's manifest. */
  static Map<String, String> provenance(SchedulerConfig config) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put(TYPE, config.type().id());
    out.put(MIN, Integer.toString(config.minResource()));
    out.put(MAX, Integer.toString(config.maxResource()));
    out.put(ETA, Integer.toString(config.reductionFactor()));
    out.put(BRACKETS, Integer.toString(config.brackets()));
    return out;
  }

  /**
   * The adaptive scheduler a run's manifest names, or null for a run that trains every trial in one
   * go (no scheduler, or {@code fifo}).
   *
   * @throws IllegalArgumentException if the entries are damaged
   */
  static SchedulerConfig scheduler(RunManifest manifest) {
    Map<String, String> p = manifest.provenance();
    String type = p.get(TYPE);
    if (type == null) {
      return null;
    }
    try {
      SchedulerType t = SchedulerType.valueOf(type.toUpperCase(Locale.ROOT));
      if (t == SchedulerType.FIFO) {
        return null;
      }
      return new SchedulerConfig(
          t,
          Integer.parseInt(p.get(MIN)),
          Integer.parseInt(p.get(MAX)),
          Integer.parseInt(p.get(ETA)),
          Integer.parseInt(p.get(BRACKETS)));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "run '"
              + manifest.runId()
              + "': its manifest's scheduler entries "
              + p
              + " are damaged ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /**
   * Runs (or continues) the search until the scheduler is finished.
   *
   * @return null when it finished, or why it stopped early (a Spark job failed)
   * @throws RuntimeException if the results cannot be recorded (the run stays resumable)
   */
  static String run(
      SparkSession spark,
      RunManifest manifest,
      SchedulerConfig config,
      RunStore store,
      Cifar10Data data,
      RunWriter writer,
      AdaptiveRecorder recorder,
      SegmentFunction function,
      SearchListener listener,
      Duration heartbeat,
      long startNanos) {
    String runId = manifest.runId();
    List<TrialSpec> trials = manifest.trials();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = slots(spark);
    Broadcast<Cifar10Data> broadcast = jsc.broadcast(data);
    Broadcast<SerializableConfiguration> hadoopConf =
        jsc.broadcast(new SerializableConfiguration(jsc.hadoopConfiguration()));
    SegmentTaskFunction task =
        new SegmentTaskFunction(
            broadcast,
            function,
            new RunCheckpoints(store.uri(), runId, hadoopConf),
            new ModelSink(store.uri(), runId, manifest.topK(), hadoopConf));
    SparkSegmentExecutor executor = new SparkSegmentExecutor(jsc, runId, task, slots);
    long[] lastEvent = {System.nanoTime()};
    int[] failed = {0};
    int[] done = {writer.recorded()};
    double[] best = {Double.NaN};
    for (TrialResult r : writer.results()) {
      count(r, failed, best);
    }
    recorder.attach(
        writer,
        executor,
        e -> {
          lastEvent[0] = System.nanoTime();
          if (e.trial() != null) {
            count(e.trial(), failed, best);
            done[0]++;
            SearchProgress p =
                new SearchProgress(
                    done[0],
                    trials.size(),
                    e.progress() == null ? 0 : e.progress().busySlots(),
                    failed[0],
                    best[0],
                    Duration.ofNanos(System.nanoTime() - startNanos),
                    null);
            notify(() -> listener.onTrialFinished(e.trial(), p));
          } else {
            notify(() -> listener.onSegmentFinished(e.segment(), e.result(), e.progress()));
          }
        },
        () -> {
          AdaptiveProgress p = recorder.lastProgress();
          if (p != null && System.nanoTime() - lastEvent[0] >= heartbeat.toNanos()) {
            lastEvent[0] = System.nanoTime();
            notify(() -> listener.onAdaptiveHeartbeat(p));
          }
        });
    boolean fresh = recorder.log().isEmpty() && recorder.segments().isEmpty();
    AdaptiveDriver driver =
        fresh
            ? new AdaptiveDriver(config, trials, executor, slots, recorder)
            : AdaptiveDriver.resume(
                config, trials, recorder.log(), recorder.segments(), executor, slots, recorder);
    LOG.info(
        "run {}: adaptive search {} over {} configurations, {} slots{}",
        runId,
        config.type().id(),
        trials.size(),
        slots,
        fresh ? "" : ", resumed after " + recorder.segments().size() + " recorded segments");
    try {
      AdaptiveProgress end = driver.run();
      executor.finished();
      LOG.info(
          "run {}: {}; slots busy {}% of the time since the first segment",
          runId, end, String.format(Locale.ROOT, "%.1f", 100 * executor.utilisation()));
      return null;
    } catch (SparkSegmentExecutor.JobFailed e) {
      LOG.warn("run {}: a segment's Spark job failed: {}", runId, e.getMessage());
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    } finally {
      executor.close();
      broadcast.destroy(false);
      hadoopConf.destroy(false);
    }
  }

  private static void count(TrialResult r, int[] failed, double[] best) {
    if (r.status() == TrialStatus.DIVERGED || r.status() == TrialStatus.FAILED) {
      failed[0]++;
    } else if (!Double.isNaN(r.bestValAcc())
        && (Double.isNaN(best[0]) || r.bestValAcc() > best[0])) {
      best[0] = r.bestValAcc();
    }
  }

  /** Deletes the checkpoints of a finished run's trials (they are not needed any more). */
  static void deleteCheckpoints(RunStore store, String runId, List<TrialSpec> trials) {
    for (TrialSpec t : trials) {
      try {
        store.deleteCheckpoints(runId, RunCheckpoints.trial(t));
      } catch (java.io.IOException | RuntimeException e) {
        LOG.warn("run {}: cannot delete the checkpoints of {}: {}", runId, t.key(), e.toString());
      }
    }
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      LOG.warn("search listener failed", e);
    }
  }

  /**
   * Spark setting: segments an adaptive search keeps in flight (its slots). Default: the session's
   * default parallelism when the search starts, which on a cluster whose executors are still
   * registering (or come and go with dynamic allocation) can be below the cores the search will
   * have; set it to the task slots the search should fill.
   */
  public static final String SLOTS_CONF = "spark.sparksweep.slots";

  /**
   * The slots of an adaptive search in this session: {@link #SLOTS_CONF} if set (on the command
   * line, in the defaults file or at run time), else {@code defaultParallelism} (at least 1).
   *
   * @throws IllegalArgumentException if the setting is not a positive integer, naming it
   */
  static int slots(SparkSession spark) {
    return slots(
        spark.conf().getOption(SLOTS_CONF).getOrElse(() -> null),
        spark.sparkContext().defaultParallelism());
  }

  /**
   * The slots of an adaptive search: {@code value} if not null, else {@code defaultParallelism} (at
   * least 1).
   *
   * @param value the {@link #SLOTS_CONF} setting, or null when unset
   * @throws IllegalArgumentException if the setting is not a positive integer, naming it
   */
  static int slots(String value, int defaultParallelism) {
    if (value == null) {
      return Math.max(1, defaultParallelism);
    }
    value = value.trim();
    try {
      int slots = Integer.parseInt(value);
      if (slots >= 1) {
        return slots;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        SLOTS_CONF
            + " is '"
            + value
            + "', expected a positive integer (segments in flight, e.g. --conf "
            + SLOTS_CONF
            + "=8), or leave it unset for the session's default parallelism");
  }
}
