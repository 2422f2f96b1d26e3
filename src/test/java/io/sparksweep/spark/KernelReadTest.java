package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.TrialSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume's read-back through Delta Kernel ({@link KernelCommits#read}) against the oracle of
 * Spark's own Delta reader, on tables Spark's Delta wrote (several commits, two partitions, a
 * deletion vector, NULLs, timestamps and arrays), and without a Spark job.
 */
class KernelReadTest {
  @TempDir Path tmp;

  /** A row as comparable text: arrays as lists, timestamps as instants, in the schema's order. */
  private static String text(Row r, StructType schema) {
    List<String> cells = new ArrayList<>();
    for (String name : schema.fieldNames()) {
      Object v = r.get(r.fieldIndex(name));
      if (v instanceof int[] a) {
        v = Arrays.toString(a);
      } else if (v instanceof scala.collection.Seq<?>) {
        v = r.getList(r.fieldIndex(name)).toString();
      } else if (v instanceof java.sql.Timestamp t) {
        v = t.toInstant();
      }
      cells.add(name + "=" + v);
    }
    return String.join(", ", cells);
  }

  private static List<String> sortedText(List<Row> rows, StructType schema) {
    return rows.stream().map(r -> text(r, schema)).sorted().toList();
  }

  private static void write(SparkSession spark, List<Row> rows, StructType schema, String dir) {
    spark
        .createDataFrame(rows, schema)
        .write()
        .format("delta")
        .mode("append")
        .partitionBy(TrialRows.RUN_ID)
        .save(dir);
  }

  @Test
  void readsWhatSparksDeltaReaderReadsFromOnePartition() {
    String dir = tmp.resolve("t").toUri().toString();
    SparkSession spark = LocalSpark.session(tmp.resolve("w").toString());
    StructType schema = TrialRows.TRIALS;
    List<Row> first = new ArrayList<>(DeltaTablesTest.trialRows("a", 0, 4));
    first.addAll(DeltaTablesTest.trialRows("b", 0, 3));
    write(spark, first, schema, dir);
    List<Row> second = new ArrayList<>(DeltaTablesTest.trialRows("a", 4, 7));
    // a trial with a NULL accuracy and a model path, as a failed or a top-k trial has
    Object[] v = new Object[schema.size()];
    DeltaTablesTest.trialRows("a", 7, 8).get(0).toSeq().copyToArray(v);
    v[schema.fieldIndex("best_val_acc")] = null;
    v[schema.fieldIndex(TrialRows.MODEL_PATH)] = "hdfs://nn/w/runs/a/models/t7.npz";
    second.add(new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(v, schema));
    write(spark, second, schema, dir);
    spark.sql(
        "ALTER TABLE delta.`" + dir + "` SET TBLPROPERTIES ('delta.enableDeletionVectors' = true)");
    spark.sql("DELETE FROM delta.`" + dir + "` WHERE run_id = 'a' AND trial_index = 5");

    List<Row> oracle = spark.read().format("delta").load(dir).where("run_id = 'a'").collectAsList();
    KernelCommits kernel = new KernelCommits(spark.sparkContext().hadoopConfiguration());
    List<Row> read = kernel.read(dir, schema, TrialRows.RUN_ID, "a");

    assertEquals(7, oracle.size(), "8 rows of run a, one deleted");
    assertEquals(sortedText(oracle, schema), sortedText(read, schema));
    // and the rows are what the rest of sparksweep reads: specs and results come back
    for (Row r : read) {
      TrialSpec spec = TrialRows.spec(r);
      assertNotEquals(5, spec.index(), "the deleted row is not read back");
      assertEquals(DeltaTablesTest.result(spec.index(), 0).spec(), spec);
      double best = TrialRows.result(spec, r, List.of()).bestValAcc();
      assertEquals(spec.index() == 7 ? Double.NaN : 0.1 * spec.index(), best, 1e-12);
    }
    assertEquals(3, kernel.read(dir, schema, TrialRows.RUN_ID, "b").size());
    assertEquals(List.of(), kernel.read(dir, schema, TrialRows.RUN_ID, "c"));
  }

  @Test
  void aMissingTableReadsAsEmptyAndAMissingColumnIsNamed() {
    String dir = tmp.resolve("m").toUri().toString();
    SparkSession spark = LocalSpark.session(tmp.resolve("w2").toString());
    KernelCommits kernel = new KernelCommits(spark.sparkContext().hadoopConfiguration());
    assertEquals(List.of(), kernel.read(dir, TrialRows.EPOCHS, TrialRows.RUN_ID, "a"));

    write(spark, DeltaTablesTest.epochRows("a", 0, 2), TrialRows.EPOCHS, dir);
    StructType more = TrialRows.EPOCHS.add("no_such_column", DataTypes.IntegerType);
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> kernel.read(dir, more, TrialRows.RUN_ID, "a"));
    assertTrue(e.getMessage().contains("no_such_column"), e.getMessage());
  }

  @Test
  void aResumesReadBackRunsNoSparkJob() throws Exception {
    String uri = Sessions.warehouseUri(tmp.resolve("r").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    ResultTables.commitBatch(
        spark,
        uri,
        "r1",
        0,
        DeltaTablesTest.trialRows("r1", 0, 3),
        DeltaTablesTest.epochRows("r1", 0, 3));
    List<TrialSpec> specs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      specs.add(DeltaTablesTest.result(i, 0.1 * i).spec());
    }
    Map.Entry<Map<String, RunReader.StoredTrial>, Integer> run =
        LocalSpark.countingJobs(spark, () -> ResultTables.readRun(spark, uri, "r1", specs));
    Map<String, RunReader.StoredTrial> stored = run.getKey();
    assertEquals(0, run.getValue(), "Spark jobs run by the read-back");
    assertEquals(3, stored.size());
    RunReader.StoredTrial t2 = stored.get(ResultTables.trialId(specs.get(2).key(), 0));
    assertEquals(DeltaTablesTest.result(2, 0.2).epochs(), t2.result().epochs());
    assertEquals(0.2, t2.result().bestValAcc(), 1e-12);
  }
}
