/**
 * Trial schedulers for adaptive search, as pure state machines (no Spark, no clock, no threads):
 * {@code fifo} (every trial to the full budget), {@code sha} (synchronous successive halving),
 * {@code hyperband} (brackets of successive halving; Li et al., JMLR 2018) and {@code asha}
 * (asynchronous successive halving; Li et al., MLSys 2020).
 *
 * <p>The promotion form: {@link io.sparksweep.search.schedule.Scheduler#next()} hands out a {@link
 * io.sparksweep.search.schedule.Segment} (trial, bracket, rung, from epoch, to epoch) whenever a
 * slot is free; the driver trains the trial from its checkpoint at the from-epoch to the to-epoch
 * and reports {@link io.sparksweep.search.schedule.Scheduler#report} (trial, rung, metric); the
 * scheduler decides, in {@link io.sparksweep.search.schedule.Decision}s, which trials are promoted
 * to the next rung and which stop. Every input and decision goes into an ordered {@link
 * io.sparksweep.search.schedule.LogEntry} log, from which {@link
 * io.sparksweep.search.schedule.Scheduler#replay} rebuilds the state of a run whose driver died.
 * Higher metrics are better; NaN (a diverged or failed trial) ranks below everything; ties go to
 * the lower trial index. Uses nothing else of sparksweep.
 */
package io.sparksweep.search.schedule;
