package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.model.ModelKind;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One Parquet file per trial, written by the driver beside Spark ({@link ParquetFiles}, {@link
 * ResultTables#writeTrial}): Spark reads them exactly like the files it writes itself, a trial
 * written twice is one row, and unfinished files are invisible.
 */
class TrialFilesTest {
  @TempDir Path tmp;

  private static TrialResult result(
      TrialSpec spec, TrialStatus status, double acc, long started, String executor) {
    boolean ok = status == TrialStatus.OK;
    return new TrialResult(
        spec,
        status,
        ok ? null : "bad \"config\",\nsecond line",
        ok ? 0 : 2,
        acc,
        ok ? 0.51 : Double.NaN,
        0.49,
        0.6,
        2,
        12.5,
        executor,
        started,
        started == 0 ? 0 : started + 12_345,
        ok
            ? List.of(new EpochRecord(1, 1.9, 0.3, 0.31), new EpochRecord(2, 1.5, 0.4, 0.41))
            : List.of(new EpochRecord(1, 2.3, 0.1, 0.1), new EpochRecord(2, Double.NaN, 0, 0)),
        null);
  }

  private static List<TrialResult> results() {
    return List.of(
        result(
            TestTrials.spec(0, ModelKind.FC, 1e-3, 0.0),
            TrialStatus.OK,
            0.52,
            1_700_000_000_123L,
            "1@h"),
        result(
            TestTrials.spec(1, ModelKind.CNN, 5.0, 1e-4),
            TrialStatus.DIVERGED,
            Double.NaN,
            0,
            null));
  }

  private static List<Row> read(SparkSession spark, Path dir, StructType schema, String order) {
    String[] columns = order.split(",\\s*");
    return spark
        .read()
        .schema(schema)
        .parquet(dir.toString())
        .orderBy(columns[0], java.util.Arrays.copyOfRange(columns, 1, columns.length))
        .collectAsList();
  }

  @Test
  void sparkReadsTheDriversFilesExactlyLikeItsOwn() {
    SparkSession spark = LocalSpark.session(tmp.resolve("unused").toString());
    String ours = Sessions.warehouseUri(tmp.resolve("ours").toString());
    String sparks = Sessions.warehouseUri(tmp.resolve("sparks").toString());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    for (TrialResult r : results()) {
      ResultTables.writeTrial(conf, ours, "run-1", r, r.status() == TrialStatus.OK ? "/m" : null);
      ResultTables.append(
          spark,
          sparks,
          ResultTables.TRIALS_TABLE,
          List.of(ResultTables.trialRow("run-1", r, r.status() == TrialStatus.OK ? "/m" : null)));
      ResultTables.append(
          spark, sparks, ResultTables.EPOCHS_TABLE, ResultTables.epochRows("run-1", r));
    }
    for (String table : List.of("trials", "epochs")) {
      StructType schema = ResultTables.TABLES.get(table);
      String order = table.equals("trials") ? "trial_index" : "trial_key, epoch";
      List<Row> mine = read(spark, tmp.resolve("ours").resolve(table), schema, order);
      List<Row> theirs = read(spark, tmp.resolve("sparks").resolve(table), schema, order);
      assertEquals(table.equals("trials") ? 2 : 4, mine.size());
      assertEquals(theirs.toString(), mine.toString(), table);
      // Without a schema, Spark takes the file's own: the same as for a file Spark wrote.
      assertEquals(
          spark.read().parquet(tmp.resolve("sparks").resolve(table).toString()).schema(),
          spark.read().parquet(tmp.resolve("ours").resolve(table).toString()).schema());
    }
    Row diverged =
        read(spark, tmp.resolve("ours").resolve("trials"), ResultTables.TRIALS, "trial_index")
            .get(1);
    assertTrue(diverged.isNullAt(diverged.fieldIndex("best_val_acc")), "NaN accuracy is NULL");
    assertTrue(diverged.isNullAt(diverged.fieldIndex("started_at")));
    assertTrue(diverged.isNullAt(diverged.fieldIndex("executor")));
    assertEquals("bad \"config\",\nsecond line", diverged.getAs("error"));
    Row ok =
        read(spark, tmp.resolve("ours").resolve("trials"), ResultTables.TRIALS, "trial_index")
            .get(0);
    assertEquals(1_700_000_000_123L, ok.<java.sql.Timestamp>getAs("started_at").getTime());
    assertEquals(List.of(100, 50), ok.getList(ok.fieldIndex("hidden_dims")));
  }

  @Test
  void writingATrialAgainReplacesItsRows() throws Exception {
    SparkSession spark = LocalSpark.session(tmp.resolve("unused").toString());
    String warehouse = Sessions.warehouseUri(tmp.resolve("w").toString());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TrialSpec spec = TestTrials.spec(3, ModelKind.FC, 1e-3, 0.0);
    ResultTables.writeTrial(
        conf, warehouse, "r", result(spec, TrialStatus.OK, 0.5, 1, "1@a"), null);
    ResultTables.writeTrial(
        conf, warehouse, "r", result(spec, TrialStatus.OK, 0.5, 1, "2@b"), "/x");
    List<Row> trials = read(spark, tmp.resolve("w").resolve("trials"), ResultTables.TRIALS, "seed");
    assertEquals(1, trials.size());
    assertEquals("2@b", trials.get(0).getAs("executor"));
    assertEquals("/x", trials.get(0).getAs("model_path"));
    assertEquals(
        2, read(spark, tmp.resolve("w").resolve("epochs"), ResultTables.EPOCHS, "epoch").size());
    // A rerun without epochs (say it now fails at once) removes the earlier attempt's epochs.
    TrialResult noEpochs = TrialTask.failed(spec, "boom", "3@c", 1);
    ResultTables.writeTrial(conf, warehouse, "r", noEpochs, null);
    assertEquals(
        0, read(spark, tmp.resolve("w").resolve("epochs"), ResultTables.EPOCHS, "epoch").size());
    assertEquals(
        "FAILED",
        read(spark, tmp.resolve("w").resolve("trials"), ResultTables.TRIALS, "seed")
            .get(0)
            .getAs("status"));
    try (Stream<Path> files = Files.list(tmp.resolve("w").resolve("trials"))) {
      assertEquals(
          List.of(ResultTables.trialFileName("r", spec)),
          files.map(p -> p.getFileName().toString()).toList(),
          "one file per trial, no temporary files left");
    }
  }

  @Test
  void unfinishedFilesAreInvisibleToReaders() throws Exception {
    SparkSession spark = LocalSpark.session(tmp.resolve("unused").toString());
    String warehouse = Sessions.warehouseUri(tmp.resolve("w").toString());
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    TrialSpec spec = TestTrials.spec(0, ModelKind.FC, 1e-3, 0.0);
    ResultTables.writeTrial(
        conf, warehouse, "r", result(spec, TrialStatus.OK, 0.5, 1, "1@a"), null);
    Path trials = tmp.resolve("w").resolve("trials");
    // What a writer killed mid-write leaves behind: a partial file under its temporary name.
    byte[] whole = Files.readAllBytes(trials.resolve(ResultTables.trialFileName("r", spec)));
    Files.write(
        trials.resolve(".r_kdead_r0.parquet.0123.tmp"),
        java.util.Arrays.copyOf(whole, whole.length / 2));
    assertEquals(1, read(spark, trials, ResultTables.TRIALS, "seed").size());
  }

  @Test
  void aTrialDeliveredTwiceIsRecordedOnce() {
    SparkSession spark = LocalSpark.session(tmp.resolve("unused").toString());
    String warehouse = Sessions.warehouseUri(tmp.resolve("w").toString());
    RunWriter writer =
        new RunWriter(
            spark.sparkContext().hadoopConfiguration(),
            warehouse,
            "twice",
            new RunModels(
                RunStore.open(
                    spark.sparkContext().hadoopConfiguration(), tmp.resolve("runs").toString()),
                "twice"),
            1,
            List.of());
    TrialSpec spec = TestTrials.spec(0, ModelKind.FC, 1e-3, 0.0);
    TrialResult first = new FakeTrials(0).run(spec, TestTrials.randomData(10, 10, 1));
    assertTrue(writer.commit(first));
    assertFalse(writer.commit(first), "the same trial again is ignored");
    assertEquals(1, writer.recorded());
    assertEquals(
        1, read(spark, tmp.resolve("w").resolve("trials"), ResultTables.TRIALS, "seed").size());
    assertTrue(
        Files.isRegularFile(
            tmp.resolve("runs").resolve("twice").resolve("models").resolve(spec.key() + ".npz")),
        "the top-1 model is saved as soon as it arrives");
  }

  @Test
  void onlyTheColumnTypesOfTheTablesCanBeWritten() {
    StructType odd =
        new StructType(
            new StructField[] {
              new StructField(
                  "x",
                  org.apache.spark.sql.types.DataTypes.FloatType,
                  true,
                  org.apache.spark.sql.types.Metadata.empty())
            });
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> ParquetFiles.parquetSchema(odd));
    assertTrue(e.getMessage().contains("column x has type float"), e.getMessage());
    assertEquals(
        ResultTables.TRIALS.size(),
        ParquetFiles.parquetSchema(ResultTables.TRIALS).getFieldCount());
  }
}
