package io.sparksweep.search.schedule;

import java.util.List;
import java.util.Optional;

/**
 * A trial scheduler in the promotion form: a state machine over "a slot is free" ({@link #next()})
 * and "segment finished" ({@link #report}) events, with no clock, threads or I/O. The driver loop:
 *
 * <pre>{@code
 * Scheduler s = Scheduler.create(config, n);
 * while (true) {
 *   Optional<Segment> seg;
 *   while (freeSlots > 0 && (seg = s.next()).isPresent()) { submit(seg.get()); }
 *   if (s.inFlight().isEmpty()) break;          // s.finished() is now true
 *   Result r = awaitAnyResult();
 *   s.report(r.trial(), r.rung(), r.valAcc());
 * }
 * }</pre>
 *
 * <p>{@code sha}, {@code hyperband} and {@code fifo} are deterministic: the same config and number
 * of configurations give the same {@link #decisions()} (in their canonical order: bracket, rung,
 * trial) whatever the order of completions and the number of slots. {@code asha} depends on the
 * completion order by design; its {@link #log()} records every assignment, report and decision in
 * order, and {@link #replay} rebuilds a scheduler from it.
 */
public interface Scheduler {

  /**
   * A new scheduler.
   *
   * @param config which scheduler and its budgets
   * @param numConfigurations configurations the sampler provides (for {@code hyperband}: {@link
   *     Brackets#configurationsNeeded})
   */
  static Scheduler create(SchedulerConfig config, int numConfigurations) {
    List<Bracket> brackets = Brackets.of(config, numConfigurations);
    int n = 0;
    for (Bracket b : brackets) {
      n += b.configurations();
    }
    if (config.type() == SchedulerType.HYPERBAND && numConfigurations != n) {
      throw new IllegalArgumentException(
          "scheduler: hyperband with these budgets needs exactly "
              + n
              + " configurations, got "
              + numConfigurations);
    }
    return switch (config.type()) {
      case FIFO, SHA, HYPERBAND -> new SynchronousHalving(config, brackets);
      case ASHA -> new AsynchronousHalving(config, brackets.get(0));
    };
  }

  /**
   * A scheduler rebuilt from the log of an earlier one with the same arguments (a resumed run): its
   * assignments and reports are applied in order, and the decisions it re-derives must match the
   * logged ones. Segments assigned but never reported are {@link #inFlight()} afterwards: the
   * driver runs them again.
   *
   * @throws IllegalArgumentException naming the first log entry that this configuration does not
   *     reproduce
   */
  static Scheduler replay(SchedulerConfig config, int numConfigurations, List<LogEntry> log) {
    Scheduler s = create(config, numConfigurations);
    int end = log.size();
    // Decisions logged at the very end may have been written before the assignment they led to.
    while (end > 0 && log.get(end - 1) instanceof LogEntry.Decided) {
      end--;
    }
    for (int i = 0; i < end; i++) {
      LogEntry e = log.get(i);
      if (e instanceof LogEntry.Assigned a) {
        Optional<Segment> got = s.next();
        if (got.isEmpty() || !got.get().equals(a.segment())) {
          throw new IllegalArgumentException(
              "scheduler log entry "
                  + i
                  + ": it assigned "
                  + a.segment()
                  + ", this configuration assigns "
                  + got.map(Segment::toString).orElse("nothing"));
        }
      } else if (e instanceof LogEntry.Reported r) {
        s.report(r.trial(), r.rung(), r.metric());
      }
    }
    List<LogEntry> mine = s.log();
    for (int i = 0; i < end; i++) {
      if (i >= mine.size() || !mine.get(i).equals(log.get(i))) {
        throw new IllegalArgumentException(
            "scheduler log entry "
                + i
                + ": it recorded "
                + log.get(i)
                + ", this configuration records "
                + (i < mine.size() ? mine.get(i) : "nothing"));
      }
    }
    return s;
  }

  /** The configuration. */
  SchedulerConfig config();

  /** The rung tables. */
  List<Bracket> brackets();

  /**
   * The next segment to run, if one can start now; empty when every remaining segment waits for
   * results (a rung barrier, or no promotion possible yet) or the search is over.
   */
  Optional<Segment> next();

  /**
   * A segment finished.
   *
   * @param trial its trial
   * @param rung its rung
   * @param metric the validation accuracy at its end (higher is better; NaN = failed/diverged)
   * @return false when this (trial, rung) was already reported (a duplicate, ignored)
   * @throws IllegalArgumentException if that segment was never handed out
   */
  boolean report(int trial, int rung, double metric);

  /** Whether the search is over: nothing in flight and nothing left to run. */
  boolean finished();

  /** Segments handed out and not yet reported, in assignment order. */
  List<Segment> inFlight();

  /** Every decision so far (for sync schedulers in canonical order: bracket, rung, trial). */
  List<Decision> decisions();

  /** Every assignment, report and decision so far, in the order they happened. */
  List<LogEntry> log();
}
