package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.search.AdaptiveProgress;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.Bracket;
import io.sparksweep.search.schedule.Brackets;
import io.sparksweep.search.schedule.Rung;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.train.SolverListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * An adaptive search ({@code scheduler: sha}) through {@link SearchJob} in local mode, with real
 * training on synthetic data: the rungs table holds a decision per rung a trial finished,
 * consistent with the recorded accuracies; the trials stopped early are STOPPED at the epoch they
 * reached; the completed trial's learning curve, accuracies and model equal a straight-through
 * training's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaptiveSearchJobTest {
  private static final String GRID =
      String.join(
          "\n",
          "name: adaptive-job",
          "seed: 17",
          "hidden_dims: [16]",
          "num_train: 100",
          "batch_size: 25",
          "learning_rate: [3e-4, 1e-3, 3e-3]",
          "weight_scale: [1e-3, 1e-2, 5e-2]",
          "scheduler: {type: sha, min_resource: 1, max_resource: 9, reduction_factor: 3}",
          "");

  private SparkSession spark;
  private Path runs;
  private String warehouse;
  private Cifar10Data data;
  private List<TrialSpec> trials;
  private SchedulerConfig config;
  private SearchOutcome outcome;
  private final List<SegmentTask> segments = new ArrayList<>();
  private AdaptiveProgress lastProgress;

  @BeforeAll
  void search(@TempDir Path tmp) throws Exception {
    warehouse = tmp.resolve("warehouse").toUri().toString();
    runs = tmp.resolve("runs");
    spark = LocalSpark.session(tmp.resolve("warehouse").toString());
    data = SyntheticCifar.generate(200, 50, 3);
    GridSpec grid = GridSpec.parse(Files.writeString(tmp.resolve("grid.yaml"), GRID));
    trials = grid.expand(false);
    config = grid.scheduler().orElseThrow();
    SearchListener listener =
        new SearchListener() {
          @Override
          public void onSegmentFinished(
              SegmentTask task, SegmentResult result, AdaptiveProgress progress) {
            segments.add(task);
            lastProgress = progress;
          }
        };
    SearchOptions options =
        SearchOptions.defaults()
            .withWarehouse(warehouse)
            .withRunsDir(runs)
            .withRunId("sha")
            .withTopK(1)
            .withHeartbeat(Duration.ofSeconds(30))
            .withListener(listener);
    outcome =
        new SearchJob(spark, (spec, d) -> null, SegmentFunction.TRAIN, options)
            .run(trials, data, Map.of("grid", "grid.yaml"), config);
  }

  private List<Row> rows(String table, String order) {
    return LocalSpark.table(spark, warehouse, table)
        .where("run_id = 'sha'")
        .orderBy(
            java.util.Arrays.stream(order.split(","))
                .map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList();
  }

  @Test
  void everyRungATrialFinishedHasOneDecisionConsistentWithTheAccuracies() {
    List<Bracket> plan = Brackets.of(config, trials.size());
    assertEquals(1, plan.size());
    List<Rung> rungs = plan.get(0).rungs();
    List<Row> rows = rows("rungs", "rung,trial_key");
    int planned = rungs.stream().mapToInt(Rung::size).sum();
    assertEquals(planned, rows.size(), "a row per trial and rung");
    assertEquals(planned, segments.size(), "a segment per row");
    for (int k = 0; k < rungs.size(); k++) {
      int rung = k;
      List<Row> here = rows.stream().filter(r -> r.<Integer>getAs("rung") == rung).toList();
      assertEquals(rungs.get(k).size(), here.size(), "trials at rung " + k);
      double worstPromoted = Double.POSITIVE_INFINITY;
      double bestStopped = Double.NEGATIVE_INFINITY;
      for (Row r : here) {
        assertEquals(rungs.get(k).epochs(), r.<Integer>getAs("epochs"));
        double acc = r.<Double>getAs("val_acc");
        String decision = r.getAs("decision");
        if (k == rungs.size() - 1) {
          assertEquals("completed", decision);
        } else if (decision.equals("promoted")) {
          worstPromoted = Math.min(worstPromoted, acc);
        } else {
          assertEquals("stopped", decision);
          bestStopped = Math.max(bestStopped, acc);
        }
        assertNotNull(r.getAs("decided_at"));
        assertTrue(r.<String>getAs("executor").startsWith("driver@"), r.toString());
      }
      if (k < rungs.size() - 1) {
        assertEquals(
            rungs.get(k + 1).size(),
            here.stream().filter(r -> r.getAs("decision").equals("promoted")).count());
        assertTrue(worstPromoted >= bestStopped, "rung " + k + ": promoted the best");
      }
    }
    assertTrue(lastProgress.finished(), lastProgress.toString());
    assertTrue(
        lastProgress.occupancy().startsWith("rung 0 " + trials.size() + "/" + trials.size()),
        lastProgress.occupancy());
    assertEquals(plan.get(0).plannedEpochs(), lastProgress.epochsSpent());
  }

  @Test
  void trialsStoppedEarlyAreStoppedAtTheEpochTheyReached() {
    Map<String, Integer> reached = new HashMap<>();
    for (Row r : rows("rungs", "rung")) {
      reached.merge(r.getAs("trial_key"), r.<Integer>getAs("epochs"), Math::max);
    }
    List<Row> rows = rows("trials", "trial_index");
    assertEquals(trials.size(), rows.size());
    int stopped = 0;
    for (Row r : rows) {
      String key = r.getAs("trial_key");
      assertEquals(reached.get(key), r.<Integer>getAs("epochs_run"), key);
      String status = r.getAs("status");
      if (status.equals("STOPPED")) {
        stopped++;
        assertTrue(r.<Integer>getAs("epochs_run") < config.maxResource());
        assertNull(r.getAs("error"));
      } else {
        assertEquals("OK", status, r.toString());
        assertEquals(config.maxResource(), r.<Integer>getAs("epochs_run"));
      }
    }
    assertEquals(trials.size() - 1, stopped);
    assertEquals(trials.size() - 1, outcome.count(TrialStatus.STOPPED));
    assertTrue(outcome.complete());
    long epochsRun = rows.stream().mapToLong(r -> r.<Integer>getAs("epochs_run")).sum();
    List<Row> epochs = rows("epochs", "trial_key,epoch");
    assertEquals(epochsRun, epochs.size(), "each trial's epochs once");
  }

  @Test
  void theCompletedTrialEqualsAStraightThroughTrainingBitForBit() throws Exception {
    TrialResult best = outcome.ranking().get(0);
    TrialResult straight = TrialRunner.run(best.spec(), data, "straight", SolverListener.silent());
    assertEquals(TrialStatus.OK, straight.status());
    List<Row> curve =
        LocalSpark.table(spark, warehouse, "epochs")
            .where("run_id = 'sha' AND trial_key = '" + best.spec().key() + "'")
            .orderBy("epoch")
            .collectAsList();
    assertEquals(straight.epochs().size(), curve.size());
    for (int i = 0; i < curve.size(); i++) {
      EpochRecord e = straight.epochs().get(i);
      Row r = curve.get(i);
      assertEquals(e.epoch(), r.<Integer>getAs("epoch"));
      assertEquals(e.loss(), r.<Double>getAs("loss"), 0.0, "loss of epoch " + e.epoch());
      assertEquals(e.trainAcc(), r.<Double>getAs("train_acc"), 0.0);
      assertEquals(e.valAcc(), r.<Double>getAs("val_acc"), 0.0);
    }
    Row row =
        rows("trials", "trial_index").stream()
            .filter(r -> r.getAs("trial_key").equals(best.spec().key()))
            .findFirst()
            .orElseThrow();
    assertEquals(straight.bestValAcc(), row.<Double>getAs("best_val_acc"), 0.0);
    assertEquals(straight.valAcc(), row.<Double>getAs("val_acc"), 0.0);
    assertEquals(straight.testAcc(), row.<Double>getAs("test_acc"), 0.0);
    String model = row.getAs(TrialRows.MODEL_PATH);
    assertNotNull(model, "the completed trial's model was saved");
    assertTrue(
        java.util.Arrays.equals(straight.modelNpz(), RunStore.readUri(model)),
        "its model file holds the straight-through model");
  }

  /** A search job on this test's warehouse and runs folder (run id {@code runId} if not null). */
  private SearchJob job(String runId) {
    SearchOptions options = SearchOptions.defaults().withWarehouse(warehouse).withRunsDir(runs);
    return new SearchJob(
        spark,
        (spec, d) -> null,
        SegmentFunction.TRAIN,
        runId == null ? options : options.withRunId(runId));
  }

  @Test
  void aBadSlotSettingIsRefusedBeforeTheRunExists() {
    spark.conf().set(AdaptiveRun.SLOTS_CONF, "two");
    try {
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class,
              () -> job("bad-slots").run(trials, data, Map.of(), config));
      assertTrue(e.getMessage().startsWith("spark.sparksweep.slots is 'two'"), e.getMessage());
      assertTrue(!Files.exists(runs.resolve("bad-slots")), "no run folder, manifest or lease");
      // A resume of an adaptive run is refused too, before its lease is taken.
      IllegalArgumentException onResume =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> job(null).resume("sha", data));
      assertTrue(onResume.getMessage().contains("'two'"), onResume.getMessage());
    } finally {
      spark.conf().unset(AdaptiveRun.SLOTS_CONF);
    }
  }

  @Test
  void resumingTheCompleteRunReplaysItsJournalAndAddsNoRow() {
    long rungs = rows("rungs", "rung").size();
    long trialRows = rows("trials", "trial_index").size();
    long epochs = rows("epochs", "epoch").size();
    SearchOutcome again = job(null).resume("sha", data);
    assertTrue(again.complete());
    assertEquals(trials.size(), again.resumed(), "every trial was recorded");
    assertEquals(trials.size() - 1, again.count(TrialStatus.STOPPED));
    assertEquals(rungs, rows("rungs", "rung").size());
    assertEquals(trialRows, rows("trials", "trial_index").size());
    assertEquals(epochs, rows("epochs", "epoch").size());
  }

  @Test
  void theRunKeepsItsJournalAndDropsItsCheckpoints() throws Exception {
    RunStore store = RunStore.open(runs.toString());
    assertFalse(store.journalBatches("sha").isEmpty());
    for (TrialSpec t : trials) {
      assertTrue(store.checkpointSegments("sha", RunCheckpoints.trial(t)).isEmpty(), t.key());
    }
  }
}
