package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A search on a real standalone cluster: a Master and two Worker JVMs started by the test, one
 * single-core executor JVM each. The trials must run on both executors, the data must reach them
 * through the broadcast, and the tables must be written as in local mode.
 */
@Tag("slow")
class StandaloneClusterTest {

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void trialsRunOnBothExecutorsOfARealCluster(@TempDir Path tmp) throws Exception {
    SparkSession active = SparkSession.getDefaultSession().getOrElse(() -> null);
    if (active != null) {
      active.stop(); // one SparkContext per JVM: make way for the cluster's driver
    }
    Path warehouse = tmp.resolve("warehouse");
    // Not under @TempDir: the logs stay for inspection, and JUnit would warn about every jar link.
    Path clusterDir = Path.of("target", "standalone-test").toAbsolutePath();
    try (StandaloneCluster cluster = StandaloneCluster.start(clusterDir, 2, 1, "1g")) {
      SparkSession spark =
          Sessions.builder()
              .master(cluster.masterUrl())
              .appName("sparksweep-cluster-test")
              .warehouse(warehouse.toString())
              .config("spark.jars", cluster.buildAppJar())
              .config("spark.executor.memory", "512m")
              .config("spark.cores.max", "2")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.shuffle.partitions", "2")
              .getOrCreate();
      try {
        awaitExecutors(spark, 2, Duration.ofMinutes(3), cluster);
        Cifar10Data data = TestTrials.randomData(200, 50, 11);
        List<TrialSpec> specs = new ArrayList<>(TestTrials.okTrials(7));
        specs.add(TestTrials.spec(7, FakeTrials.EXPLODE, 1e-3, 0.0));
        SearchOutcome outcome =
            new SearchJob(
                    spark,
                    new FakeTrials(1500),
                    SearchOptions.defaults()
                        .withWarehouse(warehouse.toString())
                        .withRunsDir(tmp.resolve("runs"))
                        .withTopK(1))
                .run(specs, data);

        assertEquals(7, outcome.count(TrialStatus.OK));
        assertEquals(1, outcome.count(TrialStatus.FAILED));
        List<Row> executors =
            spark
                .sql(
                    "SELECT DISTINCT executor FROM trials WHERE run_id = '"
                        + outcome.runId()
                        + "' ORDER BY executor")
                .collectAsList();
        assertEquals(2, executors.size(), "trials ran on " + executors);
        for (Row r : executors) {
          assertFalse(r.getString(0).startsWith("driver"), r.getString(0));
          assertTrue(r.getString(0).endsWith("@127.0.0.1"), r.getString(0));
        }
        List<Row> testAcc =
            spark
                .sql(
                    "SELECT DISTINCT test_acc FROM trials WHERE status = 'OK' AND run_id = '"
                        + outcome.runId()
                        + "'")
                .collectAsList();
        assertEquals(1, testAcc.size());
        assertEquals(FakeTrials.testAcc(data), testAcc.get(0).getDouble(0), 1e-12);
        assertEquals(
            8L,
            spark
                .sql("SELECT count(*) FROM trials WHERE run_id = '" + outcome.runId() + "'")
                .first()
                .getLong(0));
        assertEquals(1, outcome.modelPaths().size());
        assertTrue(Files.isRegularFile(outcome.modelPaths().values().iterator().next()));
      } finally {
        spark.stop();
      }
    }
  }

  private static void awaitExecutors(
      SparkSession spark, int executors, Duration timeout, StandaloneCluster cluster)
      throws InterruptedException {
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
