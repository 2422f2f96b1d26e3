package io.sparksweep.search;

import java.util.concurrent.CompletionStage;

/**
 * Runs segments somewhere: a thread pool in this JVM ({@link LocalSegmentExecutor}), one Spark job
 * per segment, or simulated workers. The {@link AdaptiveDriver} calls it from its one thread.
 *
 * <p>Contract: {@link #submit} returns at once (it must not wait for the segment) and its stage
 * completes exactly once, on any thread, with the segment's result — or exceptionally, which the
 * driver records as a FAILED segment. A retried or duplicated run of a segment is fine: the driver
 * records the first result of each (trial, rung) and ignores the others. The driver never has more
 * than its {@code slots} segments submitted and not completed.
 */
public interface SegmentExecutor {
  /**
   * Starts a segment.
   *
   * @param task the trial and the segment
   * @return its result, when it has run
   */
  CompletionStage<SegmentResult> submit(SegmentTask task);

  /**
   * The driver has submitted everything it can and is about to wait for a result: an executor that
   * batches submissions sends them now. A simulated one completes its next segment (in simulated
   * time) here. Default: nothing.
   */
  default void flush() {}
}
