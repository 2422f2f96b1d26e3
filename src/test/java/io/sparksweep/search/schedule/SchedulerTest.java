package io.sparksweep.search.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Rung tables computed by hand, and the decisions of sha, hyperband and fifo. */
class SchedulerTest {
  private static final SchedulerConfig SHA_27 = SchedulerConfig.of(SchedulerType.SHA, 1, 27);
  private static final SchedulerConfig HYPERBAND_81 =
      SchedulerConfig.of(SchedulerType.HYPERBAND, 1, 81);

  private static List<int[]> table(Bracket b) {
    List<int[]> out = new ArrayList<>();
    for (Rung r : b.rungs()) {
      out.add(new int[] {r.size(), r.epochs()});
    }
    return out;
  }

  private static String str(List<int[]> t) {
    StringBuilder sb = new StringBuilder();
    for (int[] r : t) {
      sb.append("(").append(r[0]).append(",").append(r[1]).append(")");
    }
    return sb.toString();
  }

  @Test
  void shaRungsForEta3AndR27() {
    List<Bracket> b = Brackets.of(SHA_27, 27);
    assertEquals(1, b.size());
    // n_i = 27 / 3^i trials at r_i = 27 / 3^(3 − i) epochs.
    assertEquals("(27,1)(9,3)(3,9)(1,27)", str(table(b.get(0))));
    // Promotion form: 27·1 + 9·2 + 3·6 + 1·18 = 81 epochs instead of 27·27 = 729.
    assertEquals(81, b.get(0).plannedEpochs());
  }

  @Test
  void hyperbandBracketsForR81AndEta3() {
    List<Bracket> b = Brackets.of(HYPERBAND_81, 0);
    // Li et al. (2018): n = ⌈(s_max + 1)·η^s / (s + 1)⌉, r = R·η^−s, s_max = 4.
    List<String> firstRungs = new ArrayList<>();
    for (Bracket x : b) {
      firstRungs.add("(" + x.configurations() + "," + x.rungs().get(0).epochs() + ")");
    }
    assertEquals(List.of("(81,1)", "(34,3)", "(15,9)", "(8,27)", "(5,81)"), firstRungs);
    assertEquals("(81,1)(27,3)(9,9)(3,27)(1,81)", str(table(b.get(0))));
    assertEquals("(34,3)(11,9)(3,27)(1,81)", str(table(b.get(1))));
    assertEquals("(15,9)(5,27)(1,81)", str(table(b.get(2))));
    assertEquals("(8,27)(2,81)", str(table(b.get(3))));
    assertEquals("(5,81)", str(table(b.get(4))));
    assertEquals(List.of(0, 81, 115, 130, 138), firstTrials(b));
    assertEquals(143, Brackets.configurationsNeeded(HYPERBAND_81, 1));
  }

  private static List<Integer> firstTrials(List<Bracket> b) {
    List<Integer> out = new ArrayList<>();
    for (Bracket x : b) {
      out.add(x.firstTrial());
    }
    return out;
  }

  @Test
  void shaPromotesTheBestThirdWithTiesToTheLowerTrial() {
    Scheduler s = Scheduler.create(SHA_27, 27);
    // metric = (t mod 5) / 5: five trials at 0.8 (4, 9, 14, 19, 24), five at 0.6 (3, 8, …, 23).
    new SimulatedDriver(4, 1, (t, e) -> (t % 5) / 5.0).run(s);
    assertTrue(s.finished());
    assertEquals(List.of(3, 4, 8, 9, 13, 14, 18, 19, 24), promoted(s, 0));
    assertEquals(List.of(4, 9, 14), promoted(s, 1));
    assertEquals(List.of(4), promoted(s, 2));
    assertEquals(List.of(4), outcomes(s, 3, Decision.Outcome.COMPLETED));
    assertEquals(18, outcomes(s, 0, Decision.Outcome.STOPPED).size());
    assertEquals(27 + 9 + 3 + 1, s.decisions().size());
  }

  private static List<Integer> promoted(Scheduler s, int rung) {
    return outcomes(s, rung, Decision.Outcome.PROMOTED);
  }

  private static List<Integer> outcomes(Scheduler s, int rung, Decision.Outcome o) {
    List<Integer> out = new ArrayList<>();
    for (Decision d : s.decisions()) {
      if (d.rung() == rung && d.outcome() == o) {
        out.add(d.trial());
      }
    }
    return out;
  }

  /** A noisy, crossing family of learning curves, with ties and a few NaNs. */
  static double curve(int trial, int epochs) {
    if (trial % 17 == 5) {
      return Double.NaN;
    }
    double quality = ((trial * 7919L) % 101) / 101.0;
    double speed = 1 + (trial * 31L) % 7;
    double v = quality * (1 - Math.exp(-epochs / speed));
    return Math.round(v * 200) / 200.0; // coarse: many ties
  }

