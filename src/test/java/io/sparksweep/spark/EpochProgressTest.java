package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.CollectionAccumulator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running task's epochs reach the driver through executor heartbeats, before the task ends
 * ({@link EpochProgress}), and leave it when the task ends.
 */
class EpochProgressTest {
  /** Lets the task in the test end (local mode: the task runs in this JVM). */
  private static volatile boolean release;

  @Test
  void aRunningTasksLatestEpochIsSeenAndForgottenWhenItEnds(@TempDir Path tmp) throws Exception {
    SparkSession spark = LocalSpark.session(tmp.resolve("warehouse").toString());
    EpochProgress progress = EpochProgress.register(spark.sparkContext());
    try {
      CollectionAccumulator<String> acc = progress.accumulator();
      String first = EpochProgress.entry("k1", 0, 1, 3);
      String second = EpochProgress.entry("k1", 0, 2, 3);
      release = false;
      JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
      CompletableFuture<Void> job =
          CompletableFuture.runAsync(
              () ->
                  jsc.parallelize(List.of(1), 1)
                      .foreach(
                          x -> {
                            acc.add(first);
                            acc.add(second);
                            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                            while (!release && System.nanoTime() < deadline) {
                              Thread.sleep(50);
                            }
                          }));
      // Heartbeats come every spark.executor.heartbeatInterval (10 s); wait for a few.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
      while (progress.running().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      List<String> seen = progress.running();
      release = true;
      job.get(120, TimeUnit.SECONDS);
      assertEquals(List.of(second), seen, "the latest epoch of the running task");
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!progress.running().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(50);
      }
      assertTrue(progress.running().isEmpty(), "forgotten once the task ended");
      assertEquals("k1/r0 2/3", second);
    } finally {
      release = true;
      progress.close();
    }
  }
}
