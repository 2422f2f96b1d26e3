package io.sparksweep.search;

import io.sparksweep.data.Cifar10Data;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs segments in this JVM, on a fixed pool of threads, through {@link TrialRunner#runSegment}
 * with checkpoints in a {@link CheckpointStore}: an adaptive search without Spark (tests, one
 * machine). Each thread records itself as the executor ({@code local-<n>}).
 */
public final class LocalSegmentExecutor implements SegmentExecutor, AutoCloseable {
  private final Cifar10Data data;
  private final CheckpointStore store;
  private final ExecutorService pool;

  /**
   * @param data the data set every trial trains on
   * @param store where checkpoints go
   * @param threads worker threads (≥ 1); give the driver as many slots
   */
  public LocalSegmentExecutor(Cifar10Data data, CheckpointStore store, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("local executor: threads must be >= 1, got " + threads);
    }
    this.data = data;
    this.store = store;
    AtomicInteger n = new AtomicInteger();
    ThreadFactory factory =
        r -> {
          Thread t = new Thread(r, "local-" + n.getAndIncrement());
          t.setDaemon(true);
          return t;
        };
    this.pool = Executors.newFixedThreadPool(threads, factory);
  }

  @Override
  public CompletionStage<SegmentResult> submit(SegmentTask task) {
    return CompletableFuture.supplyAsync(
        () -> TrialRunner.runSegment(task, data, store, Thread.currentThread().getName()), pool);
  }

  /** Stops the threads after the segments submitted so far. */
  @Override
  public void close() {
    pool.shutdown();
    try {
      if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
