package io.sparksweep.search.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** ASHA against a brute-force reference, and resume by replaying the decision log. */
class AsynchronousHalvingTest {
  private static final SchedulerConfig ASHA_27 = SchedulerConfig.of(SchedulerType.ASHA, 1, 27);

  /**
   * Algorithm 2 of Li et al. (2020) written out naively: rank by sorting the whole rung on every
   * call. Only the next segment is computed; the bookkeeping lives in the caller.
   */
  private static final class Reference {
    final int eta;
    final int[] epochs;
    final int n;
    final List<List<double[]>> rungs = new ArrayList<>(); // {metric, trial}
    final List<Set<Integer>> promoted = new ArrayList<>();
    int nextTrial;
    int running;
    int completed;

    Reference(int eta, int[] epochs, int n) {
      this.eta = eta;
      this.epochs = epochs;
      this.n = n;
      for (int k = 0; k < epochs.length; k++) {
        rungs.add(new ArrayList<>());
        promoted.add(new HashSet<>());
      }
    }

    Optional<Segment> next() {
      int top = epochs.length - 1;
      for (int k = top - 1; k >= 0; k--) {
        List<double[]> sorted = new ArrayList<>(rungs.get(k));
        sorted.sort((a, b) -> BaseScheduler.compare(a[0], (int) a[1], b[0], (int) b[1]));
        int limit = sorted.size() / eta;
        for (int i = 0; i < limit; i++) {
          int t = (int) sorted.get(i)[1];
          if (promoted.get(k).add(t)) {
            running++;
            return Optional.of(new Segment(t, 0, k + 1, epochs[k], epochs[k + 1]));
          }
        }
      }
      if (nextTrial < n) {
        running++;
        return Optional.of(new Segment(nextTrial++, 0, 0, 0, epochs[0]));
      }
      if (running == 0 && completed == 0) {
        for (int k = top - 1; k >= 0; k--) {
          List<double[]> sorted = new ArrayList<>(rungs.get(k));
          sorted.sort((a, b) -> BaseScheduler.compare(a[0], (int) a[1], b[0], (int) b[1]));
          for (double[] e : sorted) {
            if (promoted.get(k).add((int) e[1])) {
              running++;
              return Optional.of(new Segment((int) e[1], 0, k + 1, epochs[k], epochs[k + 1]));
            }
          }
        }
      }
      return Optional.empty();
    }

    void report(Segment s, double metric) {
      running--;
      if (s.rung() == epochs.length - 1) {
        completed++;
      } else {
        rungs.get(s.rung()).add(new double[] {metric, s.trial()});
      }
    }
  }

  @Test
  void assignmentsEqualTheNaiveAlgorithmUnderRandomCompletionOrders() {
    int[] epochs = {1, 3, 9, 27};
    for (long seed = 1; seed <= 20; seed++) {
      SplittableRandom rng = new SplittableRandom(seed);
      int n = 10 + rng.nextInt(120);
      int slots = 1 + rng.nextInt(16);
      Scheduler s = Scheduler.create(ASHA_27, n);
      Reference ref = new Reference(3, epochs, n);
      List<Segment> running = new ArrayList<>();
      while (true) {
        while (running.size() < slots) {
          Optional<Segment> got = s.next();
          assertEquals(ref.next(), got, "seed " + seed);
          if (got.isEmpty()) {
            break;
          }
          running.add(got.get());
        }
        if (running.isEmpty()) {
          break;
        }
        Segment done = running.remove(rng.nextInt(running.size()));
        double m = SchedulerTest.curve(done.trial(), done.toEpoch());
        s.report(done.trial(), done.rung(), m);
        ref.report(done, m);
      }
      assertTrue(s.finished());
      assertTrue(
          s.decisions().stream().anyMatch(d -> d.outcome() == Decision.Outcome.COMPLETED),
          "someone trains the full budget");
      // Every trial ends with exactly one final decision (completed or stopped).
      Set<Integer> ended = new HashSet<>();
      for (Decision d : s.decisions()) {
        if (d.outcome() != Decision.Outcome.PROMOTED) {
          assertTrue(ended.add(d.trial()), "two final decisions for trial " + d.trial());
        }
      }
      assertEquals(n, ended.size());
    }
  }

