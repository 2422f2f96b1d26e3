package io.sparksweep.search.schedule;

/**
 * One line of a scheduler's ordered log: a segment handed out, a result reported, or a decision
 * taken. The assignments and reports are the scheduler's inputs and suffice to rebuild it ({@link
 * Scheduler#replay}); the decisions are kept alongside for audit and checked on replay.
 */
public sealed interface LogEntry permits LogEntry.Assigned, LogEntry.Reported, LogEntry.Decided {

  /**
   * {@link Scheduler#next()} returned {@code segment}.
   *
   * @param segment the segment
   */
  record Assigned(Segment segment) implements LogEntry {}

  /**
   * {@link Scheduler#report} was called.
   *
   * @param trial the trial
   * @param rung the rung it finished
   * @param metric its metric
   */
  record Reported(int trial, int rung, double metric) implements LogEntry {}

  /**
   * The scheduler decided.
   *
   * @param decision what
   */
  record Decided(Decision decision) implements LogEntry {}
}
