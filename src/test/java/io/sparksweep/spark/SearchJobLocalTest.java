package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.model.ModelKind;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end in local mode: {@link SearchJob} with {@link FakeTrials} on synthetic data, then the
 * tables, model files and progress events. One search (plus a second, appended run) is shared by
 * the tests; the last test reopens the warehouse from a new session.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SearchJobLocalTest {
  private SparkSession spark;
  private Path warehouse;
  private Path runs;
  private Cifar10Data data;
  private List<TrialSpec> specs;
  private SearchOutcome outcome;
  private SearchOutcome second;
  private final List<String> events = new ArrayList<>();
  private final List<SearchProgress> progress = new ArrayList<>();

  /** Records what the listener sees. */
  private final class Recorder implements SearchListener {
    @Override
    public void onStart(String runId, String runDir, int totalTrials) {
      events.add("start " + totalTrials);
    }

    @Override
    public void onTrialFinished(TrialResult result, SearchProgress p) {
      events.add("trial " + result.spec().index() + " " + result.status());
      progress.add(p);
    }

    @Override
    public void onFinish(SearchOutcome o) {
      events.add("finish " + o.runId());
    }
  }

  @BeforeAll
  void runSearches(@TempDir Path tmp) {
    warehouse = tmp.resolve("warehouse");
    runs = tmp.resolve("runs");
    spark = LocalSpark.session(warehouse.toString());
    data = TestTrials.randomData(300, 100, 7);
    specs =
        List.of(
            TestTrials.spec(0, ModelKind.FC, 1e-3, 0.0), // 0.9: best
            TestTrials.spec(1, ModelKind.FC, 1e-2, 0.0), // 0.5
            TestTrials.spec(2, ModelKind.FC, 1e-4, 0.01), // 0.49
            TestTrials.exploding(3, 1e-3, 0.0), // FAILED
            TestTrials.spec(4, ModelKind.FC, 5.0, 0.0), // DIVERGED
            TestTrials.spec(5, ModelKind.CNN, 3e-3, 0.0)); // 0.64: second
    SearchOptions options =
        SearchOptions.defaults()
            .withWarehouse(warehouse.toString())
            .withRunsDir(runs)
            .withTopK(2)
            .withHeartbeat(Duration.ofMillis(100))
            .withListener(new Recorder());
    outcome = new SearchJob(spark, new FakeTrials(0), options).run(specs, data);
    second =
        new SearchJob(
                spark,
                new FakeTrials(0),
                options.withRunId("second-run").withTopK(0).withListener(SearchListener.NONE))
            .run(TestTrials.okTrials(2), data);
  }

  private List<Row> trials(String columns) {
    return spark
        .sql(
            "SELECT "
                + columns
                + " FROM trials WHERE run_id = '"
                + outcome.runId()
                + "' ORDER BY trial_index")
        .collectAsList();
  }

  @Test
  void runIdHasTimestampAndHexSuffix() {
    assertTrue(outcome.runId().matches("\\d{8}-\\d{6}-[0-9a-f]{4}"), outcome.runId());
    assertEquals("second-run", second.runId());
  }

  @Test
  void everyTrialIsOneRowWithItsStatus() {
    List<Row> rows = trials("trial_index, trial_key, status");
    assertEquals(specs.size(), rows.size());
    List<String> expected = List.of("OK", "OK", "OK", "FAILED", "DIVERGED", "OK");
    for (int i = 0; i < rows.size(); i++) {
      assertEquals(i, rows.get(i).getInt(0));
      assertEquals(specs.get(i).key(), rows.get(i).getString(1));
      assertEquals(expected.get(i), rows.get(i).getString(2));
    }
    assertEquals(
        List.of("OK", "OK", "OK", "FAILED", "DIVERGED", "OK"),
        outcome.results().stream().map(r -> r.status().name()).toList());
    assertNull(outcome.jobError());
  }

  @Test
  void aThrowingTrialBecomesAFailedRowWithItsError() {
    Row failed = trials("status, error, executor, best_val_acc, epochs_run").get(3);
    assertEquals("FAILED", failed.getString(0));
    assertTrue(
        failed.getString(1).contains("IllegalStateException: boom in trial"), failed.getString(1));
    assertTrue(failed.getString(1).contains("FakeTrials"), "error names where it was thrown");
    assertTrue(failed.getString(2).startsWith("driver@"), failed.getString(2));
    assertTrue(failed.isNullAt(3), "NaN accuracies are stored as NULL");
    assertEquals(0, failed.getInt(4));
  }

  @Test
  void specAndOutcomeColumnsHoldTheTrialsValues() {
    List<Row> rows =
        trials(
            "learning_rate, reg, hidden_dims, update_rule, normalization, seed, model,"
                + " best_val_acc, test_acc, diverged_epoch, executor, started_at, finished_at,"
                + " num_train, dropout_keep_ratio");
    for (int i : new int[] {0, 1, 2, 5}) {
      Row r = rows.get(i);
      TrialSpec s = specs.get(i);
      assertEquals(s.learningRate(), r.getDouble(0));
      assertEquals(s.reg(), r.getDouble(1));
      assertEquals(List.of(100, 50), r.getList(2));
      assertEquals("adam", r.getString(3));
      assertEquals("batchnorm", r.getString(4));
      assertEquals(s.seed(), r.getLong(5));
      assertEquals(s.model().id(), r.getString(6));
      assertEquals(FakeTrials.valAcc(s), r.getDouble(7), 1e-12);
      assertEquals(FakeTrials.testAcc(data), r.getDouble(8), 1e-12, "the broadcast data arrived");
      assertEquals(0, r.getInt(9));
      assertTrue(r.getString(10).startsWith("driver@"), "the job stamps the executor");
      assertNotNull(r.getTimestamp(11));
      assertFalse(r.getTimestamp(12).before(r.getTimestamp(11)));
      assertEquals(400, r.getInt(13));
      assertEquals(0.5, r.getDouble(14));
    }
    assertEquals(2, rows.get(4).getInt(9), "diverged epoch");
  }

  @Test
  void epochsTableHoldsEveryLearningCurvePoint() {
    List<Row> rows =
        spark
            .sql(
                "SELECT e.trial_key, count(*), max(e.epoch), sum(CASE WHEN isnan(e.loss) THEN 1"
                    + " ELSE 0 END) FROM epochs e JOIN trials t ON e.run_id = t.run_id AND"
                    + " e.trial_key = t.trial_key AND e.repeat = t.repeat WHERE t.run_id = '"
                    + outcome.runId()
                    + "' GROUP BY e.trial_key")
            .collectAsList();
    Map<String, Row> byKey = rows.stream().collect(Collectors.toMap(r -> r.getString(0), r -> r));
    assertEquals(5, byKey.size(), "every trial but the failed one has epochs");
    assertFalse(byKey.containsKey(specs.get(3).key()));
    for (int i : new int[] {0, 1, 2, 5}) {
      Row r = byKey.get(specs.get(i).key());
      assertEquals(3L, r.getLong(1));
      assertEquals(3, r.getInt(2));
      assertEquals(0L, r.getLong(3));
    }
    Row diverged = byKey.get(specs.get(4).key());
    assertEquals(2L, diverged.getLong(1));
    assertEquals(1L, diverged.getLong(3), "the NaN loss of the diverged epoch is kept");
    double loss =
        spark
            .sql(
                "SELECT loss FROM epochs WHERE run_id = '"
                    + outcome.runId()
                    + "' AND trial_key = '"
                    + specs.get(1).key()
                    + "' AND epoch = 2")
            .first()
            .getDouble(0);
    assertEquals(2.3 / 2, loss, 1e-12);
  }

  @Test
  void topKModelsAreWrittenAndTheirPathsRecorded() throws IOException {
    Path models = runs.resolve(outcome.runId()).resolve("models");
    List<String> files;
    try (Stream<Path> list = Files.list(models)) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    List<String> expected =
        Stream.of(specs.get(0).key() + ".npz", specs.get(5).key() + ".npz").sorted().toList();
    assertEquals(expected, files);
    for (int i : new int[] {0, 5}) {
      assertArrayEquals(
          FakeTrials.modelBytes(specs.get(i)),
          Files.readAllBytes(models.resolve(specs.get(i).key() + ".npz")));
    }
    List<Row> rows = trials("trial_index, model_path");
    for (Row r : rows) {
      int i = r.getInt(0);
      if (i == 0 || i == 5) {
        assertEquals(
            models.resolve(specs.get(i).key() + ".npz"),
            Path.of(java.net.URI.create(r.getString(1))),
            "model_path is a full URI");
        assertTrue(r.getString(1).startsWith("file:/"), r.getString(1));
      } else {
        assertTrue(r.isNullAt(1), "no model path for trial " + i);
      }
    }
    assertEquals(2, outcome.modelPaths().size());
    assertNull(outcome.results().get(0).modelNpz(), "model bytes are not kept in the outcome");
    assertFalse(Files.exists(runs.resolve("second-run").resolve("models")), "top-k 0 saves none");
  }

  @Test
  void rankingIsBestValidationAccuracyFirstAmongOkTrials() {
    assertEquals(
        List.of(0, 5, 1, 2), outcome.ranking().stream().map(r -> r.spec().index()).toList());
  }

  @Test
  void listenerSeesEveryTrialWithGrowingProgress() {
    assertEquals("start 6", events.get(0));
    assertEquals("finish " + outcome.runId(), events.get(events.size() - 1));
    assertEquals(6, events.stream().filter(e -> e.startsWith("trial ")).count());
    assertTrue(events.contains("trial 3 FAILED"));
    for (int i = 0; i < progress.size(); i++) {
      SearchProgress p = progress.get(i);
      assertEquals(i + 1, p.done());
      assertEquals(6, p.total());
      assertTrue(p.running() >= 0 && p.running() <= 6 - p.done());
      assertNotNull(p.eta());
    }
    SearchProgress last = progress.get(progress.size() - 1);
    assertEquals(2, last.failed(), "FAILED and DIVERGED");
    assertEquals(FakeTrials.valAcc(specs.get(0)), last.bestValAcc(), 1e-12);
    assertEquals(Duration.ZERO, last.eta());
  }

  @Test
  void aSmallRunIsNotCompactedAndARunOfManyCommitsIsCompactedToOneFile(@TempDir Path tmp) {
    // The runs of runSearches: one driver, a commit or two each: no OPTIMIZE in the log.
    String trialsTable = warehouse.resolve("trials").toUri().toString();
    assertEquals(
        0,
        spark
            .sql("DESCRIBE HISTORY delta.`" + trialsTable + "`")
            .where("operation = 'OPTIMIZE'")
            .count());
    // A run of 12 commits (one trial each): more than RunWriter.COMPACT_ABOVE_COMMITS.
    String other = tmp.resolve("warehouse").toUri().toString();
    spark.conf().set(SearchJob.COMMIT_TRIALS_CONF, "1");
    try {
      new SearchJob(
              spark,
              new FakeTrials(0),
              SearchOptions.defaults()
                  .withWarehouse(other)
                  .withRunsDir(tmp.resolve("runs"))
                  .withRunId("many-commits")
                  .withTopK(1))
          .run(TestTrials.okTrials(12), data);
    } finally {
      spark.conf().unset(SearchJob.COMMIT_TRIALS_CONF);
    }
    for (String table : List.of("trials", "epochs")) {
      String path = other + "/" + table;
      Dataset<Row> rows = spark.read().format("delta").load(path).where("run_id = 'many-commits'");
      assertEquals(
          1,
          rows.select(org.apache.spark.sql.functions.input_file_name()).distinct().count(),
          table + ": 12 commits compacted into one file");
      Dataset<Row> history = spark.sql("DESCRIBE HISTORY delta.`" + path + "`");
      assertEquals(1, history.where("operation = 'OPTIMIZE'").count(), table + ": one OPTIMIZE");
      assertTrue(
          history.count() >= 14, table + ": creation, 12 commits and the OPTIMIZE are in the log");
    }
  }

  @Test
  void aSecondRunAppends() {
    List<Row> runsInTable =
        spark
            .sql("SELECT run_id, count(*) FROM trials GROUP BY run_id ORDER BY run_id")
            .collectAsList();
    assertEquals(2, runsInTable.size());
    Map<String, Long> counts =
        runsInTable.stream().collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertEquals(6L, counts.get(outcome.runId()));
    assertEquals(2L, counts.get("second-run"));
  }

  @Test
  void duplicateTrialsAreRejected() {
    SearchJob job = new SearchJob(spark, new FakeTrials(0), SearchOptions.defaults());
    List<TrialSpec> twice = List.of(specs.get(0), specs.get(0));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> job.run(twice, data));
    assertTrue(e.getMessage().contains("index 0 repeat 0 twice"), e.getMessage());
  }

  @Test
  void aRunIdIsNotReused() {
    SearchOptions reuse =
        SearchOptions.defaults()
            .withWarehouse(warehouse.toString())
            .withRunsDir(runs)
            .withRunId("second-run");
    SearchJob job = new SearchJob(spark, new FakeTrials(0), reuse);
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> job.run(specs, data));
    assertTrue(e.getMessage().contains("'second-run' was already used"), e.getMessage());
  }

  @Test
  @Order(100)
  void aNewSessionReadsTheTablesOfThePreviousOne() {
    spark.stop();
    SparkSession fresh = LocalSpark.session(warehouse.toString());
    try {
      assertFalse(fresh.sparkContext().isStopped());
      assertEquals(8L, fresh.sql("SELECT count(*) FROM trials").first().getLong(0));
      assertEquals(
          5L * 3 - 1 + 2 * 3,
          fresh.sql("SELECT count(*) FROM epochs").first().getLong(0),
          "4 OK trials × 3 epochs + 2 for the diverged one, + 2 × 3 for the second run");
      assertEquals(
          specs.get(0).key(),
          fresh
              .sql(
                  "SELECT trial_key FROM trials WHERE status = 'OK' ORDER BY best_val_acc DESC"
                      + " LIMIT 1")
              .first()
              .getString(0));
    } finally {
      spark = fresh;
    }
  }
}
