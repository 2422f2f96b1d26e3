package io.sparksweep.search;

/** Outcome of one trial. */
public enum TrialStatus {
  /** Trained to the end. */
  OK,
  /** The loss became NaN or infinite; the epoch is recorded. */
  DIVERGED,
  /** The configuration threw; the error is recorded, and the trial is not retried. */
  FAILED,
  /**
   * Stopped early by an adaptive scheduler (sha, hyperband, asha): a normal outcome, not an error;
   * {@code epochs_run} is the epoch it reached.
   */
  STOPPED
}
