package io.sparksweep.spark;

import io.sparksweep.search.AdaptiveProgress;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialResult;

/**
 * Receives a search's progress on the driver (the CLI prints it; nothing below {@code cli} does).
 * Every method is called from the thread that runs {@link SearchJob#run}, never concurrently. An
 * exception thrown by a listener is logged and otherwise ignored.
 */
public interface SearchListener {
  /** A listener that ignores everything. */
  SearchListener NONE = new SearchListener() {};

  /**
   * The trials are about to be submitted.
   *
   * @param runId the run's id
   * @param runDir the run's folder, a URI (manifest, models)
   * @param totalTrials number of trials
   */
  default void onStart(String runId, String runDir, int totalTrials) {}

  /**
   * A resumed run's missing trials are about to be submitted. By default, calls {@link #onStart}.
   *
   * @param runId the run's id
   * @param runDir the run's folder, a URI
   * @param totalTrials number of trials of the whole run
   * @param recorded trials already recorded by earlier attempts (they do not run again)
   */
  default void onResume(String runId, String runDir, int totalTrials, int recorded) {
    onStart(runId, runDir, totalTrials);
  }

  /**
   * One trial finished, with any status.
   *
   * @param result its result (without model bytes)
   * @param progress the search's progress, this trial included
   */
  default void onTrialFinished(TrialResult result, SearchProgress progress) {}

  /**
   * No trial finished during the heartbeat interval.
   *
   * @param progress the search's progress
   */
  default void onHeartbeat(SearchProgress progress) {}

  /**
   * A segment of an adaptive search finished (the first result of each trial and rung; the trials
   * that stop or complete then are reported by {@link #onTrialFinished}).
   *
   * @param task the trial and segment
   * @param result its result
   * @param progress the driver's state: rung occupancy, busy slots, best so far, epochs spent
   */
  default void onSegmentFinished(
      SegmentTask task, SegmentResult result, AdaptiveProgress progress) {}

  /**
   * An adaptive search had no event during the heartbeat interval.
   *
   * @param progress the driver's state
   */
  default void onAdaptiveHeartbeat(AdaptiveProgress progress) {}

  /**
   * The search finished: tables written, models saved.
   *
   * @param outcome what it produced
   */
  default void onFinish(SearchOutcome outcome) {}
}
