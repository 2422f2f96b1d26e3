package io.sparksweep.search;

import io.sparksweep.search.schedule.Bracket;
import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.LogEntry;
import io.sparksweep.search.schedule.Scheduler;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import io.sparksweep.search.schedule.Segment;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs an adaptive search without knowing where segments run: it owns a {@link Scheduler}, keeps up
 * to {@code slots} segments submitted to a {@link SegmentExecutor}, feeds each result back to the
 * scheduler as it arrives and submits whatever the scheduler hands out next. It waits only when
 * every slot is busy or the scheduler has nothing to start before another result (a rung barrier of
 * {@code sha}/{@code hyperband}); it never waits for a barrier the scheduler does not have.
 *
 * <p>Everything happens on the thread that calls {@link #run()}: the executor's completions (on any
 * thread) only queue the result. Every scheduler log entry, decision, segment result and trial
 * outcome goes to the {@link AdaptiveListener}, in order; {@link #progress()} is a snapshot (rung
 * occupancy, busy slots, best so far, epochs spent against the full budget) any thread may take.
 *
 * <p>Resume ({@link #resume}): the scheduler is rebuilt from the recorded log ({@link
 * Scheduler#replay}); no segment whose result was recorded runs again, and the segments that were
 * in flight when the old driver stopped are submitted first. {@code sha} and {@code hyperband} make
 * the same decisions whatever the number of slots, the completion order or the resumes; {@code
 * asha}'s depend on the completion order, and its log says which they were.
 */
public final class AdaptiveDriver {
  private final List<TrialSpec> trials;
  private final SegmentExecutor executor;
  private final int slots;
  private final AdaptiveListener listener;
  private final Scheduler scheduler;
  private final List<Bracket> brackets;
  private final boolean asynchronous;
  private final long fullBudgetEpochs;

  /** How often {@link AdaptiveListener#idle} is called while the driver waits for a result. */
  static final long IDLE_MILLIS = 200;

  private final ArrayDeque<Segment> redo = new ArrayDeque<>();
  private final ArrayDeque<LogEntry> recordedTail = new ArrayDeque<>();
  private final BlockingQueue<Completion> inbox = new LinkedBlockingQueue<>();
  private int logged;
  private boolean started;

  // Per trial: the last rung reported, epochs reached, last status, best validation accuracy.
  private final int[] lastRung;
  private final int[] epochReached;
  private final TrialStatus[] status;
  private final double[] trialBest;
  // Per bracket and rung: trials that finished it, trials training towards it.
  private final int[][] finished;
  private final int[][] running;
  private int busy;
  private long epochsSpent;
  private long epochsInFlight;
  private long segmentsFinished;
  private int stopped;
  private int completed;
  private double best = Double.NaN;
  private int bestTrial = -1;

  /** A segment's completion, queued for the driver thread. */
  private record Completion(SegmentTask task, SegmentResult result, Throwable error) {}

  /**
   * A new search.
   *
   * @param config the scheduler
   * @param trials the configurations, in the sampler's order (for {@code hyperband} exactly {@link
   *     io.sparksweep.search.schedule.Brackets#configurationsNeeded}); each {@code numEpochs} is
   *     {@code config.maxResource()}
   * @param executor runs the segments
   * @param slots most segments in flight (≥ 1)
   * @param listener is told everything, in order
   * @throws IllegalArgumentException if the trials do not fit the scheduler
   */
  public AdaptiveDriver(
      SchedulerConfig config,
      List<TrialSpec> trials,
      SegmentExecutor executor,
      int slots,
      AdaptiveListener listener) {
    this(config, trials, executor, slots, listener, null, List.of());
  }

  /**
   * A search continued from what an earlier driver recorded.
   *
   * @param config the scheduler of the recorded run
   * @param trials its configurations, in the same order
   * @param log every entry the earlier driver's listener was given ({@link
   *     AdaptiveListener#logged}), in order, or a prefix of them
   * @param recorded the segment results it recorded ({@link AdaptiveListener#segmentFinished}), in
   *     any order, or none: they make the trials' statuses and epochs exact (the log alone knows
   *     metrics and rungs, so a NaN before the resume counts as FAILED)
   * @param executor runs the segments
   * @param slots most segments in flight
   * @param listener is told what happens from now on (not the replayed entries again)
   * @throws IllegalArgumentException if the log is not one of this configuration
   */
  public static AdaptiveDriver resume(
      SchedulerConfig config,
      List<TrialSpec> trials,
      List<LogEntry> log,
      List<SegmentResult> recorded,
      SegmentExecutor executor,
      int slots,
      AdaptiveListener listener) {
    return new AdaptiveDriver(config, trials, executor, slots, listener, log, recorded);
  }

  private AdaptiveDriver(
      SchedulerConfig config,
      List<TrialSpec> trials,
      SegmentExecutor executor,
      int slots,
      AdaptiveListener listener,
      List<LogEntry> log,
      List<SegmentResult> recorded) {
    if (slots < 1) {
      throw new IllegalArgumentException("adaptive driver: slots must be >= 1, got " + slots);
    }
    this.trials = List.copyOf(trials);
    this.executor = executor;
    this.slots = slots;
    this.listener = listener;
    for (TrialSpec t : this.trials) {
      if (t.numEpochs() != config.maxResource()) {
        throw new IllegalArgumentException(
            "adaptive driver: trial "
                + t.index()
                + " has num_epochs "
                + t.numEpochs()
                + ", the scheduler's max_resource is "
                + config.maxResource());
      }
    }
    this.scheduler =
        log == null
            ? Scheduler.create(config, this.trials.size())
            : Scheduler.replay(config, this.trials.size(), log);
    this.brackets = scheduler.brackets();
    this.asynchronous = config.type() == SchedulerType.ASHA;
    this.fullBudgetEpochs = (long) this.trials.size() * config.maxResource();
    int n = this.trials.size();
    lastRung = new int[n];
    epochReached = new int[n];
    status = new TrialStatus[n];
    trialBest = new double[n];
    Arrays.fill(lastRung, -1);
    Arrays.fill(status, TrialStatus.OK);
    Arrays.fill(trialBest, Double.NaN);
    finished = new int[brackets.size()][];
    running = new int[brackets.size()][];
    for (Bracket b : brackets) {
      finished[b.index()] = new int[b.rungs().size()];
      running[b.index()] = new int[b.rungs().size()];
    }
    if (log != null) {
      restore(log, recorded);
    }
  }

  /** Rebuilds the counters from the replayed log and queues the segments that were in flight. */
  private void restore(List<LogEntry> log, List<SegmentResult> recorded) {
    List<LogEntry> mine = scheduler.log();
    logged = Math.min(log.size(), mine.size());
    if (log.size() > mine.size()) {
      // Decisions recorded just before the assignment they led to: the driver takes them again.
      recordedTail.addAll(log.subList(mine.size(), log.size()));
    }
    Map<Long, SegmentResult> results = new HashMap<>();
    for (SegmentResult r : recorded) {
      results.putIfAbsent(pair(r.segment().trial(), r.segment().rung()), r);
    }
    Map<Integer, Segment> assigned = new HashMap<>();
    for (int i = 0; i < logged; i++) {
      LogEntry e = mine.get(i);
      if (e instanceof LogEntry.Assigned a) {
        assigned.put(a.segment().trial(), a.segment());
      } else if (e instanceof LogEntry.Reported r) {
        Segment seg = assigned.get(r.trial());
        SegmentResult known = results.get(pair(r.trial(), r.rung()));
        if (known == null || !known.segment().equals(seg)) {
          boolean ok = !Double.isNaN(r.metric());
          known =
              new SegmentResult(
                  seg,
                  ok ? TrialStatus.OK : TrialStatus.FAILED,
                  r.metric(),
                  r.metric(),
                  seg.toEpoch(),
                  List.of(),
                  ok ? null : "recorded before a resume as NaN",
                  0,
                  "",
                  0);
        }
        count(seg, known);
      } else if (e instanceof LogEntry.Decided d) {
        tally(d.decision());
      }
    }
    redo.addAll(scheduler.inFlight());
  }

  private static long pair(int trial, int rung) {
    return ((long) trial << 32) | rung;
  }

  /**
   * Runs the search to its end: submits segments, records results, until the scheduler is finished
   * and nothing is in flight.
   *
   * @return the final progress
   * @throws InterruptedException if interrupted while waiting for a result (segments in flight are
   *     left to the executor; a resume redoes them)
   * @throws IllegalStateException if called twice
   */
  public AdaptiveProgress run() throws InterruptedException {
    synchronized (this) {
      if (started) {
        throw new IllegalStateException("adaptive driver: run() was already called");
      }
      started = true;
      emitLog();
      fill();
    }
    while (true) {
      synchronized (this) {
        if (busy == 0) {
          break;
        }
      }
      Completion c = inbox.poll();
      if (c == null) {
        executor.flush();
        c = inbox.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
        while (c == null) {
          synchronized (this) {
            listener.idle();
          }
          c = inbox.poll(IDLE_MILLIS, TimeUnit.MILLISECONDS);
        }
      }
      synchronized (this) {
        handle(c);
        fill();
        if (listener.wantsProgress()) {
          listener.progress(progress());
        }
      }
    }
    if (!scheduler.finished()) {
      throw new IllegalStateException(
          "adaptive driver: nothing in flight and the scheduler is not finished");
    }
    return progress();
  }

  /** Submits segments while a slot is free and the scheduler has one. */
  private void fill() {
    while (busy < slots) {
      Segment seg = redo.poll();
      if (seg == null) {
        Optional<Segment> next = scheduler.next();
        emitLog();
        if (next.isEmpty()) {
          return;
        }
        seg = next.get();
      }
      submit(seg);
    }
  }

  private void submit(Segment seg) {
    SegmentTask task = new SegmentTask(trials.get(seg.trial()), seg);
    busy++;
    running[seg.bracket()][seg.rung()]++;
    epochsInFlight += seg.epochs();
    CompletionStage<SegmentResult> stage;
    try {
      stage = executor.submit(task);
    } catch (RuntimeException e) {
      inbox.add(new Completion(task, null, e));
      return;
    }
    stage.whenComplete((r, e) -> inbox.add(new Completion(task, r, e)));
  }

  private void handle(Completion c) {
    Segment seg = c.task().segment();
    busy--;
    running[seg.bracket()][seg.rung()]--;
    epochsInFlight -= seg.epochs();
    SegmentResult r = c.result();
    if (c.error() != null || r == null) {
      Throwable e = c.error();
      r =
          SegmentResult.failed(
              seg,
              e == null
                  ? "the executor returned no result"
                  : e.getClass().getSimpleName() + ": " + e.getMessage(),
              0,
              "");
    } else if (!r.segment().equals(seg)) {
      r = SegmentResult.failed(seg, "the executor returned the result of " + r.segment(), 0, "");
    }
    if (seg.rung() <= lastRung[seg.trial()]) {
      return; // a second result of a recorded segment
    }
    listener.segmentFinished(c.task(), r);
    count(seg, r);
    scheduler.report(seg.trial(), seg.rung(), r.metric());
    emitLog();
  }

  /** Counts a recorded result. */
  private void count(Segment seg, SegmentResult r) {
    int t = seg.trial();
    lastRung[t] = seg.rung();
    finished[seg.bracket()][seg.rung()]++;
    segmentsFinished++;
    epochsSpent += r.epochsTrained();
    epochReached[t] = Math.max(epochReached[t], r.epochReached());
    status[t] = r.status();
    if (!Double.isNaN(r.bestValAcc())) {
      trialBest[t] =
          Double.isNaN(trialBest[t]) ? r.bestValAcc() : Math.max(trialBest[t], r.bestValAcc());
      if (Double.isNaN(best) || r.bestValAcc() > best) {
        best = r.bestValAcc();
        bestTrial = t;
      }
    }
  }

  /**
   * Passes the scheduler's new log entries to the listener, and acts on its decisions. A decision's
   * {@link AdaptiveListener#decided} and {@link AdaptiveListener#trialFinished} come before its
   * {@link AdaptiveListener#logged}: whatever was logged (and so replayed on resume) was delivered,
   * and a decision the driver died before logging is taken, and delivered, again after the resume.
   */
  private void emitLog() {
    List<LogEntry> log = scheduler.log();
    while (logged < log.size()) {
      LogEntry e = log.get(logged++);
      boolean recordedBefore = !recordedTail.isEmpty() && recordedTail.peek().equals(e);
      if (recordedBefore) {
        recordedTail.poll();
      } else {
        recordedTail.clear();
      }
      if (e instanceof LogEntry.Decided d) {
        Decision decision = d.decision();
        tally(decision);
        if (!recordedBefore) {
          deliver(decision);
        }
      }
      if (!recordedBefore) {
        listener.logged(e);
      }
    }
  }

  private void deliver(Decision decision) {
    TrialSpec trial = trials.get(decision.trial());
    listener.decided(trial, decision);
    if (decision.outcome() != Decision.Outcome.PROMOTED) {
      int t = decision.trial();
      listener.trialFinished(
          new TrialOutcome(
              trial,
              decision.outcome(),
              status[t],
              epochReached[t],
              decision.rung(),
              decision.metric(),
              trialBest[t]));
    }
  }

  private void tally(Decision d) {
    if (d.outcome() == Decision.Outcome.STOPPED) {
      stopped++;
    } else if (d.outcome() == Decision.Outcome.COMPLETED) {
      completed++;
    }
  }

  /** A snapshot of the search now (any thread). */
  public synchronized AdaptiveProgress progress() {
    List<AdaptiveProgress.RungCount> rungs = new ArrayList<>();
    for (Bracket b : brackets) {
      for (int k = 0; k < b.rungs().size(); k++) {
        int size = b.rungs().get(k).size();
        if (asynchronous) {
          size = k == 0 ? b.configurations() : -1;
        }
        rungs.add(
            new AdaptiveProgress.RungCount(
                b.index(),
                k,
                b.rungs().get(k).epochs(),
                finished[b.index()][k],
                running[b.index()][k],
                size));
      }
    }
    return new AdaptiveProgress(
        rungs,
        busy,
        slots,
        best,
        bestTrial,
        epochsSpent,
        epochsInFlight,
        fullBudgetEpochs,
        segmentsFinished,
        stopped,
        completed,
        started && busy == 0 && scheduler.finished());
  }

  /**
   * The scheduler's decisions so far (for {@code sha}/{@code hyperband} in canonical order:
   * bracket, rung, trial).
   */
  public synchronized List<Decision> decisions() {
    return List.copyOf(scheduler.decisions());
  }

  /** The scheduler's log so far: what a resume needs. */
  public synchronized List<LogEntry> log() {
    return List.copyOf(scheduler.log());
  }
}
