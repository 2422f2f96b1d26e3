package io.sparksweep.spark;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The local-mode session the tests share (creating one costs seconds): {@code local[2]}, no UI.
 * Asking again with another warehouse re-registers the tables there.
 */
public final class LocalSpark {
  private LocalSpark() {}

  /** The JVM's local session (created if none is running) with the tables of {@code warehouse}. */
  public static synchronized SparkSession session(String warehouse) {
    return Sessions.builder()
        .master("local[2]")
        .appName("sparksweep-test")
        .warehouse(warehouse)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }

  /**
   * A run's {@code trials} rows by {@code trial_key/repeat}, read afresh (latest version) from the
   * Delta table under {@code warehouse}; fails if a trial has two rows.
   */
  public static Map<String, Row> trialRows(SparkSession spark, Path warehouse, String runId) {
    return table(spark, warehouse.toUri().toString(), ResultTables.TRIALS_TABLE)
        .where("run_id = '" + runId + "'")
        .collectAsList()
        .stream()
        .collect(
            Collectors.toMap(
                r -> r.<String>getAs("trial_key") + "/" + r.<Integer>getAs("repeat"),
                r -> r,
                (a, b) -> {
                  throw new AssertionError("two rows for one trial: " + a + " and " + b);
                },
                TreeMap::new));
  }

  /**
   * Whether a results table of a warehouse exists (its log holds a committed version), looked up on
   * the file system each time: Delta's cached {@code DeltaLog} of a path asked before the table
   * existed keeps saying "no table" until something updates it.
   */
  public static boolean hasTable(SparkSession spark, String warehouseUri, String table) {
    String location = ResultTables.location(Sessions.warehouseUri(warehouseUri), table);
    try {
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
      return ResultTables.isDelta(
          p.getFileSystem(spark.sparkContext().hadoopConfiguration()), location);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * One results table of a warehouse (any URI: file:, hdfs:), read afresh (its latest Delta
   * version) by path. The one place tests read a table by location, so a change of table format
   * changes this method only.
   */
  public static org.apache.spark.sql.Dataset<Row> table(
      SparkSession spark, String warehouseUri, String table) {
    return spark
        .read()
        .format("delta")
        .load(ResultTables.location(Sessions.warehouseUri(warehouseUri), table));
  }

  /**
   * Runs {@code body} and returns its value with the number of Spark jobs started meanwhile
   * (counted by a listener, after the listener bus has delivered every event).
   */
  public static <T> java.util.Map.Entry<T, Integer> countingJobs(
      SparkSession spark, java.util.function.Supplier<T> body) throws Exception {
    java.util.concurrent.atomic.AtomicInteger jobs =
        new java.util.concurrent.atomic.AtomicInteger();
    org.apache.spark.scheduler.SparkListener counter =
        new org.apache.spark.scheduler.SparkListener() {
          @Override
          public void onJobStart(org.apache.spark.scheduler.SparkListenerJobStart start) {
            jobs.incrementAndGet();
          }
        };
    spark.sparkContext().addSparkListener(counter);
    T value;
    try {
      value = body.get();
      spark.sparkContext().listenerBus().waitUntilEmpty();
    } finally {
      spark.sparkContext().removeSparkListener(counter);
    }
    return java.util.Map.entry(value, jobs.get());
  }
}
