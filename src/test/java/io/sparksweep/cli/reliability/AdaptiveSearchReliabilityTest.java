package io.sparksweep.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.schedule.Bracket;
import io.sparksweep.search.schedule.Brackets;
import io.sparksweep.search.schedule.Rung;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.spark.LocalSpark;
import io.sparksweep.spark.MiniDfs;
import io.sparksweep.spark.SearchJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adaptive searches ({@code scheduler:} sha, hyperband, asha) through {@code sparksweep search} in
 * child JVMs on synthetic data: sha and hyperband record the same rungs, trials and epochs with one
 * task slot ({@code local[1]}) as with two; a segment whose Spark task fails once and is retried
 * ({@code local[2,2]}) is recorded once; an asha driver killed with SIGKILL mid-search and resumed
 * by another JVM records every segment once, and the resume runs no segment the killed driver had
 * recorded; sha with its warehouse (tables, manifest, journal, models) on a real HDFS (an
 * in-process MiniDFSCluster) records what it records on the local disk.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdaptiveSearchReliabilityTest {
  private static final String SPACE =
      String.join("\n", "seed: 31", "hidden_dims: [12]", "num_train: 80", "batch_size: 20", "");
  private static final String SHA =
      SPACE
          + String.join(
              "\n",
              "name: adaptive-sha",
              "learning_rate: [1e-4, 1e-3, 1e-2]",
              "weight_scale: [1e-3, 1e-2, 5e-2]",
              "scheduler: {type: sha, min_resource: 1, max_resource: 9, reduction_factor: 3}",
              "");
  private static final String HYPERBAND =
      SPACE
          + String.join(
              "\n",
              "name: adaptive-hyperband",
              "sampler: random",
              "learning_rate: {loguniform: [1e-4, 3e-2]}",
              "weight_scale: {loguniform: [1e-3, 1e-1]}",
              "scheduler: {type: hyperband, min_resource: 1, max_resource: 9, reduction_factor: 3}",
              "");
  private static final String ASHA =
      SPACE
          + String.join(
              "\n",
              "name: adaptive-asha",
              "learning_rate: [1e-4, 1e-3, 1e-2]",
              "weight_scale: [1e-3, 1e-2, 5e-2]",
              "scheduler: {type: asha, min_resource: 1, max_resource: 9, reduction_factor: 3}",
              "");
  private static final Pattern SEGMENT_LINE =
      Pattern.compile("^\\[rung (\\d+)] (\\S+) #(\\d+) epochs (\\d+)-(\\d+) ", Pattern.MULTILINE);

  private Path tmp;
  private Path data;
  private String warehouse;
  private MiniDfs dfs;
  private String hdfsWarehouse;
  private SparkSession spark;
  private Path retryMarker;
  private ChildJvm sha1;
  private ChildJvm sha2;
  private ChildJvm shaHdfs;
  private ChildJvm hb1;
  private ChildJvm hb2;
  private ChildJvm retried;
  private ChildJvm killed;
  private ChildJvm resumed;
  private String killedOutAtKill;

  @BeforeAll
  @Timeout(value = 30, unit = TimeUnit.MINUTES)
  void runSearches(@TempDir Path dir) throws Exception {
    tmp = dir;
    warehouse = tmp.resolve("warehouse").toUri().toString();
    data = SyntheticCifar.writeFolder(tmp, TestSearchMain.RECORDS_PER_FILE, 5);
    Path sha = Files.writeString(tmp.resolve("sha.yaml"), SHA);
    Path hyperband = Files.writeString(tmp.resolve("hyperband.yaml"), HYPERBAND);
    Path asha = Files.writeString(tmp.resolve("asha.yaml"), ASHA);
    retryMarker = tmp.resolve("failed-once");

    sha1 = search("sha-1", sha, "local[1]", List.of());
    sha2 = search("sha-2", sha, "local[2]", List.of());
    await(sha1, sha2);
    dfs = MiniDfs.start(tmp.resolve("dfs"));
    hdfsWarehouse = dfs.uri("/sparksweep/warehouse");
    shaHdfs = search("sha-hdfs", sha, "local[2]", List.of(), hdfsWarehouse);
    await(shaHdfs);
    hb1 = search("hb-1", hyperband, "local[1]", List.of());
    hb2 = search("hb-2", hyperband, "local[2]", List.of());
    await(hb1, hb2);

    retried =
        search(
            "sha-retry",
            sha,
            "local[2,2]",
            List.of(
                "sparksweep.test.failOnceMarker=" + retryMarker,
                "sparksweep.test.failOnceTrial=4"));
    killed =
        search(
            "asha-kill",
            asha,
            "local[2]",
            List.of("sparksweep.test.segmentDelayMillis=300", "sparksweep.test.holdFromRung=1"));
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    // asha promotes after 3 reports at the earliest; the promoted (rung >= 1) segments hang, so
    // the run may block with both slots hung after as few as 4 reports: kill once 3 are recorded.
    while (segments(killed.stdout()).size() < 3) {
      assertTrue(killed.process.isAlive(), "the search ended before the kill: " + killed.stderr());
      assertTrue(System.nanoTime() < deadline, "no segments recorded: " + killed.stderr());
      Thread.sleep(20);
    }
    Thread.sleep(2000); // rung-1 segments hang in the slots: kill mid-search
    killed.kill();
    killedOutAtKill = killed.stdout();
    await(retried);

    List<String> resumeArgs =
        List.of(
            "--resume",
            "asha-kill",
            "--warehouse",
            warehouse,
            "--master",
            "local[2]",
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false");
    for (int attempt = 0; ; attempt++) {
      resumed =
          ChildJvm.start(tmp, "resume-" + attempt, TestSearchMain.class, List.of(), resumeArgs);
      assertTrue(resumed.process.waitFor(10, TimeUnit.MINUTES), "the resume did not finish");
      if (resumed.process.exitValue() != 2
          || !resumed.stderr().contains("is being run by another search")
          || attempt >= 20) {
        break;
      }
      Thread.sleep(500);
    }
    spark = LocalSpark.session(tmp.resolve("test-warehouse").toString());
  }

  @AfterAll
  void stopFileSystem() {
    if (dfs != null) {
      dfs.close();
    }
  }

  private ChildJvm search(String runId, Path grid, String master, List<String> properties)
      throws Exception {
    return search(runId, grid, master, properties, warehouse);
  }

  private ChildJvm search(
      String runId, Path grid, String master, List<String> properties, String warehouse)
      throws Exception {
    return ChildJvm.start(
        tmp,
        runId,
        TestSearchMain.class,
        properties,
        List.of(
            "--grid",
            grid.toString(),
            "--data",
            data.toString(),
            "--master",
            master,
            "--warehouse",
            warehouse,
            "--run-id",
            runId,
            "--top-k",
            "2",
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            SearchJob.LEASE_TTL_CONF + "=3s",
            // Every reported segment is committed at once (so its console line means recorded).
            "--conf",
            SearchJob.COMMIT_TRIALS_CONF + "=1"));
  }

  private static void await(ChildJvm... jvms) throws InterruptedException {
    for (ChildJvm j : jvms) {
      assertTrue(j.process.waitFor(10, TimeUnit.MINUTES), j + " did not finish");
    }
  }

  /** (trial, rung) of every segment line a driver printed. */
  private static List<String> segments(String stdout) {
    List<String> out = new ArrayList<>();
    Matcher m = SEGMENT_LINE.matcher(stdout);
    while (m.find()) {
      out.add(m.group(3) + "/" + m.group(1));
    }
    return out;
  }

  private List<List<Object>> rows(String table, String runId, String... columns) {
    return rowsIn(warehouse, table, runId, columns);
  }

  private List<List<Object>> rowsIn(
      String warehouse, String table, String runId, String... columns) {
    List<List<Object>> out = new ArrayList<>();
    for (Row r :
        LocalSpark.table(spark, warehouse, table)
            .where("run_id = '" + runId + "'")
            .selectExpr(columns)
            .collectAsList()) {
      List<Object> values = new ArrayList<>();
      for (int i = 0; i < r.size(); i++) {
        values.add(r.get(i));
      }
      out.add(values);
    }
    out.sort((a, b) -> a.toString().compareTo(b.toString()));
    return out;
  }

  private static final String[] RUNG_COLUMNS = {
    "trial_key", "repeat", "bracket", "rung", "epochs", "val_acc", "decision"
  };
  private static final String[] TRIAL_COLUMNS = {
    "trial_key", "repeat", "status", "best_val_acc", "val_acc", "test_acc", "epochs_run"
  };
  private static final String[] EPOCH_COLUMNS = {
    "trial_key", "repeat", "epoch", "loss", "train_acc", "val_acc"
  };

  /** Every (trial, rung), trial and (trial, epoch) has one row; rungs as the plan says. */
  private void assertRecordedOnce(String runId, SchedulerConfig config, int configurations) {
    List<List<Object>> rungs = rows("rungs", runId, "trial_key", "rung");
    assertEquals(new HashSet<>(rungs).size(), rungs.size(), "one row per trial and rung: " + rungs);
    List<List<Object>> trials = rows("trials", runId, "trial_key");
    assertEquals(configurations, trials.size(), "trials of " + runId);
    assertEquals(configurations, new HashSet<>(trials).size(), "one row per trial");
    List<List<Object>> epochs = rows("epochs", runId, "trial_key", "epoch");
    assertEquals(new HashSet<>(epochs).size(), epochs.size(), "one row per trial and epoch");
    long epochsRun =
        rows("trials", runId, "epochs_run").stream()
            .mapToLong(r -> ((Number) r.get(0)).longValue())
            .sum();
    assertEquals(epochsRun, epochs.size(), "the epochs rows add up to epochs_run");
    if (config.type() != io.sparksweep.search.schedule.SchedulerType.ASHA) {
      int planned = 0;
      int top = 0;
      for (Bracket b : Brackets.of(config, configurations)) {
        for (Rung r : b.rungs()) {
          planned += r.size();
        }
        top += b.top().size();
      }
      assertEquals(planned, rungs.size(), "a decision per rung a trial finished");
      assertEquals(
          (long) top,
          rows("trials", runId, "status").stream().filter(r -> r.get(0).equals("OK")).count(),
          "trials that trained the full budget are OK");
      assertEquals(
          (long) configurations - top,
          rows("trials", runId, "status").stream().filter(r -> r.get(0).equals("STOPPED")).count(),
          "the others were stopped early");
    }
  }

  private static SchedulerConfig scheduler(String yaml, Path tmp, String name) throws Exception {
    return GridSpec.parse(Files.writeString(tmp.resolve(name), yaml)).scheduler().orElseThrow();
  }

  private static int configurations(String yaml, Path tmp, String name) throws Exception {
    return GridSpec.parse(Files.writeString(tmp.resolve(name), yaml)).expand(false).size();
  }

  private void assertSameTables(String a, String b) {
    assertEquals(rows("rungs", a, RUNG_COLUMNS), rows("rungs", b, RUNG_COLUMNS), "rungs");
    assertEquals(rows("trials", a, TRIAL_COLUMNS), rows("trials", b, TRIAL_COLUMNS), "trials");
    assertEquals(rows("epochs", a, EPOCH_COLUMNS), rows("epochs", b, EPOCH_COLUMNS), "epochs");
  }

  @Test
  void shaRecordsTheSameTablesWithOneSlotAsWithTwo() throws Exception {
    assertEquals(0, sha1.process.exitValue(), sha1.stdout() + sha1.stderr());
    assertEquals(0, sha2.process.exitValue(), sha2.stdout() + sha2.stderr());
    int n = configurations(SHA, tmp, "check-sha.yaml");
    SchedulerConfig config = scheduler(SHA, tmp, "check-sha.yaml");
    assertRecordedOnce("sha-1", config, n);
    assertRecordedOnce("sha-2", config, n);
    assertSameTables("sha-1", "sha-2");
    assertTrue(sha2.stdout().contains("rung 0 " + n + "/" + n), sha2.stdout());
  }

  @Test
  void shaOnHdfsRecordsWhatItRecordsOnTheLocalDisk() throws Exception {
    assertEquals(0, shaHdfs.process.exitValue(), shaHdfs.stdout() + shaHdfs.stderr());
    assertEquals(
        rows("rungs", "sha-2", RUNG_COLUMNS),
        rowsIn(hdfsWarehouse, "rungs", "sha-hdfs", RUNG_COLUMNS),
        "rungs");
    assertEquals(
        rows("trials", "sha-2", TRIAL_COLUMNS),
        rowsIn(hdfsWarehouse, "trials", "sha-hdfs", TRIAL_COLUMNS),
        "trials");
    assertEquals(
        rows("epochs", "sha-2", EPOCH_COLUMNS),
        rowsIn(hdfsWarehouse, "epochs", "sha-hdfs", EPOCH_COLUMNS),
        "epochs");
    // The same trials keep a model (top-k of those that trained the full budget), on HDFS, named
    // by full hdfs:// URIs that exist there.
    List<List<Object>> models =
        rowsIn(hdfsWarehouse, "trials", "sha-hdfs", "trial_key", "model_path").stream()
            .filter(r -> r.get(1) != null)
            .toList();
    List<List<Object>> localModels =
        rows("trials", "sha-2", "trial_key", "model_path").stream()
            .filter(r -> r.get(1) != null)
            .toList();
    assertFalse(models.isEmpty(), "no model kept on HDFS");
    assertEquals(
        localModels.stream().map(r -> r.get(0)).toList(),
        models.stream().map(r -> r.get(0)).toList(),
        "the trials with a model");
    org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.get(dfs.conf());
    for (List<Object> m : models) {
      String uri = (String) m.get(1);
      assertTrue(uri.startsWith("hdfs://"), uri);
      assertTrue(fs.exists(new org.apache.hadoop.fs.Path(uri)), uri + " exists on HDFS");
    }
  }

  @Test
  void hyperbandRecordsTheSameTablesWithOneSlotAsWithTwo() throws Exception {
    assertEquals(0, hb1.process.exitValue(), hb1.stdout() + hb1.stderr());
    assertEquals(0, hb2.process.exitValue(), hb2.stdout() + hb2.stderr());
    int n = configurations(HYPERBAND, tmp, "check-hb.yaml");
    SchedulerConfig config = scheduler(HYPERBAND, tmp, "check-hb.yaml");
    assertTrue(config.brackets() > 1, "several brackets: " + config);
    assertRecordedOnce("hb-1", config, n);
    assertRecordedOnce("hb-2", config, n);
    assertSameTables("hb-1", "hb-2");
  }

  @Test
  void aSegmentRetriedBySparkIsRecordedOnce() throws Exception {
    assertTrue(Files.exists(retryMarker), "the injected failure happened");
    assertEquals(0, retried.process.exitValue(), retried.stdout() + retried.stderr());
    assertEquals(
        1,
        segments(retried.stdout()).stream().filter(s -> s.equals("4/0")).count(),
        retried.stdout());
    assertRecordedOnce(
        "sha-retry", scheduler(SHA, tmp, "check-retry.yaml"), configurations(SHA, tmp, "c.yaml"));
    assertSameTables("sha-2", "sha-retry");
  }

  @Test
  void aKilledAshaDriverIsResumedWithEverySegmentRecordedOnce() throws Exception {
    assertEquals(0, resumed.process.exitValue(), resumed.stdout() + resumed.stderr());
    Matcher m = Pattern.compile("resumed after (\\d+) recorded segments").matcher(resumed.stderr());
    assertTrue(m.find(), resumed.stderr());
    int recordedAtResume = Integer.parseInt(m.group(1));
    List<String> before = segments(killedOutAtKill);
    // A segment's line is printed once it is committed, so the journal holds at least those.
    assertTrue(recordedAtResume >= before.size(), recordedAtResume + " < " + before);
    List<String> after = segments(resumed.stdout());
    assertFalse(before.isEmpty());
    assertFalse(after.isEmpty());
    Set<String> overlap = new TreeSet<>(before);
    overlap.retainAll(after);
    assertTrue(overlap.isEmpty(), "segments recorded before the kill ran again: " + overlap);
    assertEquals(new HashSet<>(after).size(), after.size(), "no segment twice: " + after);
    int n = configurations(ASHA, tmp, "check-asha.yaml");
    assertRecordedOnce("asha-kill", scheduler(ASHA, tmp, "check-asha.yaml"), n);
    assertEquals(
        recordedAtResume + after.size(),
        rows("rungs", "asha-kill", "trial_key", "rung").size(),
        "a rungs row for every segment recorded before the kill or run by the resume");
  }
}
