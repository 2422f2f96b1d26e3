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
   * A run's {@code trials} rows by {@code trial_key/repeat}, read afresh from the table's Parquet
   * folder under {@code warehouse}; fails if a trial has two rows.
   */
  public static Map<String, Row> trialRows(SparkSession spark, Path warehouse, String runId) {
    return spark
        .read()
        .schema(ResultTables.TRIALS)
        .parquet(warehouse.resolve(ResultTables.TRIALS_TABLE).toString())
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
   * One results table of a warehouse (any URI: file:, hdfs:), read afresh from its files. The one
   * place tests read a table by location, so a change of table format changes this method only.
   */
  public static org.apache.spark.sql.Dataset<Row> table(
      SparkSession spark, String warehouseUri, String table) {
    return spark
        .read()
        .schema(ResultTables.TABLES.get(table))
        .parquet(Sessions.warehouseUri(warehouseUri) + "/" + table);
  }
}
