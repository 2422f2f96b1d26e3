package io.sparksweep.spark;

import io.sparksweep.search.SegmentExecutor;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs each segment of an adaptive search as one small Spark job (one partition, one task) and
 * returns at once: {@code slots} driver threads each submit one job and wait for it, so up to
 * {@code slots} segments train at a time and a slot that frees takes the next segment the driver
 * hands out, with no barrier between them. The data and the Hadoop settings are broadcast once by
 * the caller and referenced by every task ({@link SegmentTaskFunction}).
 *
 * <p>Every job belongs to the run's job group. A job that fails (its task failed {@code
 * spark.task.maxFailures} times, the context stopped, the group was cancelled) does not complete
 * its segment: the segment stays unrecorded (a resume runs it again), the executor remembers the
 * first such failure, and {@link #check} throws it on the driver's thread so that the search stops.
 */
final class SparkSegmentExecutor implements SegmentExecutor, AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(SparkSegmentExecutor.class);

  private final JavaSparkContext jsc;
  private final String jobGroup;
  private final SegmentTaskFunction function;
  private final ExecutorService pool;
  private final Map<Integer, TrialResult> completed = new ConcurrentHashMap<>();
  private volatile String failure;
  private volatile boolean closed;
  private volatile boolean finished;
  private final int slots;
  private final long createdNanos = System.nanoTime();
  private long lastChange = createdNanos;
  private long busyNanos;
  private int inFlight;

  /**
   * @param jsc the context
   * @param jobGroup the run's job group (its id)
   * @param function what each task runs
   * @param slots segments in flight at most (the driver's slots)
   */
  SparkSegmentExecutor(
      JavaSparkContext jsc, String jobGroup, SegmentTaskFunction function, int slots) {
    this.jsc = jsc;
    this.jobGroup = jobGroup;
    this.function = function;
    this.slots = slots;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            slots,
            r -> {
              Thread t = new Thread(r, "sparksweep-segment-" + n.getAndIncrement());
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public CompletionStage<SegmentResult> submit(SegmentTask task) {
    CompletableFuture<SegmentResult> result = new CompletableFuture<>();
    pool.execute(() -> run(task, result));
    return result;
  }

  private void run(SegmentTask task, CompletableFuture<SegmentResult> result) {
    if (closed || failure != null) {
      return; // the search is stopping: leave the segment unrecorded
    }
    busy(+1);
    try {
      jsc.setJobGroup(jobGroup, describe(task), true);
      List<SegmentOutput> out = jsc.parallelize(List.of(task), 1).map(function).collect();
      SegmentOutput o = out.get(0);
      if (o.completed() != null) {
        completed.put(task.segment().trial(), o.completed());
      }
      result.complete(o.segment());
    } catch (Exception e) { // SparkException (undeclared by Scala), cancelled, context stopped
      if (!closed && failure == null) {
        failure = e.getClass().getName() + ": " + e.getMessage();
        LOG.warn("the Spark job of {} failed: {}", describe(task), failure);
      }
    } finally {
      busy(-1);
      jsc.clearJobGroup();
    }
  }

  private synchronized void busy(int delta) {
    long now = System.nanoTime();
    busyNanos += inFlight * (now - lastChange);
    lastChange = now;
    inFlight += delta;
  }

  /**
   * The share of the slots' time since this executor was made that segments' jobs were running
   * (submitted and not yet returned), in [0, 1].
   */
  synchronized double utilisation() {
    long now = System.nanoTime();
    double busyNow = busyNanos + (double) inFlight * (now - lastChange);
    double total = (double) slots * (now - createdNanos);
    return total <= 0 ? 0 : Math.min(1, busyNow / total);
  }

  /** {@code trial <key> #<index> rung <r> epochs <from>-<to>}, the job's description. */
  static String describe(SegmentTask task) {
    return "trial "
        + task.trial().key()
        + " #"
        + task.trial().index()
        + " rung "
        + task.segment().rung()
        + " epochs "
        + task.segment().fromEpoch()
        + "-"
        + task.segment().toEpoch();
  }

  /**
   * The whole result the last segment of {@code trial} returned (evaluated on its final
   * checkpoint), or null: taken once.
   */
  TrialResult takeCompleted(int trial) {
    return completed.remove(trial);
  }

  /**
   * Throws if a segment's Spark job failed: the search must stop (what was recorded stays; a resume
   * runs the rest).
   *
   * @throws JobFailed naming the first failure
   */
  void check() {
    if (failure != null) {
      throw new JobFailed(failure);
    }
  }

  /** The first failed job's error, or null. */
  String failure() {
    return failure;
  }

  /** The driver finished: nothing is in flight, {@link #close} need not cancel anything. */
  void finished() {
    finished = true;
  }

  /** Cancels the run's jobs still running (unless {@link #finished}) and stops the threads. */
  @Override
  public void close() {
    closed = true;
    try {
      if (!finished && !jsc.sc().isStopped()) {
        jsc.cancelJobGroup(jobGroup);
      }
    } catch (RuntimeException e) {
      LOG.debug("cannot cancel the jobs of {}: {}", jobGroup, e.toString());
    }
    pool.shutdownNow();
  }

  /** A segment's Spark job failed; the search stops and can be resumed. */
  static final class JobFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JobFailed(String message) {
      super(message);
    }
  }
}