  @Test
  void syncDecisionsDoNotDependOnCompletionOrderOrSlots() {
    for (SchedulerConfig c :
        List.of(
            SHA_27,
            HYPERBAND_81,
            SchedulerConfig.of(SchedulerType.FIFO, 1, 9),
            new SchedulerConfig(SchedulerType.HYPERBAND, 2, 50, 4, 2))) {
      int n = Brackets.configurationsNeeded(c, 40);
      List<Decision> reference = null;
      for (int slots : new int[] {1, 2, 7, 64, 1000}) {
        for (long seed = 1; seed <= 3; seed++) {
          Scheduler s = Scheduler.create(c, n);
          new SimulatedDriver(slots, seed, SchedulerTest::curve).run(s);
          assertTrue(s.finished(), c + " " + slots);
          if (reference == null) {
            reference = s.decisions();
          } else {
            assertEquals(reference, s.decisions(), c + " with " + slots + " slots, seed " + seed);
          }
        }
      }
      // Every configuration is decided at rung 0, and each bracket's best trains fully.
      for (Bracket b : Brackets.of(c, n)) {
        long completed =
            reference.stream()
                .filter(d -> d.bracket() == b.index() && d.outcome() == Decision.Outcome.COMPLETED)
                .count();
        assertEquals(b.top().size(), completed, c + " bracket " + b.index());
      }
    }
  }

  @Test
  void nanRanksBelowEveryNumber() {
    Scheduler s = Scheduler.create(SchedulerConfig.of(SchedulerType.SHA, 1, 3), 3);
    new SimulatedDriver(3, 1, (t, e) -> t == 0 ? Double.NaN : -1.0 * t).run(s);
    assertEquals(List.of(1), promoted(s, 0));
  }

  @Test
  void hyperbandSpendsItsPlannedEpochsAndKeepsSlotsBusyAcrossBrackets() {
    Scheduler s = Scheduler.create(HYPERBAND_81, 143);
    long epochs = 0;
    List<Segment> seen = new ArrayList<>();
    SimulatedDriver d = new SimulatedDriver(16, 3, SchedulerTest::curve);
    while (d.step(s)) {
      // collect below
    }
    for (LogEntry e : s.log()) {
      if (e instanceof LogEntry.Assigned a) {
        epochs += a.segment().epochs();
        seen.add(a.segment());
      }
    }
    long planned = 0;
    for (Bracket b : s.brackets()) {
      planned += b.plannedEpochs();
    }
    assertEquals(planned, epochs);
    Set<String> distinct = new HashSet<>();
    for (Segment g : seen) {
      assertTrue(distinct.add(g.trial() + "/" + g.rung()), "segment twice: " + g);
    }
  }

  @Test
  void hyperbandBracketsReachTheirTopRungsTogetherOnTwoSlots() {
    // The plan of conf/grids/fc-budget-hyperband.yaml: R 27, η 3, 2 brackets, 39 configurations,
    // each ending in one 18-epoch segment. Handing out the bracket with the most epochs left first
    // keeps both slots busy to the end; the first-bracket-first order idles one slot for most of a
    // top-rung segment (mean ≈ 0.87 in this simulation).
    SchedulerConfig config = new SchedulerConfig(SchedulerType.HYPERBAND, 1, 27, 3, 2);
    double sum = 0;
    int seeds = 40;
    for (int seed = 0; seed < seeds; seed++) {
      Scheduler s = Scheduler.create(config, Brackets.configurationsNeeded(config, 1));
      SimulatedDriver d = new SimulatedDriver(2, seed, SchedulerTest::curve);
      d.run(s);
      assertTrue(s.finished());
      sum += d.busyTime() / (2 * d.now());
    }
    double busy = sum / seeds;
    assertTrue(busy >= 0.92, "mean busy share of 2 slots " + busy);
  }

  @Test
  void reportsAreValidatedAndDuplicatesIgnored() {
    Scheduler s = Scheduler.create(SHA_27, 27);
    Segment a = s.next().orElseThrow();
    assertEquals(new Segment(0, 0, 0, 0, 1), a);
    assertTrue(s.report(0, 0, 0.5));
    assertFalse(s.report(0, 0, 0.5), "a retried task's second report is ignored");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> s.report(1, 0, 0.5));
    assertTrue(e.getMessage().contains("trial 1 rung 0 was not handed out"));
    assertThrows(IllegalArgumentException.class, () -> s.report(27, 0, 0.5));
  }

  @Test
  void configIsValidatedWithTheFieldName() {
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SchedulerConfig(SchedulerType.SHA, 0, 27, 3, 1))
            .getMessage()
            .contains("min_resource"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SchedulerConfig(SchedulerType.SHA, 9, 3, 3, 1))
            .getMessage()
            .contains("max_resource"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SchedulerConfig(SchedulerType.SHA, 1, 27, 1, 1))
            .getMessage()
            .contains("reduction_factor"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> new SchedulerConfig(SchedulerType.HYPERBAND, 1, 81, 3, 6))
            .getMessage()
            .contains("[1, 5]"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Scheduler.create(HYPERBAND_81, 100))
            .getMessage()
            .contains("143"));
    assertEquals(SchedulerType.ASHA, SchedulerType.parse("ASHA"));
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> SchedulerType.parse("pbt"))
            .getMessage()
            .contains("fifo, sha, hyperband, asha"));
  }
}
