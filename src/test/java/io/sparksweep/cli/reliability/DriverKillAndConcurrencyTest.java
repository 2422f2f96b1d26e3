package io.sparksweep.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.cli.SearchCommand;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.spark.LocalSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Two real searches ({@link TestSearchMain}: the production grid parser and TrialRunner, on
 * synthetic data) run at the same time in two child JVMs into one warehouse, with the same grid;
 * while they run this JVM keeps querying the {@code trials} table. One driver is killed with
 * SIGKILL once it has recorded 5 of its 16 trials (its next two trials hang, so they are running
 * when it dies); the other finishes. Then {@code search --resume} finishes the killed run here. The
 * tests check: nothing recorded before the kill was lost or rewritten, the resume ran exactly the
 * missing trials, the resumed run's rows equal those of the uninterrupted one (same keys, seeds and
 * accuracies), the two runs' rows add up, and every query during the searches saw whole files and
 * no trial twice.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DriverKillAndConcurrencyTest {
  private static final int TRIALS = 16;
  private static final int EPOCHS = 2;
  private static final int KILL_AT = 5;

  private static final String GRID =
      String.join(
          "\n",
          "name: kill-test",
          "seed: 17",
          "hidden_dims: [20]",
          "learning_rate: [1e-3, 3e-3, 1e-2, 3e-2]",
          "weight_scale: [1e-2, 5e-2]",
          "normalization: [none, batchnorm]",
          "num_train: 100",
          "batch_size: 25",
          "num_epochs: " + EPOCHS,
          "");

  /** One look at the {@code trials} table by a query running during the searches. */
  record Sample(long rows, long distinctTrials, Map<String, Long> perRun) {}

  private SparkSession spark;
  private Path warehouse;
  private Path runs;
  private Map<String, Row> atKill;
  private Map<String, Row> beforeResume;
  private final List<Sample> samples = Collections.synchronizedList(new ArrayList<>());
  private final List<Throwable> queryErrors = Collections.synchronizedList(new ArrayList<>());
  private String resumeOut;
  private int resumeExit;
  private ChildJvm whole;
  private long killedWallMillis;
  private long wholeWallMillis;

  @BeforeAll
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void runKillAndResume(@TempDir Path tmp) throws Exception {
    warehouse = tmp.resolve("warehouse");
    runs = tmp.resolve("runs");
    Path data = SyntheticCifar.writeFolder(tmp, TestSearchMain.RECORDS_PER_FILE, 9);
    Path grid = Files.writeString(tmp.resolve("grid.yaml"), GRID);
    spark = LocalSpark.session(tmp.resolve("test-warehouse").toString());

    List<String> common =
        List.of(
            "--grid",
            grid.toString(),
            "--data",
            data.toString(),
            "--master",
            "local[2]",
            "--warehouse",
            warehouse.toString(),
            "--runs-dir",
            runs.toString(),
            "--top-k",
            "3",
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sparksweep.commit.trials=1", // commit each trial: the kill lands between commits
            // A short lease, so the killed run can be resumed soon after its driver died.
            "--conf",
            "spark.sparksweep.lease.ttl=3s");
    long t0 = System.nanoTime();
    // The killed run records trials 0 to 4, then its next two trials hang until the kill.
    ChildJvm killed =
        ChildJvm.start(
            tmp,
            "killed",
            TestSearchMain.class,
            List.of("sparksweep.test.trialDelayMillis=300", "sparksweep.test.holdFrom=" + KILL_AT),
            with(common, "killed"));
    whole =
        ChildJvm.start(
            tmp,
            "whole",
            TestSearchMain.class,
            List.of("sparksweep.test.trialDelayMillis=1500"),
            with(common, "whole"));

    AtomicBoolean searching = new AtomicBoolean(true);
    Thread sampler = new Thread(() -> sample(searching), "query-during-search");
    sampler.start();
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (committed("killed").size() < KILL_AT) {
        assertTrue(killed.process.isAlive(), "the search ended before the kill: " + killed);
        assertTrue(System.nanoTime() < deadline, "no trials recorded: " + killed.stderr());
        Thread.sleep(20);
      }
      Thread.sleep(500); // two more trials are running (hanging) now: kill mid-search
      killed.kill();
      killedWallMillis = (System.nanoTime() - t0) / 1_000_000;
      atKill = rows("killed");
      assertTrue(whole.process.waitFor(10, TimeUnit.MINUTES), "the other search did not finish");
      wholeWallMillis = (System.nanoTime() - t0) / 1_000_000;
    } finally {
      searching.set(false);
      sampler.join();
      // Never leak a child search when an assertion above fails.
      if (killed.process.isAlive()) {
        killed.kill();
      }
    }
    // The killed driver's lease expires 3 s after its last renewal; only then may a resume start.
    Thread.sleep(Math.max(0, killedWallMillis + 4_000 - (System.nanoTime() - t0) / 1_000_000));
    beforeResume = rows("killed");

    StringWriter out = new StringWriter();
    CommandLine resume =
        new CommandLine(new SearchCommand(TestSearchMain.wiring(0, Integer.MAX_VALUE)));
    resume.setOut(new PrintWriter(out, true));
    resume.setErr(new PrintWriter(out, true));
    resumeExit =
        resume.execute(
            "--resume",
            "killed",
            "--runs-dir",
            runs.toString(),
            "--master",
            "local[2]",
            "--heartbeat",
            "1");
    resumeOut = out.toString();
    System.err.printf(
        "driver killed after %d ms with %d of %d trials recorded; the other search finished after"
            + " %d ms; %d queries during the searches%n%s%n",
        killedWallMillis, atKill.size(), TRIALS, wholeWallMillis, samples.size(), resumeOut);
  }

  private static List<String> with(List<String> common, String runId) {
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of("--run-id", runId));
    return args;
  }

  /** The run's committed trials in the warehouse's Delta table. */
  private List<String> committed(String runId) throws Exception {
    if (!LocalSpark.hasTable(spark, warehouse.toUri().toString(), "trials")) {
      return List.of();
    }
    return List.copyOf(rows(runId).keySet());
  }

  /** A run's rows by trial, read afresh from the table's folder. */
  private Map<String, Row> rows(String runId) {
    return LocalSpark.trialRows(spark, warehouse, runId);
  }

  private void sample(AtomicBoolean searching) {
    while (searching.get()) {
      try {
        if (LocalSpark.hasTable(spark, warehouse.toUri().toString(), "trials")) {
          List<Row> counts =
              LocalSpark.table(spark, warehouse.toUri().toString(), "trials")
                  .groupBy("run_id")
                  .agg(
                      org.apache.spark.sql.functions.count("*"),
                      org.apache.spark.sql.functions.countDistinct("trial_key", "repeat"))
                  .collectAsList();
          Map<String, Long> perRun = new TreeMap<>();
          long rows = 0;
          long distinct = 0;
          for (Row r : counts) {
            perRun.put(r.getString(0), r.getLong(1));
            rows += r.getLong(1);
            distinct += r.getLong(2);
          }
          samples.add(new Sample(rows, distinct, perRun));
        }
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) { // Spark's AnalysisException is checked, though Scala throws it
        queryErrors.add(e);
      }
    }
  }

  @Test
  void theKilledDriverLostOnlyTheTrialsThatWereRunning() {
    assertEquals(KILL_AT, atKill.size(), "recorded before the kill");
    assertEquals(atKill.keySet(), beforeResume.keySet(), "nothing appeared or vanished later");
    Map<String, Row> after = rows("killed");
    for (Map.Entry<String, Row> e : atKill.entrySet()) {
      assertEquals(
          e.getValue().<Object>getAs("started_at"),
          after.get(e.getKey()).getAs("started_at"),
          "trial " + e.getKey() + " was recorded before the kill and not run again");
      assertEquals(e.getValue().<Object>getAs("executor"), after.get(e.getKey()).getAs("executor"));
    }
  }

  @Test
  void resumeRanExactlyTheMissingTrials() {
    assertEquals(0, resumeExit, resumeOut);
    int missing = TRIALS - beforeResume.size();
    assertTrue(
        resumeOut.contains(
            "resuming; "
                + beforeResume.size()
                + " of "
                + TRIALS
                + " trials already have results, running the other "
                + missing),
        resumeOut);
    long trialLines =
        resumeOut.lines().filter(l -> l.matches("\\[\\s*\\d+/16] (OK|DIVERGED|FAILED) .*")).count();
    assertEquals(missing, trialLines, resumeOut);
    assertTrue(resumeOut.contains("run killed finished"), resumeOut);
    assertEquals(TRIALS, rows("killed").size());
  }

  @Test
  void theResumedRunEqualsTheUninterruptedOne() throws Exception {
    assertEquals(0, whole.process.exitValue(), whole.stderr());
    String columns =
        "trial_key, repeat, trial_index, seed, status, best_val_acc, val_acc, test_acc,"
            + " final_train_acc, epochs_run, diverged_epoch,"
            + " coalesce(regexp_extract(model_path, '[^/]*$', 0), '') AS model_file";
    List<Row> killedRows = table(columns, "trials", "killed", "trial_index");
    List<Row> wholeRows = table(columns, "trials", "whole", "trial_index");
    assertEquals(TRIALS, wholeRows.size());
    assertEquals(wholeRows, killedRows);
    assertEquals(3, killedRows.stream().filter(r -> !r.getString(11).isEmpty()).count());
    assertTrue(
        killedRows.stream().filter(r -> r.getString(4).equals("OK")).count() >= TRIALS / 2,
        "most trials train");
    List<Row> killedEpochs =
        table(
            "trial_key, repeat, epoch, loss, train_acc, val_acc",
            "epochs",
            "killed",
            "trial_key, epoch");
    assertEquals(
        table(
            "trial_key, repeat, epoch, loss, train_acc, val_acc",
            "epochs",
            "whole",
            "trial_key, epoch"),
        killedEpochs);
    assertEquals(TRIALS * EPOCHS, killedEpochs.size());
    try (Stream<Path> models = Files.list(runs.resolve("whole").resolve("models"))) {
      for (Path m : models.toList()) {
        // Model files record their run id, so compare the arrays, not the files' bytes.
        Map<String, io.sparksweep.tensor.Tensor> whole = io.sparksweep.tensor.Npz.read(m).tensors();
        Map<String, io.sparksweep.tensor.Tensor> killed =
            io.sparksweep.tensor.Npz.read(
                    runs.resolve("killed").resolve("models").resolve(m.getFileName()))
                .tensors();
        assertEquals(whole.keySet(), killed.keySet(), "the same arrays in " + m.getFileName());
        for (String name : whole.keySet()) {
          assertArrayEquals(
              whole.get(name).toDoubleArray(),
              killed.get(name).toDoubleArray(),
              "the same trained " + name + " in " + m.getFileName());
        }
      }
    }
  }

  private List<Row> table(String columns, String table, String runId, String order) {
    return spark
        .read()
        .format("delta")
        .load(warehouse.resolve(table).toString())
        .where("run_id = '" + runId + "'")
        .selectExpr(columns.split(",(?![^(]*\\))\\s*"))
        .orderBy(
            Stream.of(order.split(",\\s*"))
                .map(org.apache.spark.sql.functions::col)
                .toArray(org.apache.spark.sql.Column[]::new))
        .collectAsList();
  }

  @Test
  void twoConcurrentSearchesKeptAllTheirRows() {
    Map<String, Long> counts =
        spark
            .read()
            .format("delta")
            .load(warehouse.resolve("trials").toString())
            .groupBy("run_id")
            .count()
            .collectAsList()
            .stream()
            .collect(Collectors.toMap(r -> r.getString(0), r -> r.getLong(1)));
    assertEquals(Map.of("killed", (long) TRIALS, "whole", (long) TRIALS), counts);
    assertEquals(
        2L * TRIALS * EPOCHS,
        spark.read().format("delta").load(warehouse.resolve("epochs").toString()).count());
  }

  @Test
  void queriesDuringTheSearchesSawConsistentTables() {
    assertTrue(queryErrors.isEmpty(), "queries failed: " + queryErrors);
    List<Sample> seen = List.copyOf(samples);
    assertTrue(
        seen.stream().anyMatch(s -> s.perRun().size() == 2),
        "queried while both runs had rows: " + seen);
    assertTrue(seen.stream().filter(s -> s.rows() > 0).count() >= 3, "queried rows: " + seen);
    Map<String, Long> last = new TreeMap<>();
    for (Sample s : seen) {
      assertEquals(s.rows(), s.distinctTrials(), "a trial seen twice in " + s);
      for (Map.Entry<String, Long> e : s.perRun().entrySet()) {
        assertTrue(e.getValue() <= TRIALS, "too many rows: " + s);
        assertTrue(e.getValue() >= last.getOrDefault(e.getKey(), 0L), "rows vanished: " + seen);
        last.put(e.getKey(), e.getValue());
      }
    }
    assertFalse(seen.isEmpty());
  }
}
