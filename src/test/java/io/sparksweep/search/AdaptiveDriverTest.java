package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.search.schedule.Brackets;
import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.LogEntry;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import io.sparksweep.search.schedule.Segment;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The segment driver against a scripted executor (no training): bounded slots, no needless waiting,
 * decisions independent of slots and completion order for sha and hyperband, the log and outcomes
 * it reports, progress, failures, and resume from a recorded log.
 */
class AdaptiveDriverTest {
  private static final SchedulerConfig SHA_27 = SchedulerConfig.of(SchedulerType.SHA, 1, 27);
  private static final SchedulerConfig HYPERBAND_81 =
      SchedulerConfig.of(SchedulerType.HYPERBAND, 1, 81);
  private static final SchedulerConfig ASHA_27 = SchedulerConfig.of(SchedulerType.ASHA, 1, 27);

  static List<TrialSpec> specs(int n, int epochs) {
    List<TrialSpec> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(
          new TrialSpec(
              "k" + i,
              i,
              0,
              i,
              ModelKind.FC,
              List.of(10),
              0,
              0,
              UpdateRule.ADAM,
              1e-3,
              1e-2,
              1.0,
              Normalization.NONE,
              0,
              10,
              epochs,
              1.0,
              100));
    }
    return out;
  }

  /** Crossing curves with ties and a few NaNs (diverged trials). */
  static double curve(int trial, int epochs) {
    if (trial % 17 == 5) {
      return Double.NaN;
    }
    double quality = ((trial * 7919L) % 101) / 101.0;
    double speed = 1 + (trial * 31L) % 7;
    return Math.round(quality * (1 - Math.exp(-epochs / speed)) * 200) / 200.0;
  }

  /** Records everything the driver reports. */
  static final class Recorder implements AdaptiveListener {
    final List<LogEntry> log = new ArrayList<>();
    final List<Decision> decided = new ArrayList<>();
    final List<SegmentResult> segments = new ArrayList<>();
    final List<TrialOutcome> outcomes = new ArrayList<>();
    final List<AdaptiveProgress> progress = new ArrayList<>();
    int failAfter = -1;

    @Override
    public void logged(LogEntry entry) {
      log.add(entry);
      if (log.size() == failAfter) {
        throw new IllegalStateException("driver killed after " + failAfter + " entries");
      }
    }

    @Override
    public void decided(TrialSpec trial, Decision decision) {
      assertEquals(trial.index(), decision.trial());
      decided.add(decision);
    }

    @Override
    public void segmentFinished(SegmentTask task, SegmentResult result) {
      assertEquals(task.segment(), result.segment());
      segments.add(result);
    }

    @Override
    public void trialFinished(TrialOutcome outcome) {
      outcomes.add(outcome);
    }

    @Override
    public void progress(AdaptiveProgress p) {
      progress.add(p);
    }

    @Override
    public boolean wantsProgress() {
      return true;
    }
  }

  private static AdaptiveDriver driver(
      SchedulerConfig c, int slots, ScriptedExecutor ex, AdaptiveListener l) {
    int n = Brackets.configurationsNeeded(c, 40);
    return new AdaptiveDriver(c, specs(n, c.maxResource()), ex, slots, l);
  }

  @Test
  void shaPromotesTheBestThirdAsHandComputed() throws InterruptedException {
    Recorder r = new Recorder();
    AdaptiveDriver d =
        new AdaptiveDriver(
            SHA_27, specs(27, 27), new ScriptedExecutor((t, e) -> (t % 5) / 5.0, 0), 4, r);
    AdaptiveProgress end = d.run();
    // metric (t mod 5)/5: 0.8 for 4, 9, 14, 19, 24, then 0.6 for 3, 8, …; ties to the lower trial.
    assertEquals(List.of(3, 4, 8, 9, 13, 14, 18, 19, 24), promoted(d.decisions(), 0));
    assertEquals(List.of(4, 9, 14), promoted(d.decisions(), 1));
    assertEquals(List.of(4), promoted(d.decisions(), 2));
    assertEquals("rung 0 27/27 · rung 1 9/9 · rung 2 3/3 · rung 3 1/1", end.occupancy());
    // 27·1 + 9·2 + 3·6 + 1·18 = 81 epochs of 27·27 = 729.
    assertEquals(81, end.epochsSpent());
    assertEquals(729, end.fullBudgetEpochs());
    assertEquals(26, end.trialsStopped());
    assertEquals(1, end.trialsCompleted());
    assertEquals(0.8, end.bestValAcc());
    assertEquals(4, end.bestTrial());
    assertTrue(end.finished());
    assertEquals(0, end.busySlots());
    assertTrue(
        end.toString().endsWith("epochs 81 of 729 at full budget (11.1%), finished"),
        end.toString());
  }

  private static List<Integer> promoted(List<Decision> ds, int rung) {
    List<Integer> out = new ArrayList<>();
    for (Decision d : ds) {
      if (d.rung() == rung && d.outcome() == Decision.Outcome.PROMOTED) {
        out.add(d.trial());
      }
    }
    return out;
  }

  @Test
  void syncDecisionsDoNotDependOnSlotsOrCompletionOrder() throws InterruptedException {
    for (SchedulerConfig c : List.of(SHA_27, HYPERBAND_81)) {
      List<Decision> reference = null;
      for (int slots : new int[] {1, 2, 7, 64}) {
        for (long order = 0; order <= 3; order++) {
          Recorder r = new Recorder();
          AdaptiveDriver d =
              driver(c, slots, new ScriptedExecutor(AdaptiveDriverTest::curve, order), r);
          d.run();
          if (reference == null) {
            reference = d.decisions();
          }
          assertEquals(reference, d.decisions(), c + ", " + slots + " slots, order " + order);
          assertEquals(reference.size(), r.decided.size(), "every decision reported once");
        }
      }
    }
  }

  @Test
  void slotsAreBoundedAndAshaNeverLeavesOneIdleWhileConfigurationsRemain()
      throws InterruptedException {
    ScriptedExecutor ex = new ScriptedExecutor(AdaptiveDriverTest::curve, 9);
    AdaptiveDriver d = new AdaptiveDriver(ASHA_27, specs(60, 27), ex, 5, new Recorder());
    d.run();
    assertEquals(5, ex.maxInFlight);
    // Rung-0 segments start the 60 configurations: until the 60th is submitted every flush (the
    // driver waiting) sees all 5 slots busy.
    int startedAll = -1;
    int zeros = 0;
    for (int i = 0; i < ex.submitted.size(); i++) {
      if (ex.submitted.get(i).segment().rung() == 0 && ++zeros == 60) {
        startedAll = i;
      }
    }
    assertTrue(startedAll > 0);
    // One flush per completion, and one submission after each: flush i follows submission 4 + i.
    for (int i = 0; i <= startedAll - 4; i++) {
      assertEquals(5, ex.pendingAtFlush.get(i), "flush " + i + " had an idle slot");
    }
  }

  @Test
  void everyTrialEndsOnceAndAStoppedTrialRecordsTheEpochItReached() throws InterruptedException {
    Recorder r = new Recorder();
    AdaptiveDriver d =
        driver(HYPERBAND_81, 8, new ScriptedExecutor(AdaptiveDriverTest::curve, 4), r);
    AdaptiveProgress end = d.run();
    assertEquals(143, r.outcomes.size());
    Set<Integer> seen = new HashSet<>();
    for (TrialOutcome o : r.outcomes) {
      assertTrue(seen.add(o.trial().index()), "twice: " + o);
      if (o.status() == TrialStatus.OK) {
        // It reached the epochs of the rung where it was decided.
        int expected =
            d.decisions().stream()
                .filter(x -> x.trial() == o.trial().index() && x.outcome() == o.decision())
                .findFirst()
                .orElseThrow()
                .epochs();
        assertEquals(expected, o.epochReached(), o.toString());
        assertEquals(o.metric(), o.bestValAcc(), 0.0, "this curve only rises");
      } else {
        assertEquals(TrialStatus.DIVERGED, o.status());
        assertTrue(Double.isNaN(o.metric()));
      }
    }
    assertEquals(end.trialsStopped() + end.trialsCompleted(), 143);
    // Each bracket's top rung: 1 + 1 + 1 + 2 + 5 completed.
    assertEquals(10, end.trialsCompleted());
    assertTrue(
        end.occupancy().startsWith("bracket 0: rung 0 81/81 · rung 1 27/27"), end.occupancy());
    assertTrue(end.occupancy().endsWith("| bracket 4: rung 0 5/5"), end.occupancy());
    long planned = 0;
    for (var b : Brackets.of(HYPERBAND_81, 143)) {
      planned += b.plannedEpochs();
    }
    // Diverged trials train nothing in this script, so fewer epochs than planned.
    long divergedEpochs = 0;
    for (SegmentResult s : r.segments) {
      if (s.status() == TrialStatus.DIVERGED) {
        divergedEpochs += s.segment().epochs();
      }
    }
    assertEquals(planned - divergedEpochs, end.epochsSpent());
  }

  @Test
  void progressShowsRungOccupancyAndBusySlots() throws InterruptedException {
    Recorder r = new Recorder();
    new AdaptiveDriver(
            SHA_27, specs(27, 27), new ScriptedExecutor(AdaptiveDriverTest::curve, 0), 1, r)
        .run();
    // One slot, oldest first: after 27 + 3 results, rung 1 has 3 of 9 and one segment runs.
    AdaptiveProgress p = r.progress.get(29);
    assertEquals("rung 0 27/27 · rung 1 3/9 · rung 2 0/3 · rung 3 0/1", p.occupancy());
    assertEquals(1, p.busySlots());
    // Trials 5 and 22 diverge (NaN) and train nothing in this script: 25·1 + 3·2 epochs.
    assertEquals(25 + 3 * 2, p.epochsSpent());
    assertEquals(2, p.epochsInFlight());
    for (AdaptiveProgress q : r.progress) {
      assertTrue(q.busySlots() <= 1 && q.budgetFraction() >= 0 && q.budgetFraction() <= 1);
    }
  }

  @Test
  void aFailedSegmentIsRecordedAsFailedAndTheSearchGoesOn() throws InterruptedException {
    Recorder r = new Recorder();
    ScriptedExecutor ex =
        new ScriptedExecutor(AdaptiveDriverTest::curve, 2).failing(t -> t.trial().index() == 3);
    AdaptiveDriver d = driver(SHA_27, 3, ex, r);
    assertTrue(d.run().finished());
    TrialOutcome three =
        r.outcomes.stream().filter(o -> o.trial().index() == 3).findFirst().orElseThrow();
    assertEquals(TrialStatus.FAILED, three.status());
    assertEquals(Decision.Outcome.STOPPED, three.decision());
    assertEquals(0, three.epochReached());
    assertTrue(r.log.contains(new LogEntry.Reported(3, 0, Double.NaN)), "NaN reported");
    SegmentResult failed =
        r.segments.stream().filter(s -> s.segment().trial() == 3).findFirst().orElseThrow();
    assertTrue(failed.error().contains("executor lost"), failed.error());
  }

  @Test
  void theListenerSeesTheWholeLogInOrder() throws InterruptedException {
    Recorder r = new Recorder();
    AdaptiveDriver d = driver(ASHA_27, 4, new ScriptedExecutor(AdaptiveDriverTest::curve, 5), r);
    d.run();
    assertEquals(d.log(), r.log);
    // Each assignment is logged before the segment is submitted: the k-th Assigned entry is the
    // k-th submission.
    List<Segment> assigned = new ArrayList<>();
    for (LogEntry e : r.log) {
      if (e instanceof LogEntry.Assigned a) {
        assigned.add(a.segment());
      }
    }
    assertEquals(assigned.size(), r.segments.size());
    assertThrows(IllegalStateException.class, d::run, "a driver runs once");
  }

  @Test
  void configurationsMustFitTheScheduler() {
    ScriptedExecutor ex = new ScriptedExecutor(AdaptiveDriverTest::curve, 0);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new AdaptiveDriver(SHA_27, specs(5, 9), ex, 2, AdaptiveListener.silent()));
    assertTrue(e.getMessage().contains("max_resource is 27"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new AdaptiveDriver(HYPERBAND_81, specs(100, 81), ex, 2, AdaptiveListener.silent()));
    assertThrows(
        IllegalArgumentException.class,
        () -> new AdaptiveDriver(SHA_27, specs(5, 27), ex, 0, AdaptiveListener.silent()));
  }

  /** Reported (trial, rung) pairs of a log, and the segments assigned but not reported. */
  private static Set<String> reported(List<LogEntry> log) {
    Set<String> out = new HashSet<>();
    for (LogEntry e : log) {
      if (e instanceof LogEntry.Reported r) {
        out.add(r.trial() + "/" + r.rung());
      }
    }
    return out;
  }

  private static List<Segment> inFlight(List<LogEntry> log) {
    Map<Integer, Segment> open = new LinkedHashMap<>();
    for (LogEntry e : log) {
      if (e instanceof LogEntry.Assigned a) {
        open.put(a.segment().trial(), a.segment());
      } else if (e instanceof LogEntry.Reported r) {
        open.remove(r.trial());
      }
    }
    return new ArrayList<>(open.values());
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 30, 31, 100, 180, 260})
  void resumeRunsNoRecordedSegmentAgainAndRedoesThoseInFlight(int killedAfter)
      throws InterruptedException {
    for (SchedulerConfig c : List.of(SHA_27, HYPERBAND_81, ASHA_27)) {
      int n = Brackets.configurationsNeeded(c, 40);
      Recorder whole = new Recorder();
      AdaptiveDriver reference =
          new AdaptiveDriver(
              c,
              specs(n, c.maxResource()),
              new ScriptedExecutor(AdaptiveDriverTest::curve, 0),
              4,
              whole);
      reference.run();
      if (killedAfter >= whole.log.size()) {
        continue;
      }
      Recorder first = new Recorder();
      first.failAfter = killedAfter;
      AdaptiveDriver dying =
          new AdaptiveDriver(
              c,
              specs(n, c.maxResource()),
              new ScriptedExecutor(AdaptiveDriverTest::curve, 0),
              4,
              first);
      assertThrows(IllegalStateException.class, dying::run);
      List<LogEntry> recorded = List.copyOf(first.log);
      ScriptedExecutor again = new ScriptedExecutor(AdaptiveDriverTest::curve, 0);
      Recorder second = new Recorder();
      AdaptiveDriver resumed =
          AdaptiveDriver.resume(
              c, specs(n, c.maxResource()), recorded, first.segments, again, 4, second);
      AdaptiveProgress end = resumed.run();
      String what = c.type().id() + " killed after " + killedAfter + " entries";
      Set<String> done = reported(recorded);
      for (SegmentTask t : again.submitted) {
        assertFalse(
            done.contains(t.segment().trial() + "/" + t.segment().rung()),
            what + ": ran a recorded segment again: " + t.segment());
      }
      List<Segment> open = inFlight(recorded);
      List<Segment> firstSubmitted = new ArrayList<>();
      for (int i = 0; i < Math.min(open.size(), again.submitted.size()); i++) {
        firstSubmitted.add(again.submitted.get(i).segment());
      }
      assertEquals(open, firstSubmitted, what + ": the segments in flight are redone first");
      // The recorded log and what the resumed driver adds make one log: the resumed driver's own.
      List<LogEntry> joined = new ArrayList<>(recorded);
      joined.addAll(second.log);
      assertEquals(resumed.log().size(), joined.size(), what);
      assertEquals(resumed.log(), joined, what);
      assertTrue(end.finished(), what);
      // Every trial reaches one final outcome over the two drivers.
      Set<Integer> ended = new HashSet<>();
      for (TrialOutcome o : first.outcomes) {
        ended.add(o.trial().index());
      }
      for (TrialOutcome o : second.outcomes) {
        assertTrue(ended.add(o.trial().index()), what + ": ended twice: " + o);
      }
      assertEquals(n, ended.size(), what);
      if (c.type() != SchedulerType.ASHA) {
        assertEquals(reference.decisions(), resumed.decisions(), what);
        assertEquals(
            reference.progress().epochsSpent(), end.epochsSpent(), what + ": epochs spent");
      }
    }
  }

  @Test
  void resumeFromTheLogAloneCountsWhatWasReported() throws InterruptedException {
    Recorder first = new Recorder();
    first.failAfter = 70;
    List<TrialSpec> specs = specs(27, 27);
    AdaptiveDriver dying =
        new AdaptiveDriver(SHA_27, specs, new ScriptedExecutor((t, e) -> t / 100.0, 0), 2, first);
    assertThrows(IllegalStateException.class, dying::run);
    AdaptiveDriver resumed =
        AdaptiveDriver.resume(
            SHA_27,
            specs,
            first.log,
            List.of(),
            new ScriptedExecutor((t, e) -> t / 100.0, 0),
            2,
            AdaptiveListener.silent());
    AdaptiveProgress before = resumed.progress();
    int reports = reported(first.log).size();
    assertEquals(reports, before.segmentsFinished());
    assertEquals(0, before.busySlots());
    assertEquals(0.26, before.bestValAcc(), "trial 26 ranks first");
    AdaptiveProgress end = resumed.run();
    assertEquals(81, end.epochsSpent());
    assertEquals(List.of(26), promoted(resumed.decisions(), 2));
  }
}
