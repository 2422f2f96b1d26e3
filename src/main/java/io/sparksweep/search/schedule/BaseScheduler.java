package io.sparksweep.search.schedule;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The bookkeeping every scheduler shares: the log, the segments in flight, duplicate reports. */
abstract class BaseScheduler implements Scheduler {
  private final SchedulerConfig config;
  private final List<Bracket> brackets;
  private final List<LogEntry> log = new ArrayList<>();
  private final List<Decision> decisions = new ArrayList<>();
  private final Map<Integer, Segment> inFlight = new LinkedHashMap<>();
  private final int[] lastReportedRung;

  BaseScheduler(SchedulerConfig config, List<Bracket> brackets, int numConfigurations) {
    this.config = config;
    this.brackets = List.copyOf(brackets);
    this.lastReportedRung = new int[numConfigurations];
    Arrays.fill(lastReportedRung, -1);
  }

  /** The next segment, or empty; {@link #decide} may be called before returning it. */
  abstract Optional<Segment> assign();

  /** A validated, first report of {@code segment}. */
  abstract void accept(Segment segment, double metric);

  @Override
  public SchedulerConfig config() {
    return config;
  }

  @Override
  public List<Bracket> brackets() {
    return brackets;
  }

  @Override
  public final Optional<Segment> next() {
    Optional<Segment> s = assign();
    s.ifPresent(
        seg -> {
          inFlight.put(seg.trial(), seg);
          log.add(new LogEntry.Assigned(seg));
        });
    return s;
  }

  @Override
  public final boolean report(int trial, int rung, double metric) {
    if (trial < 0 || trial >= lastReportedRung.length) {
      throw new IllegalArgumentException(
          "scheduler: trial " + trial + " is not in [0, " + lastReportedRung.length + ")");
    }
    if (rung <= lastReportedRung[trial]) {
      return false;
    }
    Segment seg = inFlight.get(trial);
    if (seg == null || seg.rung() != rung) {
      throw new IllegalArgumentException(
          "scheduler: trial "
              + trial
              + " rung "
              + rung
              + " was not handed out"
              + (seg == null ? "" : " (its segment in flight is rung " + seg.rung() + ")"));
    }
    inFlight.remove(trial);
    lastReportedRung[trial] = rung;
    log.add(new LogEntry.Reported(trial, rung, metric));
    accept(seg, metric);
    return true;
  }

  @Override
  public List<Segment> inFlight() {
    return List.copyOf(inFlight.values());
  }

  int inFlightCount() {
    return inFlight.size();
  }

  @Override
  public List<Decision> decisions() {
    return Collections.unmodifiableList(decisions);
  }

  @Override
  public List<LogEntry> log() {
    return Collections.unmodifiableList(log);
  }

  void decide(Decision d) {
    decisions.add(d);
    log.add(new LogEntry.Decided(d));
  }

  /**
   * The ranking of every scheduler: higher metric first, NaN last, then the lower trial index.
   *
   * @return negative when (ma, ta) ranks before (mb, tb)
   */
  static int compare(double ma, int ta, double mb, int tb) {
    boolean na = Double.isNaN(ma);
    boolean nb = Double.isNaN(mb);
    if (na != nb) {
      return na ? 1 : -1;
    }
    if (!na) {
      int c = Double.compare(mb, ma);
      if (c != 0) {
        return c;
      }
    }
    return Integer.compare(ta, tb);
  }
}
