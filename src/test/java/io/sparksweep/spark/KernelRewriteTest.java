package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link KernelCommits#rewrite} (the top-k {@code model_path}s and a resume's orphan epochs),
 * judged by Spark's own Delta reader: the partition's rows change as asked in one commit, the files
 * without a changed row stay, other partitions are untouched, the same change twice commits once,
 * and no Spark job runs.
 */
class KernelRewriteTest {
  @TempDir Path tmp;

  private static void write(SparkSession spark, List<Row> rows, String dir) {
    spark
        .createDataFrame(rows, TrialRows.TRIALS)
        .coalesce(1)
        .write()
        .format("delta")
        .mode("append")
        .partitionBy(TrialRows.RUN_ID)
        .save(dir);
  }

  /** model_path by trial index of run {@code runId}, read by Spark's Delta reader. */
  private static Map<Integer, String> paths(SparkSession spark, String dir, String runId) {
    Map<Integer, String> out = new TreeMap<>();
    for (Row r :
        spark.read().format("delta").load(dir).where("run_id = '" + runId + "'").collectAsList()) {
      int index = r.getAs("trial_index");
      if (out.containsKey(index)) {
        throw new AssertionError("trial " + index + " of run " + runId + " is there twice");
      }
      out.put(index, r.getAs(TrialRows.MODEL_PATH));
    }
    return out;
  }

  private static Set<String> files(SparkSession spark, String dir, String runId) {
    return new HashSet<>(
        spark
            .read()
            .format("delta")
            .load(dir)
            .where("run_id = '" + runId + "'")
            .select(functions.input_file_name())
            .distinct()
            .as(org.apache.spark.sql.Encoders.STRING())
            .collectAsList());
  }

  private static long version(SparkSession spark, String dir) {
    return spark
        .sql("DESCRIBE HISTORY delta.`" + dir + "`")
        .agg(functions.max("version"))
        .head()
        .getLong(0);
  }

  private static String id(int index) {
    Row r = DeltaTablesTest.trialRows("x", index, index + 1).get(0);
    return ResultTables.trialId(r.getAs("trial_key"), r.<Integer>getAs("repeat"));
  }

