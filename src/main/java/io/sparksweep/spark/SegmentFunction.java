package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.CheckpointStore;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialRunner;
import java.io.Serializable;

/**
 * What one Spark task of an adaptive search does with one segment: continue the trial from its
 * checkpoint, train to the segment's end, write the checkpoint, report. Shipped to the executors
 * inside the task closure, so it must be serializable. The real one is {@link #TRAIN} ({@link
 * TrialRunner#runSegment}); tests pass others (a delay, a failure).
 */
@FunctionalInterface
public interface SegmentFunction extends Serializable {
  /** {@link TrialRunner#runSegment}. */
  SegmentFunction TRAIN = TrialRunner::runSegment;

  /**
   * Runs one segment.
   *
   * @param task the trial and the segment
   * @param data CIFAR-10 bytes (the executor's copy of the broadcast; do not modify)
   * @param store where the trial's checkpoints are read and written (the run store)
   * @param executor where it runs, recorded with the result
   * @return the segment's result
   */
  SegmentResult run(SegmentTask task, Cifar10Data data, CheckpointStore store, String executor);
}
