package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.ExecutorLostFailure;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Searches on a real standalone cluster: a Master and two Worker JVMs started by the test, one
 * single-core executor JVM each. The trials must run on both executors, the data must reach them
 * through the broadcast, and the tables must be written as in local mode; and when an executor JVM
 * is killed mid-search, its trials run again elsewhere and every trial is recorded exactly once.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StandaloneClusterTest {
  private Path tmp;
  private StandaloneCluster cluster;
  private SparkSession spark;
  private final AtomicInteger lostTasks = new AtomicInteger();
  private final AtomicInteger failedTasks = new AtomicInteger();

  @BeforeAll
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void startCluster(@TempDir Path dir) throws Exception {
    tmp = dir;
    SparkSession active = SparkSession.getDefaultSession().getOrElse(() -> null);
    if (active != null) {
      active.stop(); // one SparkContext per JVM: make way for the cluster's driver
    }
    // Not under @TempDir: the logs stay for inspection, and JUnit would warn about every jar link.
    Path clusterDir = ProjectFiles.path("target/standalone-test");
    cluster = StandaloneCluster.start(clusterDir, 2, 1, "1g");
    spark =
        cluster
            .driver()
            .appName("sparksweep-cluster-test")
            .warehouse(tmp.resolve("warehouse").toString())
            .config("spark.jars", cluster.buildAppJar())
            .config("spark.executor.memory", "512m")
            .config("spark.cores.max", "2")
            .config("spark.task.maxFailures", "4")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    spark
        .sparkContext()
        .addSparkListener(
            new SparkListener() {
              @Override
              public void onTaskEnd(SparkListenerTaskEnd end) {
                if (!end.taskInfo().successful()) {
                  failedTasks.incrementAndGet();
                }
                if (end.reason() instanceof ExecutorLostFailure) {
                  lostTasks.incrementAndGet();
                }
              }
            });
  }

  @AfterAll
  void stopCluster() {
    try {
      if (spark != null) {
        spark.stop();
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  private SearchOptions options(String warehouse, String runId) {
    return SearchOptions.defaults()
        .withWarehouse(warehouse)
        .withRunsDir(tmp.resolve("runs"))
        .withRunId(runId)
        .withTopK(1);
  }

  private long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void trialsRunOnBothExecutorsOfARealCluster() throws Exception {
    awaitExecutors(2, Duration.ofMinutes(3));
    Path warehouse = tmp.resolve("warehouse");
    Cifar10Data data = TestTrials.randomData(200, 50, 11);
    List<TrialSpec> specs = new ArrayList<>(TestTrials.okTrials(7));
    specs.add(TestTrials.exploding(7, 1e-3, 0.0));
    int failedBefore = failedTasks.get();
    SearchOutcome outcome =
        new SearchJob(spark, new FakeTrials(1500), options(warehouse.toString(), "both"))
            .run(specs, data);

    assertEquals(7, outcome.count(TrialStatus.OK));
    assertEquals(1, outcome.count(TrialStatus.FAILED));
    assertEquals(
        failedBefore, failedTasks.get(), "the throwing trial is a FAILED row, not a failed task");
    List<Row> executors =
        spark
            .sql("SELECT DISTINCT executor FROM trials WHERE run_id = 'both' ORDER BY executor")
            .collectAsList();
    assertEquals(2, executors.size(), "trials ran on " + executors);
    for (Row r : executors) {
      assertFalse(r.getString(0).startsWith("driver"), r.getString(0));
      assertTrue(r.getString(0).endsWith("@127.0.0.1"), r.getString(0));
    }
    List<Row> testAcc =
        spark
            .sql("SELECT DISTINCT test_acc FROM trials WHERE status = 'OK' AND run_id = 'both'")
            .collectAsList();
    assertEquals(1, testAcc.size());
    assertEquals(FakeTrials.testAcc(data), testAcc.get(0).getDouble(0), 1e-12);
    assertEquals(8L, count("SELECT count(*) FROM trials WHERE run_id = 'both'"));
    assertEquals(1, outcome.modelPaths().size());
    assertTrue(
        Files.isRegularFile(
            Path.of(java.net.URI.create(outcome.modelPaths().values().iterator().next()))),
        "the executor wrote the model where the driver recorded it");
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void killingAnExecutorMidSearchLosesAndDuplicatesNothing() throws Exception {
    awaitExecutors(2, Duration.ofMinutes(3));
    Path warehouse = tmp.resolve("warehouse-kill");
    Cifar10Data data = TestTrials.randomData(100, 20, 12);
    List<TrialSpec> specs = TestTrials.okTrials(10);
    int lostBefore = lostTasks.get();
    long t0 = System.nanoTime();
    AtomicInteger finished = new AtomicInteger();
    SearchListener counter =
        new SearchListener() {
          @Override
          public void onTrialFinished(TrialResult result, SearchProgress progress) {
            finished.incrementAndGet();
          }
        };
    CompletableFuture<SearchOutcome> search =
        CompletableFuture.supplyAsync(
            () ->
                new SearchJob(
                        spark,
                        new FakeTrials(2000),
                        options(warehouse.toString(), "executor-lost").withListener(counter))
                    .run(specs, data));
    // Kill once the driver has received 3 of the 10 trials (the rest are queued or running).
    while (finished.get() < 3) {
      assertFalse(search.isDone(), "the search ended before the kill");
      Thread.sleep(50);
    }
    List<ProcessHandle> executors = cluster.executors();
    assertEquals(2, executors.size(), "executor JVMs: " + executors);
    ProcessHandle victim = executors.get(0);
    assertTrue(victim.destroyForcibly(), "SIGKILL to executor JVM " + victim.pid());
    long killedAt = (System.nanoTime() - t0) / 1_000_000;
    SearchOutcome outcome = search.get(4, TimeUnit.MINUTES);
    long total = (System.nanoTime() - t0) / 1_000_000;
    System.err.printf(
        "executor JVM %d killed after %d ms; the search finished after %d ms with %d lost task"
            + " attempts re-run%n",
        victim.pid(), killedAt, total, lostTasks.get() - lostBefore);

    assertNull(outcome.jobError());
    assertTrue(outcome.complete());
    assertEquals(10, outcome.count(TrialStatus.OK));
    assertTrue(lostTasks.get() > lostBefore, "Spark lost at least one running task");
    String run = " FROM trials WHERE run_id = 'executor-lost'";
    assertEquals(10L, count("SELECT count(*)" + run));
    assertEquals(10L, count("SELECT count(DISTINCT trial_key, repeat)" + run));
    assertEquals(
        30L, count("SELECT count(*) FROM epochs WHERE run_id = 'executor-lost'"), "3 epochs each");
    assertEquals(
        30L,
        count(
            "SELECT count(DISTINCT trial_key, repeat, epoch) FROM epochs"
                + " WHERE run_id = 'executor-lost'"));
  }

  private void awaitExecutors(int executors, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      // getExecutorInfos includes the driver
      if (spark.sparkContext().statusTracker().getExecutorInfos().length >= executors + 1) {
        return;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(
        "executors did not register within "
            + timeout
            + "; master log:\n"
            + cluster.logTail("master", 20)
            + "\nworker-1 log:\n"
            + cluster.logTail("worker-1", 30));
  }
}
