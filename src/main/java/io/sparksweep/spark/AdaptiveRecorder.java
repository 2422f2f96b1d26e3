package io.sparksweep.spark;

import io.sparksweep.search.AdaptiveListener;
import io.sparksweep.search.AdaptiveProgress;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialOutcome;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.LogEntry;
import io.sparksweep.spark.AdaptiveJournal.Completed;
import io.sparksweep.spark.AdaptiveJournal.Decided;
import io.sparksweep.spark.AdaptiveJournal.Event;
import io.sparksweep.spark.AdaptiveJournal.Finished;
import io.sparksweep.spark.AdaptiveJournal.Logged;
import io.sparksweep.spark.AdaptiveJournal.SegmentDone;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Records an adaptive search as the {@link io.sparksweep.search.AdaptiveDriver} reports it: every
 * event goes to the run's journal ({@link AdaptiveJournal}, written with each batch just before the
 * batch's rows), every rung decision becomes a {@code rungs} row, every trial that will not train
 * further a {@code trials} row (status {@code STOPPED} for one stopped early) with the epochs of
 * all its segments; the rows go through the run's {@link RunWriter}, in its batches.
 *
 * <p>Exactly once across crashes: a resumed run first {@link #replay}s the journal, batch by batch,
 * re-committing each batch's rows with the batch's own number (a no-op for the tables that have it:
 * Delta's {@code txnAppId/txnVersion}), so the tables hold what the journal holds even if the
 * driver died between writing a batch's journal file and committing its rows. The replayed log and
 * segment results ({@link #log()}, {@link #segments()}) let the driver continue where the journal
 * ends: nothing recorded runs again, the segments in flight run again. Events delivered a second
 * time after a resume (a decision taken again because its log entry was not recorded) are
 * recognised by (trial, rung) and by trial and add no row.
 */
final class AdaptiveRecorder implements AdaptiveListener, RunWriter.Journal {
  private static final Logger LOG = LogManager.getLogger(AdaptiveRecorder.class);
  private static final Pattern DIVERGED_EPOCH = Pattern.compile("\\(epoch (\\d+)\\)$");

  private final String runId;
  private final List<TrialSpec> trials;
  private final RunStore store;

  private final Map<Integer, Map<Integer, SegmentResult>> segments = new HashMap<>();
  private final Map<Integer, Completed> completed = new HashMap<>();
  private final Set<Long> rungRows = new HashSet<>();
  private final Set<Integer> finishedTrials = new HashSet<>();
  private final List<LogEntry> log = new ArrayList<>();
  private final List<SegmentResult> recorded = new ArrayList<>();
  private final List<String> pendingLines = new ArrayList<>();

  private RunWriter writer;
  private SparkSegmentExecutor executor;
  private Consumer<Progress> progress = p -> {};
  private Runnable onIdle = () -> {};
  private final List<Progress> console = new ArrayList<>();
  private AdaptiveProgress last;
  private int finishedHere;

  /**
   * What the console hears of: a segment's result or a finished trial, with the driver's progress.
   *
   * @param segment the segment (null for a finished trial)
   * @param result its result (null for a finished trial)
   * @param trial the finished trial's result (null for a segment)
   * @param progress the driver's state after the event (null before the first)
   */
  record Progress(
      SegmentTask segment, SegmentResult result, TrialResult trial, AdaptiveProgress progress) {}

  /**
   * @param runId the run
   * @param trials its configurations, in the sampler's order
   * @param store its run store (the journal)
   */
  AdaptiveRecorder(String runId, List<TrialSpec> trials, RunStore store) {
    this.runId = runId;
    this.trials = List.copyOf(trials);
    this.store = store;
  }

  /**
   * Re-commits the run's journal, batch by batch, and rebuilds the recorder's state from it (a
   * resume, before the run's rows are read back).
   *
   * @return the number of journal batches
   */
  int replay(SparkSession spark, String warehouseUri) {
    List<Long> batches;
    try {
      batches = store.journalBatches(runId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the journal of run " + runId, e);
    }
    for (long batch : batches) {
      String text;
      try {
        text = new String(store.readJournal(runId, batch), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read batch " + batch + " of run " + runId, e);
      }
      List<Row> trialRows = new ArrayList<>();
      List<Row> epochRows = new ArrayList<>();
      List<Row> rungs = new ArrayList<>();
      for (Event e : AdaptiveJournal.parse(text, store.runUri(runId) + "/journal/" + batch)) {
        Row rung = apply(e);
        if (rung != null) {
          rungs.add(rung);
        }
        if (e instanceof Finished f) {
          TrialResult r = finishedResult(f);
          if (r != null) {
            trialRows.add(TrialRows.trialRow(runId, r, null));
            epochRows.addAll(TrialRows.epochRows(runId, r));
          }
        }
      }
      ResultTables.commitBatch(spark, warehouseUri, runId, batch, trialRows, epochRows, rungs);
    }
    LOG.info(
        "run {}: replayed {} journal batches: {} log entries, {} segments, {} trials finished",
        runId,
        batches.size(),
        log.size(),
        recorded.size(),
        finishedTrials.size());
    return batches.size();
  }

  /** The writer the rows go to, from now on. */
  void attach(RunWriter w, SparkSegmentExecutor e, Consumer<Progress> listener, Runnable whenIdle) {
    this.writer = w;
    this.executor = e;
    this.progress = listener;
    this.onIdle = whenIdle;
    w.journal(this);
  }

  /** The scheduler log recorded so far (replayed or live), in order. */
  List<LogEntry> log() {
    return Collections.unmodifiableList(log);
  }

  /** The segment results recorded so far. */
  List<SegmentResult> segments() {
    return Collections.unmodifiableList(recorded);
  }

  /** Trials recorded as finished (stopped or completed). */
  int finished() {
    return finishedTrials.size();
  }

  /** The last progress the driver reported, or null. */
  AdaptiveProgress lastProgress() {
    return last;
  }

  // ---------------------------------------------------------------- the driver's events

  @Override
  public void logged(LogEntry entry) {
    record(new Logged(entry));
    if (entry instanceof LogEntry.Reported) {
      writer.note(); // a result is recorded once its report is in the log
    }
  }

  @Override
  public void segmentFinished(SegmentTask task, SegmentResult result) {
    TrialResult whole = executor == null ? null : executor.takeCompleted(task.segment().trial());
    Completed c =
        whole == null || whole.status() != TrialStatus.OK
            ? null
            : new Completed(whole.valAcc(), whole.testAcc(), whole.finalTrainAcc());
    record(new SegmentDone(result, c));
    console.add(new Progress(task, result, null, null));
  }

  @Override
  public void decided(TrialSpec trial, Decision decision) {
    Row row = record(new Decided(decision, System.currentTimeMillis()));
    if (row != null) {
      writer.addRungs(List.of(row));
    }
  }

  @Override
  public void trialFinished(TrialOutcome o) {
    Finished f =
        new Finished(
            o.trial().index(),
            o.decision(),
            o.status(),
            o.epochReached(),
            o.rung(),
            o.metric(),
            o.bestValAcc());
    boolean fresh = !finishedTrials.contains(f.trial());
    record(f);
    if (fresh) {
      TrialResult r = finishedResult(f);
      finishedHere++;
      writer.commit(r);
      console.add(new Progress(null, null, r, null));
    }
  }

  @Override
  public void progress(AdaptiveProgress p) {
    last = p;
    for (Progress e : console) {
      progress.accept(new Progress(e.segment(), e.result(), e.trial(), p));
    }
    console.clear();
  }

  @Override
  public boolean wantsProgress() {
    return true;
  }

  @Override
  public void idle() {
    executor.check();
    writer.flushIfDue();
    onIdle.run();
  }

  /** Trials finished by this attempt. */
  int finishedHere() {
    return finishedHere;
  }

  // ---------------------------------------------------------------- journal

  @Override
  public boolean pending() {
    return !pendingLines.isEmpty();
  }

  @Override
  public void write(long batch) {
    StringBuilder text = new StringBuilder();
    for (String l : pendingLines) {
      text.append(l).append('\n');
    }
    try {
      ChaosPoints.reach("journal-write " + batch + " of " + runId);
      store.writeJournal(runId, batch, text.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write batch " + batch + " of run " + runId, e);
    }
    pendingLines.clear();
  }

  /** Journals a live event and applies it. */
  private Row record(Event e) {
    pendingLines.add(AdaptiveJournal.line(e));
    return apply(e);
  }

  /**
   * Applies one event to the state; returns the {@code rungs} row of a decision not recorded
   * before, else null.
   */
  private Row apply(Event e) {
    if (e instanceof Logged l) {
      log.add(l.entry());
    } else if (e instanceof SegmentDone s) {
      SegmentResult r = s.result();
      Map<Integer, SegmentResult> mine =
          segments.computeIfAbsent(r.segment().trial(), k -> new HashMap<>());
      if (mine.putIfAbsent(r.segment().rung(), r) == null) {
        recorded.add(r);
        if (s.completed() != null) {
          completed.put(r.segment().trial(), s.completed());
        }
      }
    } else if (e instanceof Decided d) {
      Decision x = d.decision();
      if (rungRows.add(((long) x.trial() << 32) | x.rung())) {
        SegmentResult seg = segments.getOrDefault(x.trial(), Map.of()).get(x.rung());
        return ResultTables.rungRow(
            runId,
            trials.get(x.trial()),
            x.bracket(),
            x.rung(),
            x.epochs(),
            x.metric(),
            x.outcome().name().toLowerCase(Locale.ROOT),
            d.atMillis(),
            seg == null ? null : seg.executor());
      }
    }
    // a Finished event's row is made by the caller (finishedResult), once per trial
    return null;
  }

  /**
   * The {@code trials} result of a finished trial, the first time it finishes (null after): its
   * segments' learning curves in order, its status ({@code STOPPED} when stopped early after OK
   * segments), the accuracies its last segment measured on the restored best parameters when it
   * completed its budget.
   */
  private TrialResult finishedResult(Finished f) {
    if (!finishedTrials.add(f.trial())) {
      return null;
    }
    TrialSpec spec = trials.get(f.trial());
    List<SegmentResult> segs = new ArrayList<>(segments.getOrDefault(f.trial(), Map.of()).values());
    segs.sort((a, b) -> Integer.compare(a.segment().rung(), b.segment().rung()));
    List<EpochRecord> epochs = new ArrayList<>();
    double seconds = 0;
    for (SegmentResult s : segs) {
      epochs.addAll(s.epochs());
      seconds += s.seconds();
    }
    SegmentResult first = segs.isEmpty() ? null : segs.get(0);
    SegmentResult lastSeg = segs.isEmpty() ? null : segs.get(segs.size() - 1);
    TrialStatus status =
        f.status() != TrialStatus.OK
            ? f.status()
            : f.outcome() == Decision.Outcome.STOPPED ? TrialStatus.STOPPED : TrialStatus.OK;
    Completed c = status == TrialStatus.OK ? completed.get(f.trial()) : null;
    int divergedEpoch = 0;
    if (status == TrialStatus.DIVERGED && lastSeg != null && lastSeg.error() != null) {
      Matcher m = DIVERGED_EPOCH.matcher(lastSeg.error());
      divergedEpoch = m.find() ? Integer.parseInt(m.group(1)) : f.epochReached() + 1;
    }
    double finalTrain =
        c != null
            ? c.finalTrainAcc()
            : epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).trainAcc();
    long finishedAt = lastSeg == null ? 0 : lastSeg.finishedAtMillis();
    long startedAt =
        first == null ? 0 : first.finishedAtMillis() - Math.round(first.seconds() * 1000);
    return new TrialResult(
        spec,
        status,
        lastSeg == null || status == TrialStatus.OK || status == TrialStatus.STOPPED
            ? null
            : lastSeg.error(),
        divergedEpoch,
        f.bestValAcc(),
        c != null ? c.valAcc() : f.metric(),
        c != null ? c.testAcc() : Double.NaN,
        finalTrain,
        f.epochReached(),
        seconds,
        lastSeg == null ? null : lastSeg.executor(),
        startedAt,
        finishedAt,
        epochs,
        null);
  }
}
