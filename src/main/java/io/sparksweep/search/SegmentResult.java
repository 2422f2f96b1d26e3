package io.sparksweep.search;

import io.sparksweep.search.schedule.Segment;
import java.io.Serializable;
import java.util.List;

/**
 * What one segment produced: metrics only (its checkpoint went to the {@link CheckpointStore}).
 * Never an exception: a diverged training and an error are statuses, with a NaN metric (which every
 * scheduler ranks last).
 *
 * @param segment the segment that ran
 * @param status OK, DIVERGED (a NaN/infinite loss, now or in an earlier segment) or FAILED (the
 *     segment threw: {@code error} says why)
 * @param metric validation accuracy at the end of {@code segment.toEpoch()}: what the scheduler
 *     ranks the rung by; NaN when not OK
 * @param bestValAcc best validation accuracy of the trial so far (all its segments); NaN if none
 * @param epochReached epochs the trial has completed at the end of the segment ({@code toEpoch}
 *     when OK, fewer when it diverged or failed)
 * @param epochs the learning curve of the epochs this segment trained ({@code fromEpoch + 1} to
 *     {@code epochReached})
 * @param error why it failed or diverged; null when OK
 * @param seconds wall time of the segment (reading the checkpoint, training, writing it)
 * @param executor where it ran
 * @param finishedAtMillis epoch millis when it ended
 */
public record SegmentResult(
    Segment segment,
    TrialStatus status,
    double metric,
    double bestValAcc,
    int epochReached,
    List<EpochRecord> epochs,
    String error,
    double seconds,
    String executor,
    long finishedAtMillis)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Requires a segment and status; copies the epochs. */
  public SegmentResult {
    if (segment == null || status == null) {
      throw new IllegalArgumentException("segment result: segment and status must not be null");
    }
    epochs = List.copyOf(epochs);
  }

  /**
   * A FAILED result: the segment trained nothing that counts.
   *
   * @param segment the segment
   * @param error what went wrong, one line
   * @param seconds time spent
   * @param executor where
   */
  public static SegmentResult failed(
      Segment segment, String error, double seconds, String executor) {
    return new SegmentResult(
        segment,
        TrialStatus.FAILED,
        Double.NaN,
        Double.NaN,
        segment.fromEpoch(),
        List.of(),
        error,
        seconds,
        executor,
        System.currentTimeMillis());
  }

  /** Epochs this segment actually trained ({@code epochReached − fromEpoch}, at least 0). */
  public int epochsTrained() {
    return Math.max(0, epochReached - segment.fromEpoch());
  }
}
