package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Delta results tables: idempotent batches, concurrent appends, old format refused. */
class DeltaTablesTest {
  @TempDir Path tmp;

  static TrialResult result(int index, double acc) {
    TrialSpec spec =
        TestTrials.spec(index, io.sparksweep.model.ModelKind.FC, 1e-3 * (index + 1), 0.0);
    return new TrialResult(
        spec,
        TrialStatus.OK,
        null,
        0,
        acc,
        acc,
        acc - 0.01,
        acc + 0.1,
        2,
        1.0,
        "0@h",
        1_700_000_000_000L,
        1_700_000_001_000L,
        List.of(new EpochRecord(1, 2.0, 0.3, acc - 0.05), new EpochRecord(2, 1.5, 0.4, acc)),
        null);
  }

  static List<Row> trialRows(String runId, int from, int to) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.add(TrialRows.trialRow(runId, result(i, 0.1 * i), null));
    }
    return rows;
  }

  static List<Row> epochRows(String runId, int from, int to) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++) {
      rows.addAll(TrialRows.epochRows(runId, result(i, 0.1 * i)));
    }
    return rows;
  }

  private static long count(SparkSession spark, String uri, String table, String runId) {
    return spark
        .read()
        .format("delta")
        .load(ResultTables.location(uri, table))
        .where("run_id = '" + runId + "'")
        .count();
  }

  @Test
  void aRecommittedBatchAddsNothing() {
    String uri = Sessions.warehouseUri(tmp.resolve("w").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    assertEquals(-1, ResultTables.lastBatch(spark, uri, "r1"));
    ResultTables.commitBatch(spark, uri, "r1", 0, trialRows("r1", 0, 3), epochRows("r1", 0, 3));
    ResultTables.commitBatch(spark, uri, "r1", 1, trialRows("r1", 3, 5), epochRows("r1", 3, 5));
    assertEquals(1, ResultTables.lastBatch(spark, uri, "r1"));
    // the same batches again (a retried commit, a driver that resumed): no new rows
    ResultTables.commitBatch(spark, uri, "r1", 0, trialRows("r1", 0, 3), epochRows("r1", 0, 3));
    ResultTables.commitBatch(spark, uri, "r1", 1, trialRows("r1", 3, 5), epochRows("r1", 3, 5));
    assertEquals(5, count(spark, uri, "trials", "r1"));
    assertEquals(10, count(spark, uri, "epochs", "r1"));
    // another run's batch 0 is its own
    ResultTables.commitBatch(spark, uri, "r2", 0, trialRows("r2", 0, 2), epochRows("r2", 0, 2));
    assertEquals(2, count(spark, uri, "trials", "r2"));
    assertEquals(1, ResultTables.lastBatch(spark, uri, "r1"));
  }

  @Test
  void concurrentBlindAppendsOfTwoRunsNeverConflict() throws Exception {
    String uri = Sessions.warehouseUri(tmp.resolve("c").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (String run : List.of("a", "b")) {
        done.add(
            pool.submit(
                () -> {
                  for (int batch = 0; batch < 5; batch++) {
                    int from = batch * 2;
                    ResultTables.commitBatch(
                        spark,
                        uri,
                        run,
                        batch,
                        trialRows(run, from, from + 2),
                        epochRows(run, from, from + 2));
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get(); // an exception here would be a write conflict
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(10, count(spark, uri, "trials", "a"));
    assertEquals(10, count(spark, uri, "trials", "b"));
    assertEquals(20, count(spark, uri, "epochs", "b"));
  }

  @Test
  void aPlainSessionReadsTheTablesByPathAndThroughTheCatalogFile() throws Exception {
    Path w = tmp.resolve("p");
    String uri = Sessions.warehouseUri(w.toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    ResultTables.commitBatch(spark, uri, "p1", 0, trialRows("p1", 0, 4), epochRows("p1", 0, 4));
    // a session's own SQL, by path, with no sparksweep code involved:
    assertEquals(
        4L,
        spark
            .sql("SELECT count(*) FROM delta.`" + w.resolve("trials") + "` WHERE run_id = 'p1'")
            .first()
            .getLong(0));
    String catalog = Files.readString(w.resolve(ResultTables.CATALOG_FILE));
    for (String statement : catalog.split(";\n")) {
      if (statement.contains("CREATE")) {
        spark.sql(statement.substring(statement.indexOf("CREATE")));
      }
    }
    Row best =
        spark
            .sql(
                "SELECT max(best_val_acc), count(*) FROM epochs e JOIN trials t"
                    + " USING (run_id, trial_key, repeat)")
            .first();
    assertEquals(8L, best.getLong(1));
    assertEquals(0.3, best.getDouble(0), 1e-12);
  }

  @Test
  void theOldParquetFormatIsRefusedWithWhatToDo() throws Exception {
    Path w = tmp.resolve("old");
    Files.createDirectories(w.resolve("trials"));
    Files.write(w.resolve("trials").resolve("r_0123456789abcdef_r0.parquet"), new byte[] {1});
    String uri = Sessions.warehouseUri(w.toString());
    SparkSession spark = LocalSpark.session(Sessions.warehouseUri(tmp.resolve("x").toString()));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Sessions.registerTables(spark, uri));
    assertTrue(e.getMessage().contains("old Parquet format"), e.getMessage());
    assertTrue(e.getMessage().contains("move its trials/ and epochs/"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"), e.getMessage());
  }
}
