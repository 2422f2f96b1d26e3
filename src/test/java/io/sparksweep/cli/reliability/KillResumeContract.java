package io.sparksweep.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.spark.LocalSpark;
import io.sparksweep.spark.RunStore;
import io.sparksweep.spark.SearchJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run's state on the warehouse's file system, with real drivers (child JVMs running {@code
 * sparksweep search}): two searches run at once into one warehouse (its runs folder the default
 * {@code <warehouse>/runs}); one driver is killed with SIGKILL mid-search; a THIRD JVM, another
 * driver, resumes the killed run once its lease expired (a driver on another machine could do the
 * same: nothing it needs is on the killed driver's disk). Checks: the two runs' rows add up, each
 * trial once; the resumed run ran only the missing trials and ends equal to the uninterrupted one,
 * its top-k rows' {@code model_path}s full URIs of model files the executors wrote, byte-equal to
 * the other run's. Subclasses choose the file system ({@code file:} or an in-process HDFS).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class KillResumeContract {
  private static final int TRIALS = 8;
  private static final int EPOCHS = 2;
  private static final int KILL_AT = 3;
  private static final String GRID =
      String.join(
          "\n",
          "name: kill-resume",
          "seed: 23",
          "hidden_dims: [12]",
          "learning_rate: [1e-3, 3e-3, 1e-2, 3e-2]",
          "weight_scale: [1e-2, 5e-2]",
          "num_train: 80",
          "batch_size: 20",
          "num_epochs: " + EPOCHS,
          "");

  private Path tmp;
  private SparkSession spark;
  private String warehouse;
  private Map<String, Row> atKill;
  private ChildJvm whole;
  private ChildJvm resume;
  private int refusedResumes;

  /** The warehouse URI (on the file system under test); {@code tmp} is a fresh local folder. */
  abstract String warehouse(Path tmp);

  /** Stops what {@link #warehouse} started. */
  void stopFileSystem() {}

  @BeforeAll
  @Timeout(value = 25, unit = TimeUnit.MINUTES)
  void killAndResume(@TempDir Path dir) throws Exception {
    tmp = dir;
    warehouse = warehouse(tmp);
    Path data = SyntheticCifar.writeFolder(tmp, TestSearchMain.RECORDS_PER_FILE, 5);
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
            warehouse,
            "--top-k",
            "2",
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            SearchJob.LEASE_TTL_CONF + "=3s",
            // One trial per commit: a trial's progress line means its rows are committed.
            "--conf",
            SearchJob.COMMIT_TRIALS_CONF + "=1");
    ChildJvm killed =
        ChildJvm.start(
            tmp,
            "killed",
            TestSearchMain.class,
            List.of("sparksweep.test.trialDelayMillis=200", "sparksweep.test.holdFrom=" + KILL_AT),
            with(common, "--run-id", "killed"));
    whole =
        ChildJvm.start(
            tmp,
            "whole",
            TestSearchMain.class,
            List.of("sparksweep.test.trialDelayMillis=500"),
            with(common, "--run-id", "whole"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (trialLines(killed.stdout()) < KILL_AT) {
      assertTrue(killed.process.isAlive(), "the search ended before the kill: " + killed.stderr());
      assertTrue(System.nanoTime() < deadline, "no trials recorded: " + killed.stderr());
      Thread.sleep(20);
    }
    Thread.sleep(300); // two more trials are running (hanging): kill mid-search
    killed.kill();
    atKill = rows("killed");
    assertTrue(whole.process.waitFor(10, TimeUnit.MINUTES), "the other search did not finish");

    // Another driver JVM resumes; until the dead driver's lease expires it is refused.
    List<String> resumeArgs =
        List.of(
            "--resume",
            "killed",
            "--warehouse",
            warehouse,
            "--master",
            "local[2]",
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false");
    for (int attempt = 0; ; attempt++) {
      resume =
          ChildJvm.start(tmp, "resume-" + attempt, TestSearchMain.class, List.of(), resumeArgs);
      assertTrue(resume.process.waitFor(10, TimeUnit.MINUTES), "the resume did not finish");
      if (resume.process.exitValue() != 2
          || !resume.stderr().contains("is being run by another search")
          || attempt >= 20) {
        break;
      }
      refusedResumes++;
      Thread.sleep(500);
    }
  }

  @AfterAll
  void stop() {
    stopFileSystem();
  }

  private static List<String> with(List<String> common, String... more) {
    List<String> args = new ArrayList<>(common);
    args.addAll(List.of(more));
    return args;
  }

  private static long trialLines(String out) {
    return out.lines().filter(l -> l.matches("\\[\\s*\\d+/\\d+] (OK|DIVERGED|FAILED) .*")).count();
  }

  private Map<String, Row> rows(String runId) {
    Map<String, Row> out = new TreeMap<>();
    for (Row r :
        LocalSpark.table(spark, warehouse, "trials")
            .where("run_id = '" + runId + "'")
            .collectAsList()) {
      String id = r.<String>getAs("trial_key") + "/" + r.<Integer>getAs("repeat");
      assertTrue(out.put(id, r) == null, "two rows for trial " + id);
    }
    return out;
  }

  @Test
  void theKilledDriverKeptWhatItRecordedAndAnotherJvmResumedTheRest() {
    assertEquals(KILL_AT, atKill.size(), "recorded before the kill");
    assertEquals(0, resume.process.exitValue(), resume.stdout() + resume.stderr());
    String out = resume.stdout();
    assertTrue(
        out.contains(
            "resuming; "
                + KILL_AT
                + " of "
                + TRIALS
                + " trials already have results, running the other "
                + (TRIALS - KILL_AT)),
        out);
    assertEquals(TRIALS - KILL_AT, trialLines(out), out);
    Map<String, Row> after = rows("killed");
    assertEquals(TRIALS, after.size());
    for (Map.Entry<String, Row> e : atKill.entrySet()) {
      assertEquals(
          e.getValue().<Object>getAs("started_at"),
          after.get(e.getKey()).getAs("started_at"),
          "trial " + e.getKey() + " was recorded before the kill and not run again");
    }
  }

  @Test
  void theResumedRunEqualsTheUninterruptedOneWithItsModelsOnTheWarehouseFileSystem()
      throws Exception {
    assertEquals(0, whole.process.exitValue(), whole.stderr());
    Map<String, Row> killed = rows("killed");
    Map<String, Row> other = rows("whole");
    assertEquals(other.keySet(), killed.keySet());
    int withModel = 0;
    for (String id : other.keySet()) {
      Row a = killed.get(id);
      Row b = other.get(id);
      for (String c : List.of("status", "best_val_acc", "val_acc", "test_acc", "epochs_run")) {
        assertEquals(b.<Object>getAs(c), a.<Object>getAs(c), c + " of " + id);
      }
      String pa = a.getAs("model_path");
      String pb = b.getAs("model_path");
      assertEquals(pb == null, pa == null, "the same top-k: " + id);
      if (pa != null) {
        withModel++;
        String runs = new org.apache.hadoop.fs.Path(RunStore.defaultLocation(warehouse)).toString();
        assertTrue(pa.startsWith(runs + "/killed/models/"), pa + " under " + runs);
        assertTrue(pa.matches("[a-z]+:/.*"), "a full URI: " + pa);
        assertArrayEquals(RunStore.readUri(pb), RunStore.readUri(pa), "model of " + id);
      }
    }
    assertEquals(2, withModel, "top-k rows");
    assertEquals(
        2L * TRIALS * EPOCHS,
        LocalSpark.table(spark, warehouse, "epochs")
            .select("run_id", "trial_key", "repeat", "epoch")
            .distinct()
            .count(),
        "epochs of both runs, each once");
    assertEquals(2L * TRIALS * EPOCHS, LocalSpark.table(spark, warehouse, "epochs").count());
  }

  @Test
  void theModelsFolderHoldsOnlyTheTopKModels() throws Exception {
    for (String run : List.of("killed", "whole")) {
      RunStore store =
          RunStore.open(
              new org.apache.hadoop.conf.Configuration(), RunStore.defaultLocation(warehouse));
      assertEquals(
          rows(run).values().stream()
              .map(r -> r.<String>getAs("model_path"))
              .filter(p -> p != null)
              .map(p -> p.substring(p.lastIndexOf('/') + 1, p.length() - ".npz".length()))
              .sorted()
              .toList(),
          store.modelTrials(run).stream().sorted().toList(),
          "model files of run " + run);
    }
  }
}
