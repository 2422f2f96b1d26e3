package io.sparksweep.search;

import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.LogEntry;

/**
 * What an {@link AdaptiveDriver} reports, on its own thread, in order. The Spark layer persists
 * {@link #logged} entries (the rungs table and the scheduler log a resume replays), {@link
 * #segmentFinished} results (the epochs table) and {@link #trialFinished} outcomes (the trials
 * table, status {@code STOPPED} for a trial stopped early); the console shows {@link #progress}. An
 * exception thrown here stops the driver and propagates out of {@link AdaptiveDriver#run()}; the
 * entries logged before it are what a resume starts from.
 */
public interface AdaptiveListener {
  /**
   * One entry of the scheduler's log (segment assigned, result reported, decision), in log order;
   * feeding every one of them back to {@link AdaptiveDriver#resume} continues the run. An
   * assignment is logged before its segment is submitted, a report after its result arrived.
   */
  default void logged(LogEntry entry) {}

  /**
   * A decision about {@code trial}, delivered just before it is {@link #logged} as a {@link
   * LogEntry.Decided}: a decision the driver died before logging is delivered again after the
   * resume (write it idempotently, keyed by trial and rung).
   */
  default void decided(TrialSpec trial, Decision decision) {}

  /** A segment's result arrived (first arrival of each (trial, rung) only). */
  default void segmentFinished(SegmentTask task, SegmentResult result) {}

  /**
   * A trial will not train further: stopped early or completed (delivered with its decision, so at
   * least once: key the write by trial).
   */
  default void trialFinished(TrialOutcome outcome) {}

  /**
   * The driver is waiting for a result and none arrived for a while (about every 200 ms while it
   * waits): a listener may commit what it holds or print a heartbeat. Called on the driver's
   * thread, as everything else.
   */
  default void idle() {}

  /** The state after each result (cheap to ignore; built only when wanted, see below). */
  default void progress(AdaptiveProgress progress) {}

  /** Whether {@link #progress} should be called; false spares building a snapshot per event. */
  default boolean wantsProgress() {
    return false;
  }

  /** A listener that ignores everything. */
  static AdaptiveListener silent() {
    return new AdaptiveListener() {};
  }
}