  @Test
  void noBarriersASlotNeverWaitsWhileConfigurationsRemain() {
    Scheduler s = Scheduler.create(ASHA_27, 500);
    SimulatedDriver d = new SimulatedDriver(32, 9, SchedulerTest::curve);
    while (s.log().stream().filter(e -> e instanceof LogEntry.Assigned).count() < 480) {
      d.step(s);
      // The step filled all 32 slots, then one segment finished: 31 still run.
      assertEquals(31, s.inFlight().size(), "all slots were busy");
    }
  }

  @Test
  void resumeByReplayingTheLogEqualsAnUninterruptedRun() {
    for (int slots : new int[] {1, 5, 40}) {
      Scheduler straight = Scheduler.create(ASHA_27, 200);
      new SimulatedDriver(slots, 77, SchedulerTest::curve).run(straight);
      for (int cut : new int[] {0, 1, 37, 150, 260}) {
        Scheduler first = Scheduler.create(ASHA_27, 200);
        SimulatedDriver d = new SimulatedDriver(slots, 77, SchedulerTest::curve);
        while (d.reports() < cut && d.step(first)) {
          // run until the driver "dies"
        }
        List<LogEntry> persisted = List.copyOf(first.log());
        Scheduler resumed = Scheduler.replay(ASHA_27, 200, persisted);
        assertEquals(persisted, resumed.log());
        // The segments in flight when the driver died are exactly those to redo.
        assertEquals(d.running(), new HashSet<>(resumed.inFlight()), "cut " + cut);
        d.run(resumed);
        assertEquals(straight.log(), resumed.log(), slots + " slots, cut at " + cut);
        assertEquals(straight.decisions(), resumed.decisions());
      }
    }
  }

  @Test
  void replayToleratesADecisionLoggedBeforeItsAssignmentAndRefusesAnotherConfig() {
    Scheduler first = Scheduler.create(ASHA_27, 30);
    SimulatedDriver d = new SimulatedDriver(3, 5, SchedulerTest::curve);
    for (int i = 0; i < 20; i++) {
      d.step(first);
    }
    List<LogEntry> log = new ArrayList<>(first.log());
    int lastAssigned = -1;
    for (int i = 0; i < log.size(); i++) {
      if (log.get(i) instanceof LogEntry.Assigned a
          && a.segment().rung() > 0
          && log.get(i - 1) instanceof LogEntry.Decided) {
        lastAssigned = i;
      }
    }
    assertTrue(lastAssigned > 0, "some promotion happened");
    List<LogEntry> cut = log.subList(0, lastAssigned); // ends with the PROMOTED decision
    Scheduler resumed = Scheduler.replay(ASHA_27, 30, cut);
    assertEquals(((LogEntry.Assigned) log.get(lastAssigned)).segment(), resumed.next().get());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Scheduler.replay(SchedulerConfig.of(SchedulerType.ASHA, 1, 27, 2), 30, log));
    assertTrue(e.getMessage().contains("log entry"));
  }

  @Test
  void syncSchedulersReplayToo() {
    SchedulerConfig hb = SchedulerConfig.of(SchedulerType.HYPERBAND, 1, 27);
    int n = Brackets.configurationsNeeded(hb, 0);
    Scheduler straight = Scheduler.create(hb, n);
    new SimulatedDriver(6, 2, SchedulerTest::curve).run(straight);
    Scheduler first = Scheduler.create(hb, n);
    SimulatedDriver d = new SimulatedDriver(6, 2, SchedulerTest::curve);
    for (int i = 0; i < 30; i++) {
      d.step(first);
    }
    Scheduler resumed = Scheduler.replay(hb, n, first.log());
    d.run(resumed);
    assertEquals(straight.log(), resumed.log());
  }
}
