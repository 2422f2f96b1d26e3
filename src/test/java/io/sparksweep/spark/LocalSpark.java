package io.sparksweep.spark;

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
}
