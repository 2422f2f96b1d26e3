package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.model.ModelKind;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose Spark job dies part-way (here: trials 4 and up hang until the job group is cancelled,
 * once trials 0 to 3 are recorded) keeps every finished trial, records nothing for the others, and
 * {@link SearchJob#resume} then runs exactly the missing trials: the run's tables end equal to
 * those of an uninterrupted run of the same trials. In local mode, so the trial function's counts
 * are visible to the test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SearchJobResumeTest {
  /** Completed trials per run and trial key, counted where the trials run (this JVM). */
  static final Map<String, Integer> COMPLETED = new ConcurrentHashMap<>();

  /** FakeTrials that count each trial they complete, per run tag. */
  record Counting(String tag, FakeTrials inner) implements TrialFunction {
    @Override
    public TrialResult run(TrialSpec spec, Cifar10Data data) {
      try {
        return inner.run(spec, data);
      } finally {
        if (!Thread.currentThread().isInterrupted()) { // a cancelled trial did not complete
          COMPLETED.merge(tag + "/" + spec.key(), 1, Integer::sum);
        }
      }
    }
  }

  /** Trials with an index of {@code open} or more wait until their task is cancelled. */
  record Gated(int open, TrialFunction inner) implements TrialFunction {
    @Override
    public TrialResult run(TrialSpec spec, Cifar10Data data) {
      if (spec.index() >= open) {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("cancelled", e);
        }
      }
      return inner.run(spec, data);
    }
  }

  private SparkSession spark;
  private Path warehouse;
  private Path runs;
  private Cifar10Data data;
  private List<TrialSpec> specs;
  private SearchOutcome interrupted;
  private Map<String, Row> rowsBeforeResume;
  private SearchOutcome resumed;
  private final List<TrialResult> resumedTrials = new ArrayList<>();
  private int resumeRecorded = -1;
  private SearchOutcome reference;

  @BeforeAll
  void interruptResumeAndRunAReference(@TempDir Path tmp) {
    warehouse = tmp.resolve("warehouse");
    runs = tmp.resolve("runs");
    spark = LocalSpark.session(warehouse.toString());
    data = TestTrials.randomData(60, 20, 5);
    specs = new ArrayList<>(TestTrials.okTrials(7));
    specs.add(TestTrials.exploding(7, 1e-3, 0.0)); // FAILED
    specs.add(TestTrials.spec(8, ModelKind.FC, 5.0, 0.0)); // DIVERGED
    specs.add(TestTrials.spec(9, ModelKind.FC, 1e-3, 0.02)); // OK, second best
    SearchOptions options =
        SearchOptions.defaults()
            .withWarehouse(warehouse.toString())
            .withRunsDir(runs)
            .withTopK(3)
            .withHeartbeat(Duration.ofMillis(50));

    AtomicBoolean cancelled = new AtomicBoolean();
    SearchListener cancelAfterFour =
        new SearchListener() {
          @Override
          public void onTrialFinished(TrialResult result, SearchProgress progress) {
            if (progress.done() == 4 && cancelled.compareAndSet(false, true)) {
              spark.sparkContext().cancelJobGroup("interrupted");
            }
          }
        };
    interrupted =
        new SearchJob(
                spark,
                new Gated(4, new Counting("interrupted", new FakeTrials(0))),
                options.withRunId("interrupted").withListener(cancelAfterFour))
            .run(specs, data);
    rowsBeforeResume = trialRows("interrupted");

    SearchListener recorder =
        new SearchListener() {
          @Override
          public void onResume(String runId, String runDir, int total, int recorded) {
            resumeRecorded = recorded;
          }

          @Override
          public void onTrialFinished(TrialResult result, SearchProgress progress) {
            resumedTrials.add(result);
          }
        };
    resumed =
        new SearchJob(
                spark,
                new Counting("resume", new FakeTrials(0)),
                options.withTopK(0).withListener(recorder)) // the manifest's top-k wins
            .resume("interrupted", data);
    reference =
        new SearchJob(
                spark, new Counting("reference", new FakeTrials(0)), options.withRunId("reference"))
            .run(specs, data);
  }

  private Map<String, Row> trialRows(String runId) {
    return LocalSpark.trialRows(spark, warehouse, runId);
  }

  @Test
  void theFailedJobKeptItsFinishedTrialsAndRecordedNothingForTheOthers() {
    assertNotNull(interrupted.jobError());
    assertTrue(
        interrupted.jobError().toLowerCase(Locale.ROOT).contains("cancel"), interrupted.jobError());
    assertFalse(interrupted.complete());
    int finished = interrupted.results().size();
    assertEquals(
        List.of(0, 1, 2, 3), interrupted.results().stream().map(r -> r.spec().index()).toList());
    assertEquals(specs.size(), finished + interrupted.notRun().size());
    assertEquals(finished, rowsBeforeResume.size(), "one row per finished trial, no more");
    assertTrue(interrupted.modelPaths().isEmpty(), "model paths wait for the whole run");
    for (Row r : rowsBeforeResume.values()) {
      assertTrue(r.isNullAt(r.fieldIndex("model_path")));
    }
    Set<String> notRun =
        interrupted.notRun().stream().map(TrialSpec::key).collect(Collectors.toSet());
    for (String id : rowsBeforeResume.keySet()) {
      assertFalse(notRun.contains(id.substring(0, id.indexOf('/'))), id);
    }
    assertTrue(
        Files.isRegularFile(runs.resolve("interrupted").resolve(RunManifest.FILE_NAME)),
        "the manifest was written before the trials ran");
  }

  @Test
  void resumeRunsExactlyTheMissingTrials() {
    assertEquals(rowsBeforeResume.size(), resumeRecorded);
    assertEquals(rowsBeforeResume.size(), resumed.resumed());
    assertEquals(
        interrupted.notRun().stream().map(TrialSpec::key).sorted().toList(),
        resumedTrials.stream().map(r -> r.spec().key()).sorted().toList());
    assertTrue(resumed.complete());
    assertNull(resumed.jobError());
    assertEquals(specs.size(), resumed.results().size());
    // Counted where the trials ran: the resume ran each missing trial once, and nothing else.
    Set<String> missing =
        interrupted.notRun().stream().map(TrialSpec::key).collect(Collectors.toSet());
    for (TrialSpec s : specs) {
      assertEquals(
          missing.contains(s.key()) ? Integer.valueOf(1) : null,
          COMPLETED.get("resume/" + s.key()),
          "runs of trial " + s.index() + " by the resume");
    }
    Map<String, Row> after = trialRows("interrupted");
    assertEquals(specs.size(), after.size());
    for (Map.Entry<String, Row> e : rowsBeforeResume.entrySet()) {
      Row before = e.getValue();
      Row now = after.get(e.getKey());
      for (String column : List.of("executor", "started_at", "finished_at", "best_val_acc")) {
        assertEquals(before.getAs(column), now.<Object>getAs(column), column + " of " + e.getKey());
      }
    }
  }

  @Test
  void theResumedTablesEqualThoseOfAnUninterruptedRun() {
    String columns =
        "trial_key, repeat, trial_index, seed, status, error, diverged_epoch, best_val_acc,"
            + " val_acc, test_acc, final_train_acc, epochs_run,"
            + " coalesce(regexp_extract(model_path, '[^/]*$', 0), '') AS model_file";
    String ofRun = " FROM trials WHERE run_id = '%s' ORDER BY trial_index";
    List<Row> resumedRows =
        spark.sql("SELECT " + columns + String.format(ofRun, "interrupted")).collectAsList();
    List<Row> referenceRows =
        spark.sql("SELECT " + columns + String.format(ofRun, "reference")).collectAsList();
    assertEquals(specs.size(), referenceRows.size());
    assertEquals(referenceRows, resumedRows);
    assertEquals(
        3, resumedRows.stream().filter(r -> !r.getString(12).isEmpty()).count(), "top 3 models");

    String epochs =
        "SELECT trial_key, repeat, epoch, loss, train_acc, val_acc FROM epochs WHERE run_id = '%s'"
            + " ORDER BY trial_key, repeat, epoch";
    List<Row> resumedEpochs = spark.sql(String.format(epochs, "interrupted")).collectAsList();
    assertEquals(spark.sql(String.format(epochs, "reference")).collectAsList(), resumedEpochs);
    assertEquals(7 * 3 + 3 + 2, resumedEpochs.size(), "8 OK trials x 3 epochs + 2 diverged");
  }

  @Test
  void theResumedRunKeepsTheSameModelsAsTheUninterruptedOne() throws Exception {
    List<String> resumedFiles = modelFiles("interrupted");
    assertEquals(modelFiles("reference"), resumedFiles);
    assertEquals(3, resumedFiles.size());
    for (Map.Entry<Integer, String> e : resumed.modelPaths().entrySet()) {
      TrialSpec spec = resumed.results().get(e.getKey()).spec();
      assertArrayEquals(
          FakeTrials.modelBytes(spec),
          Files.readAllBytes(Path.of(java.net.URI.create(e.getValue()))));
    }
    assertEquals(
        reference.ranking().stream().limit(3).map(r -> r.spec().key()).toList(),
        resumed.ranking().stream().limit(3).map(r -> r.spec().key()).toList());
  }

  private List<String> modelFiles(String runId) throws Exception {
    try (Stream<Path> files = Files.list(runs.resolve(runId).resolve("models"))) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void resumingACompleteRunRunsNothingAndChangesNothing() {
    Map<String, Row> before = trialRows("reference");
    List<TrialResult> ran = new ArrayList<>();
    SearchOutcome again =
        new SearchJob(
                spark,
                new Counting("reference", new FakeTrials(0)),
                SearchOptions.defaults()
                    .withWarehouse(warehouse.toString())
                    .withRunsDir(runs)
                    .withListener(
                        new SearchListener() {
                          @Override
                          public void onTrialFinished(TrialResult result, SearchProgress p) {
                            ran.add(result);
                          }
                        }))
            .resume("reference", data);
    assertTrue(ran.isEmpty());
    assertEquals(specs.size(), again.resumed());
    assertEquals(before, trialRows("reference"));
    assertEquals(3, again.modelPaths().size());
  }

  @Test
  void aRunIdIsNotReusedForANewRun() {
    SearchJob job =
        new SearchJob(
            spark,
            new FakeTrials(0),
            SearchOptions.defaults()
                .withWarehouse(warehouse.toString())
                .withRunsDir(runs)
                .withRunId("reference"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> job.run(specs, data));
    assertTrue(e.getMessage().contains("'reference' was already used"), e.getMessage());
    assertTrue(e.getMessage().contains("--resume reference"), e.getMessage());
  }

  @Test
  void resumeRefusesAnUnknownRunOtherDataAndAnotherWarehouse() {
    SearchOptions here =
        SearchOptions.defaults().withWarehouse(warehouse.toString()).withRunsDir(runs);
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SearchJob(spark, new FakeTrials(0), here).resume("nosuch", data));
    assertTrue(unknown.getMessage().contains("no run 'nosuch'"), unknown.getMessage());

    IllegalArgumentException otherData =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SearchJob(spark, new FakeTrials(0), here)
                    .resume("reference", TestTrials.randomData(60, 20, 6)));
    assertTrue(otherData.getMessage().contains("differ from those run"), otherData.getMessage());

    IllegalArgumentException otherWarehouse =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new SearchJob(
                        spark,
                        new FakeTrials(0),
                        here.withWarehouse(warehouse.resolveSibling("elsewhere").toString()))
                    .resume("reference", data));
    assertTrue(
        otherWarehouse.getMessage().contains("expected that warehouse"),
        otherWarehouse.getMessage());
  }

  @Test
  void aRunThatADriverInAnotherJvmHoldsCannotBeResumed() throws Exception {
    io.sparksweep.cli.reliability.ChildJvm holder =
        io.sparksweep.cli.reliability.ChildJvm.start(
            runs.getParent(),
            "lease-holder",
            LeaseHolderMain.class,
            List.of(),
            List.of("hold", runs.toUri().toString(), "reference", "60000"));
    try {
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(90);
      while (!holder.stdout().startsWith("HELD")) {
        assertTrue(holder.process.isAlive(), "the holder died: " + holder.stderr());
        assertTrue(System.nanoTime() < deadline, "the holder never held: " + holder.stderr());
        Thread.sleep(50);
      }
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  new SearchJob(
                          spark,
                          new FakeTrials(0),
                          SearchOptions.defaults()
                              .withWarehouse(warehouse.toString())
                              .withRunsDir(runs))
                      .resume("reference", data));
      assertTrue(e.getMessage().contains("is being run by another search"), e.getMessage());
      assertTrue(e.getMessage().contains("pid=" + holder.process.pid()), e.getMessage());
    } finally {
      holder.process.destroyForcibly();
      holder.process.waitFor();
    }
  }
}
