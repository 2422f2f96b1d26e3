package io.sparksweep.search;

import io.sparksweep.search.schedule.Decision;

/**
 * How an adaptive trial ended: the scheduler's last decision about it and what it reached.
 *
 * @param trial the configuration
 * @param decision {@link Decision.Outcome#STOPPED} (stopped early: a normal outcome, the {@code
 *     STOPPED} of the trials table) or {@link Decision.Outcome#COMPLETED} (trained its full budget)
 * @param status the status of its last segment: OK, or DIVERGED / FAILED (then it was stopped
 *     because of it, or completed while failing)
 * @param epochReached epochs it trained (where it stopped)
 * @param rung the rung of the decision
 * @param metric its metric at that rung (NaN when not OK)
 * @param bestValAcc its best validation accuracy over all its segments (NaN if none)
 */
public record TrialOutcome(
    TrialSpec trial,
    Decision.Outcome decision,
    TrialStatus status,
    int epochReached,
    int rung,
    double metric,
    double bestValAcc) {}
