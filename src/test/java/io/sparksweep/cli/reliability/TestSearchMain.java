package io.sparksweep.cli.reliability;

import io.sparksweep.cli.SearchCommand;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.search.CheckpointStore;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.spark.SegmentFunction;
import io.sparksweep.spark.TrialFunction;
import io.sparksweep.train.SolverListener;
import picocli.CommandLine;

/**
 * {@code sparksweep search} as the reliability tests run it in a child JVM (to kill it, or to run
 * two at once): the production grid parser and {@link TrialRunner}, on synthetic CIFAR-format files
 * of {@value #RECORDS_PER_FILE} records per batch file, each trial held back by {@code
 * -Dsparksweep.test.trialDelayMillis} so that a test can kill the driver mid-search.
 */
public final class TestSearchMain {
  /** Records per batch file of the synthetic data the tests write. */
  public static final int RECORDS_PER_FILE = 40;

  private TestSearchMain() {}

  /** Real training, after a delay; trials from index {@code holdFrom} on hang. */
  record DelayedTrials(long delayMillis, int holdFrom) implements TrialFunction {
    @Override
    public TrialResult run(TrialSpec spec, Cifar10Data data) {
      try {
        Thread.sleep(spec.index() >= holdFrom ? Long.MAX_VALUE : delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      return TrialRunner.run(spec, data, "task", SolverListener.silent());
    }
  }

  /**
   * Real segment training (an adaptive search), after a delay; segments of rung {@code
   * holdFromRung} and above hang. With a {@code failOnceMarker} file name, the first task to create
   * that file (of trial {@code failOnceTrial}, rung 0) throws Spark's {@code SparkOutOfMemoryError}
   * after training (and writing its checkpoint): the task fails, and Spark retries it ({@code
   * spark.task.maxFailures}, e.g. master {@code local[2,2]}).
   */
  record DelayedSegments(
      long delayMillis, int holdFromRung, String failOnceMarker, int failOnceTrial)
      implements SegmentFunction {
    @Override
    public SegmentResult run(
        SegmentTask task, Cifar10Data data, CheckpointStore store, String executor) {
      try {
        Thread.sleep(task.segment().rung() >= holdFromRung ? Long.MAX_VALUE : delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      SegmentResult r = TrialRunner.runSegment(task, data, store, executor);
      if (failOnceMarker != null
          && task.segment().trial() == failOnceTrial
          && task.segment().rung() == 0) {
        try {
          if (new java.io.File(failOnceMarker).createNewFile()) {
            // Spark's own out-of-memory error: fatal for the task (it is retried), not for the JVM.
            throw new org.apache.spark.memory.SparkOutOfMemoryError(
                "UNABLE_TO_ACQUIRE_MEMORY",
                java.util.Map.of("requestedBytes", "1", "receivedBytes", "0"));
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      return r;
    }
  }

  /** The wiring: real grid files and training, synthetic data, a delay before each trial. */
  public static SearchCommand.Wiring wiring(long trialDelayMillis, int holdFrom) {
    return wiring(trialDelayMillis, holdFrom, new DelayedSegments(0, Integer.MAX_VALUE, null, -1));
  }

  /** The wiring with {@code segments} for adaptive searches. */
  public static SearchCommand.Wiring wiring(
      long trialDelayMillis, int holdFrom, SegmentFunction segments) {
    return new SearchCommand.Wiring(
        SearchCommand.GridLoader.files(),
        dir -> Cifar10Reader.withRecordsPerFile(RECORDS_PER_FILE).read(dir),
        new DelayedTrials(trialDelayMillis, holdFrom),
        io.sparksweep.spark.Sessions.Builder::getOrCreate,
        segments);
  }

  /** Runs {@code search} with {@code args} and exits with its status. */
  public static void main(String[] args) {
    long delay = Long.getLong("sparksweep.test.trialDelayMillis", 0);
    int holdFrom = Integer.getInteger("sparksweep.test.holdFrom", Integer.MAX_VALUE);
    SegmentFunction segments =
        new DelayedSegments(
            Long.getLong("sparksweep.test.segmentDelayMillis", 0),
            Integer.getInteger("sparksweep.test.holdFromRung", Integer.MAX_VALUE),
            System.getProperty("sparksweep.test.failOnceMarker"),
            Integer.getInteger("sparksweep.test.failOnceTrial", 1));
    System.exit(
        new CommandLine(new SearchCommand(wiring(delay, holdFrom, segments))).execute(args));
  }
}