  @Test
  void theModelPathsChangeInOneCommitThatRewritesOnlyTheFilesHoldingThem() {
    String uri = Sessions.warehouseUri(tmp.resolve("w").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    String dir = ResultTables.location(uri, ResultTables.TRIALS_TABLE);
    // run a in three files (trials 0-3, 4-6, 7-9), run b in one
    write(spark, DeltaTablesTest.trialRows("a", 0, 4), dir);
    write(spark, DeltaTablesTest.trialRows("a", 4, 7), dir);
    write(spark, DeltaTablesTest.trialRows("a", 7, 10), dir);
    write(spark, DeltaTablesTest.trialRows("b", 0, 5), dir);
    // trial 8 already holds a path that must be cleared
    ResultTables.setModelPaths(spark, uri, "a", Map.of(id(8), "file:/m/old8.npz"), () -> {});
    Set<String> before = files(spark, dir, "a");
    Map<Integer, String> bBefore = paths(spark, dir, "b");
    long v0 = version(spark, dir);

    AtomicInteger calls = new AtomicInteger();
    Map<String, String> top = Map.of(id(1), "file:/m/t1.npz", id(2), "hdfs://nn/m/t2.npz");
    int changed = ResultTables.setModelPaths(spark, uri, "a", top, calls::incrementAndGet);

    assertEquals(3, changed, "two paths set, one cleared");
    assertEquals(1, calls.get(), "the hook before the one commit");
    assertEquals(v0 + 1, version(spark, dir), "one commit");
    Map<Integer, String> expected = new TreeMap<>();
    for (int i = 0; i < 10; i++) {
      expected.put(i, null);
    }
    expected.put(1, "file:/m/t1.npz");
    expected.put(2, "hdfs://nn/m/t2.npz");
    assertEquals(expected, paths(spark, dir, "a"));
    assertEquals(bBefore, paths(spark, dir, "b"), "run b untouched");
    Set<String> after = files(spark, dir, "a");
    Set<String> kept = new HashSet<>(before);
    kept.retainAll(after);
    assertEquals(1, kept.size(), "the file of trials 4-6 stays; " + before + " -> " + after);
    assertEquals(3, after.size());

    // the same paths again: nothing to change, nothing committed, the hook not called
    assertEquals(0, ResultTables.setModelPaths(spark, uri, "a", top, calls::incrementAndGet));
    assertEquals(1, calls.get());
    assertEquals(v0 + 1, version(spark, dir));
  }

  @Test
  void rowsAreDeletedAndAFileLeftEmptyIsRemovedWithoutAReplacement() {
    String dir = tmp.resolve("t").toUri().toString();
    SparkSession spark = LocalSpark.session(tmp.resolve("w2").toString());
    write(spark, DeltaTablesTest.trialRows("a", 0, 2), dir);
    write(spark, DeltaTablesTest.trialRows("a", 2, 5), dir);
    KernelCommits kernel = new KernelCommits(spark.sparkContext().hadoopConfiguration());
    Set<Integer> gone = Set.of(0, 1, 3);
    int n =
        kernel.rewrite(
            dir,
            TrialRows.TRIALS,
            TrialRows.RUN_ID,
            "a",
            r -> gone.contains(r.<Integer>getAs("trial_index")) ? null : r,
            () -> {});
    assertEquals(3, n);
    assertEquals(List.of(2, 4), new ArrayList<>(paths(spark, dir, "a").keySet()));
    assertEquals(1, files(spark, dir, "a").size(), "the file of trials 0-1 is gone, not replaced");
    assertEquals(2, kernel.read(dir, TrialRows.TRIALS, TrialRows.RUN_ID, "a").size());
  }

  /**
   * A resume's read-back deletes the epochs of trials without a {@code trials} row (a driver died
   * between a batch's two appends) and keeps the others, as Spark's Delta reader sees.
   */
  @Test
  void aResumeDeletesTheEpochsOfTrialsWithoutARow() {
    String uri = Sessions.warehouseUri(tmp.resolve("o").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    // batch 0 complete (trials 0-1); batch 1's epochs (trials 2-3) committed, its trials not
    ResultTables.commitBatch(
        spark,
        uri,
        "r",
        0,
        DeltaTablesTest.trialRows("r", 0, 2),
        DeltaTablesTest.epochRows("r", 0, 2));
    ResultTables.commitBatch(spark, uri, "r", 1, List.of(), DeltaTablesTest.epochRows("r", 2, 4));
    ResultTables.commitBatch(
        spark, uri, "other", 0, List.of(), DeltaTablesTest.epochRows("other", 0, 1));
    List<io.sparksweep.search.TrialSpec> specs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      specs.add(DeltaTablesTest.result(i, 0.1 * i).spec());
    }
    String epochs = ResultTables.location(uri, ResultTables.EPOCHS_TABLE);
    long epochsOfOne = DeltaTablesTest.epochRows("r", 0, 1).size();

    assertEquals(2, ResultTables.readRun(spark, uri, "r", specs).size());

    List<Row> left =
        spark.read().format("delta").load(epochs).where("run_id = 'r'").collectAsList();
    assertEquals(
        Set.of(specs.get(0).key(), specs.get(1).key()),
        new HashSet<>(left.stream().map(r -> r.<String>getAs("trial_key")).toList()));
    assertEquals(2 * epochsOfOne, left.size());
    assertEquals(
        epochsOfOne,
        spark.read().format("delta").load(epochs).where("run_id = 'other'").count(),
        "another run's epochs stay");
  }

  @Test
  void aRewriteRunsNoSparkJobAndAMissingTableChangesNothing() throws Exception {
    String uri = Sessions.warehouseUri(tmp.resolve("j").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    ResultTables.commitBatch(spark, uri, "r1", 0, DeltaTablesTest.trialRows("r1", 0, 3), List.of());
    Map.Entry<Integer, Integer> run =
        LocalSpark.countingJobs(
            spark,
            () ->
                ResultTables.setModelPaths(spark, uri, "r1", Map.of(id(0), "file:/m/0"), () -> {}));
    int changed = run.getKey();
    assertEquals(1, changed);
    assertEquals(0, run.getValue(), "Spark jobs run by the rewrite");
    String dir = ResultTables.location(uri, ResultTables.TRIALS_TABLE);
    assertEquals("file:/m/0", paths(spark, dir, "r1").get(0));

    String missing = tmp.resolve("none").toUri().toString();
    KernelCommits kernel = new KernelCommits(spark.sparkContext().hadoopConfiguration());
    assertEquals(
        0, kernel.rewrite(missing, TrialRows.TRIALS, TrialRows.RUN_ID, "a", r -> null, () -> {}));
    assertFalse(java.nio.file.Files.exists(tmp.resolve("none")));
    assertTrue(kernel.read(missing, TrialRows.TRIALS, TrialRows.RUN_ID, "a").isEmpty());
  }
}
