package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.LogEntry;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.Segment;
import io.sparksweep.train.SolverListener;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adaptive search end to end without Spark: a sampled search file with {@code scheduler: sha},
 * real trainings on synthetic CIFAR-shaped data through {@link LocalSegmentExecutor}, checkpoints
 * in a local folder. Segments continued from checkpoints give the histories of straight-through
 * trainings; stopped trials record the epoch they reached; decisions do not depend on the slots; a
 * killed and resumed search ends as an uninterrupted one.
 */
class AdaptiveSearchTest {
  private static final String FILE =
      """
      seed: 5
      sampler: random
      num_samples: 9
      hidden_dims: 20
      num_train: 200
      batch_size: 50
      learning_rate: {loguniform: [1e-4, 1e-2]}
      weight_scale: {loguniform: [1e-3, 1e-1]}
      normalization: [none, batchnorm]
      dropout_keep_ratio: {uniform: [0.6, 1]}
      scheduler: {type: sha, max_resource: 3}
      """;

  private static Cifar10Data data;
  private static GridSpec grid;
  private static List<TrialSpec> trials;

  @BeforeAll
  static void setUp() {
    data = SyntheticCifar.generate(600, 100, 7);
    grid = GridSpec.parse(FILE, "adaptive.yaml");
    trials = grid.expand(false);
  }

  /** Every result, outcome and log entry of a search. */
  private static final class Recorder implements AdaptiveListener {
    final List<LogEntry> log = new ArrayList<>();
    final Map<Integer, List<EpochRecord>> curves = new HashMap<>();
    final List<SegmentResult> segments = new ArrayList<>();
    final Map<Integer, TrialOutcome> outcomes = new HashMap<>();
    int failAfter = -1;

    @Override
    public void logged(LogEntry entry) {
      log.add(entry);
      if (log.size() == failAfter) {
        throw new IllegalStateException("killed");
      }
    }

    @Override
    public void segmentFinished(SegmentTask task, SegmentResult result) {
      assertEquals(TrialStatus.OK, result.status(), result.error());
      segments.add(result);
      curves.computeIfAbsent(task.trial().index(), k -> new ArrayList<>()).addAll(result.epochs());
    }

    @Override
    public void trialFinished(TrialOutcome outcome) {
      assertTrue(outcomes.put(outcome.trial().index(), outcome) == null, "ended twice");
    }
  }

  private static Recorder search(Path dir, int slots) throws InterruptedException {
    SchedulerConfig c = grid.scheduler().orElseThrow();
    Recorder r = new Recorder();
    try (LocalSegmentExecutor ex =
        new LocalSegmentExecutor(data, new LocalCheckpointStore(dir), slots)) {
      new AdaptiveDriver(c, trials, ex, slots, r).run();
    }
    return r;
  }

  private static List<Decision> decisions(Recorder r) {
    List<Decision> out = new ArrayList<>();
    for (LogEntry e : r.log) {
      if (e instanceof LogEntry.Decided d) {
        out.add(d.decision());
      }
    }
    out.sort(java.util.Comparator.comparingInt(Decision::rung).thenComparingInt(Decision::trial));
    return out;
  }

  @Test
  void anAdaptiveSearchRunsEndToEndWithoutSpark(@TempDir Path tmp)
      throws InterruptedException, IOException {
    // 9 configurations, η = 3, R = 3: rung 0 trains 9 for 1 epoch, rung 1 the best 3 to 3.
    Recorder one = search(tmp.resolve("one"), 1);
    Recorder two = search(tmp.resolve("two"), 2);
    assertEquals(decisions(one), decisions(two), "1 slot and 2 slots decide alike");
    assertEquals(9 + 3, one.segments.size());
    assertEquals(9, one.outcomes.size());
    int completed = 0;
    LocalCheckpointStore store = new LocalCheckpointStore(tmp.resolve("one"));
    for (TrialSpec t : trials) {
      TrialOutcome o = one.outcomes.get(t.index());
      assertTrue(Files.exists(store.path(t, 1)), "rung 0 checkpoint of " + t.index());
      if (o.decision() == Decision.Outcome.STOPPED) {
        assertEquals(1, o.epochReached(), "stopped after rung 0: epoch 1");
        assertEquals(1, one.curves.get(t.index()).size());
        assertFalse(Files.exists(store.path(t, 3)));
        continue;
      }
      completed++;
      assertEquals(Decision.Outcome.COMPLETED, o.decision());
      assertEquals(3, o.epochReached());
      assertTrue(Files.exists(store.path(t, 3)));
      // Continued from its epoch-1 checkpoint in another Solver, the trial's learning curve is
      // the straight-through one, bit for bit (EpochRecord compares doubles exactly).
      TrialResult straight = TrialRunner.run(t, data, "straight", SolverListener.silent());
      assertEquals(TrialStatus.OK, straight.status());
      assertEquals(straight.epochs(), one.curves.get(t.index()), "trial " + t.index());
      assertEquals(straight.epochs(), two.curves.get(t.index()), "trial " + t.index());
      assertEquals(straight.bestValAcc(), o.bestValAcc(), 0.0);
    }
    assertEquals(3, completed);
  }

  @Test
  void aKilledSearchResumesWithoutRedoingRecordedSegments(@TempDir Path tmp)
      throws InterruptedException {
    Recorder whole = search(tmp.resolve("whole"), 2);
    SchedulerConfig c = grid.scheduler().orElseThrow();
    Path dir = tmp.resolve("killed");
    Recorder first = new Recorder();
    first.failAfter = 25; // after the rung-0 reports, before every rung-1 segment is in
    try (LocalSegmentExecutor ex =
        new LocalSegmentExecutor(data, new LocalCheckpointStore(dir), 2)) {
      AdaptiveDriver d = new AdaptiveDriver(c, trials, ex, 2, first);
      assertThrows(IllegalStateException.class, d::run);
    }
    Recorder second = new Recorder();
    try (LocalSegmentExecutor ex =
        new LocalSegmentExecutor(data, new LocalCheckpointStore(dir), 2)) {
      AdaptiveDriver.resume(c, trials, first.log, first.segments, ex, 2, second).run();
    }
    for (SegmentResult s : second.segments) {
      Segment g = s.segment();
      assertFalse(
          first.log.contains(new LogEntry.Reported(g.trial(), g.rung(), s.metric())),
          "ran again: " + g);
    }
    List<LogEntry> joined = new ArrayList<>(first.log);
    joined.addAll(second.log);
    Recorder both = new Recorder();
    both.log.addAll(joined);
    assertEquals(decisions(whole), decisions(both));
    // The completed trials' curves, across the two drivers, are the uninterrupted ones.
    for (Map.Entry<Integer, List<EpochRecord>> e : whole.curves.entrySet()) {
      List<EpochRecord> curve = new ArrayList<>(first.curves.getOrDefault(e.getKey(), List.of()));
      curve.addAll(second.curves.getOrDefault(e.getKey(), List.of()));
      curve.sort(java.util.Comparator.comparingInt(EpochRecord::epoch));
      assertEquals(e.getValue(), curve, "trial " + e.getKey());
    }
  }
}
