package io.sparksweep.spark;

import java.time.Duration;

/**
 * A snapshot of a running search, for progress reports.
 *
 * @param done trials finished (any status)
 * @param total trials in the search
 * @param running trials running right now (tasks active on executors, as Spark's status tracker
 *     last saw them)
 * @param failed finished trials whose status is not OK (FAILED or DIVERGED)
 * @param bestValAcc best validation accuracy of the OK trials so far; NaN before the first
 * @param elapsed time since the trials were submitted
 * @param eta estimated time left from the mean time per finished trial; null before the first
 */
public record SearchProgress(
    int done,
    int total,
    int running,
    int failed,
    double bestValAcc,
    Duration elapsed,
    Duration eta) {

  /** Fraction of trials done, in [0, 1]. */
  public double fractionDone() {
    return total == 0 ? 1.0 : (double) done / total;
  }
}
