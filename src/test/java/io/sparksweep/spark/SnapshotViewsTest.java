package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reading session's views ({@link Sessions#registerSnapshotTables}: the Parquet files of each
 * table's latest snapshot, listed by Kernel) against the oracle of Spark's own Delta reader: the
 * same rows and columns after several commits and an {@code OPTIMIZE} (whose replaced files stay on
 * disk), a snapshot that later commits do not change until the views are made again, and Delta's
 * own view where plain Parquet would misread the table (a deletion vector).
 */
class SnapshotViewsTest {
  @TempDir Path tmp;

  private static List<String> rows(SparkSession spark, String source) {
    return spark.sql("SELECT * FROM " + source).collectAsList().stream()
        .map(Row::toString)
        .sorted()
        .toList();
  }

  /**
   * A batch of trials {@code from … to − 1} of a run and their epochs, committed as a search does.
   */
  private static void commit(
      SparkSession spark, String uri, String run, int batch, int from, int to) {
    commit(spark, uri, run, batch, from, to, from, to);
  }

  private static void commit(
      SparkSession spark, String uri, String run, int batch, int from, int to, int eFrom, int eTo) {
    ResultTables.commitBatch(
        spark,
        uri,
        run,
        batch,
        DeltaTablesTest.trialRows(run, from, to),
        DeltaTablesTest.epochRows(run, eFrom, eTo));
  }

  private static String plan(SparkSession spark, String view) {
    return spark.table(view).queryExecution().executedPlan().toString();
  }

  private static String delta(String uri, String table) {
    return "delta.`" + ResultTables.location(uri, table) + "`";
  }

  @Test
  void theViewsReadWhatDeltaReadsAndKeepTheirSnapshotUntilMadeAgain() {
    String uri = Sessions.warehouseUri(tmp.resolve("w").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    commit(spark, uri, "r1", 0, 0, 3);
    commit(spark, uri, "r1", 1, 3, 5);
    commit(spark, uri, "r2", 0, 0, 2);
    spark.sql("OPTIMIZE " + delta(uri, ResultTables.TRIALS_TABLE));

    Sessions.registerSnapshotTables(spark, uri);
    for (String table : List.of(ResultTables.TRIALS_TABLE, "epochs")) {
      List<String> oracle = rows(spark, delta(uri, table));
      assertFalse(oracle.isEmpty(), table);
      assertEquals(oracle, rows(spark, table), table + ": the rows Delta reads");
      assertEquals(
          Arrays.asList(spark.sql("SELECT * FROM " + delta(uri, table)).columns()),
          Arrays.asList(spark.table(table).columns()),
          table + ": the columns in the table's order");
    }
    assertEquals(7L, spark.table(ResultTables.TRIALS_TABLE).count(), "no replaced file read");
    assertTrue(plan(spark, "trials").contains("InMemoryFileIndex"), "a plain Parquet scan");
    assertEquals(0L, spark.table("rungs").count(), "a table without rows");

    commit(spark, uri, "r2", 1, 2, 4);
    assertEquals(7L, spark.table("trials").count(), "the views' snapshot");
    Sessions.registerSnapshotTables(spark, uri);
    assertEquals(9L, spark.table("trials").count(), "made again: the latest snapshot");
    assertEquals(rows(spark, delta(uri, "trials")), rows(spark, "trials"));
  }

  @Test
  void aTableWithADeletionVectorIsReadThroughDelta() {
    String uri = Sessions.warehouseUri(tmp.resolve("dv").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    commit(spark, uri, "r1", 0, 0, 8, 0, 2);
    String trials = delta(uri, "trials");
    spark.sql(
        "ALTER TABLE " + trials + " SET TBLPROPERTIES ('delta.enableDeletionVectors' = true)");
    spark.sql("DELETE FROM " + trials + " WHERE trial_index = 5");

    Sessions.registerSnapshotTables(spark, uri);
    assertEquals(7L, spark.table("trials").count(), "the deleted row stays deleted");
    assertFalse(plan(spark, "trials").contains("InMemoryFileIndex"), "Delta's scan");
    assertTrue(plan(spark, "epochs").contains("InMemoryFileIndex"), "epochs has no DV");
    assertEquals(rows(spark, trials), rows(spark, "trials"));
    assertEquals(rows(spark, delta(uri, "epochs")), rows(spark, "epochs"));
  }

  @Test
  void aFileIsPlainOnlyInTheFoldersOfItsPartitionValues() {
    List<String> p = List.of("run_id");
    assertTrue(
        KernelCommits.inPartitionFolders(
            "file:/w/trials/run_id=20261204-1849-a3f9/part-0.parquet",
            p,
            Map.of("run_id", "20261204-1849-a3f9")));
    assertFalse(
        KernelCommits.inPartitionFolders(
            "file:/w/trials/run_id=b/part-0.parquet", p, Map.of("run_id", "a")),
        "another folder's value");
    assertFalse(
        KernelCommits.inPartitionFolders(
            "file:/w/trials/ab/part-0.parquet", p, Map.of("run_id", "ab")),
        "no partition folder (e.g. random prefixes)");
    assertFalse(
        KernelCommits.inPartitionFolders(
            "file:/w/trials/run_id=a%20b/part-0.parquet", p, Map.of("run_id", "a b")),
        "a value that needs escaping");
    assertTrue(KernelCommits.inPartitionFolders("file:/w/t/part-0.parquet", List.of(), Map.of()));
  }
}
