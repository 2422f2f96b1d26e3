package io.sparksweep.spark;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one {@link SearchJob} run.
 *
 * @param warehouse warehouse folder or URI of the results tables (see {@link
 *     Sessions#warehouseUri}); the driver writes each trial's Parquet files there, and whoever
 *     queries the tables (executors included) must reach it
 * @param runsDir folder or URI of the runs' state ({@link RunStore}: {@code
 *     <runsDir>/<runId>/run.json}, its lease, {@code models/<key>.npz}), on any Hadoop file system;
 *     null for {@code <warehouse>/runs} ({@link #runsUri()})
 * @param topK how many of the best OK trials get their model saved (≥ 0)
 * @param runId the run's id; null for a fresh one ({@link SearchJob#newRunId()})
 * @param heartbeat how often to report progress when no trial finishes (&gt; 0)
 * @param listener progress receiver
 */
public record SearchOptions(
    String warehouse,
    String runsDir,
    int topK,
    String runId,
    Duration heartbeat,
    SearchListener listener) {

  /** Default number of saved models. */
  public static final int DEFAULT_TOP_K = 3;

  /** Validates every setting, naming the bad one. */
  public SearchOptions {
    Objects.requireNonNull(warehouse, "warehouse");
    Objects.requireNonNull(heartbeat, "heartbeat");
    Objects.requireNonNull(listener, "listener");
    if (topK < 0) {
      throw new IllegalArgumentException("topK is " + topK + ", expected ≥ 0");
    }
    if (heartbeat.isNegative() || heartbeat.isZero()) {
      throw new IllegalArgumentException("heartbeat is " + heartbeat + ", expected > 0");
    }
    if (runId != null && !runId.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
      throw new IllegalArgumentException(
          "runId is '" + runId + "', expected letters, digits, '.', '_' or '-'");
    }
  }

  /**
   * Defaults: warehouse {@code warehouse}, runs folder {@code warehouse/runs}, top 3, fresh run id,
   * 30 s heartbeat, no listener.
   */
  public static SearchOptions defaults() {
    return new SearchOptions(
        Sessions.DEFAULT_WAREHOUSE,
        null,
        DEFAULT_TOP_K,
        null,
        Duration.ofSeconds(30),
        SearchListener.NONE);
  }

  /** A copy with another warehouse. */
  public SearchOptions withWarehouse(String warehouse) {
    return new SearchOptions(warehouse, runsDir, topK, runId, heartbeat, listener);
  }

  /** The runs folder as a URI: {@code runsDir}, or {@code <warehouse>/runs} when that is null. */
  public String runsUri() {
    return runsDir != null ? Sessions.warehouseUri(runsDir) : RunStore.defaultLocation(warehouse);
  }

  /** A copy with another runs folder (a local path). */
  public SearchOptions withRunsDir(java.nio.file.Path runsDir) {
    return withRunsDir(runsDir.toAbsolutePath().toString());
  }

  /** A copy with another runs folder or URI (null: {@code <warehouse>/runs}). */
  public SearchOptions withRunsDir(String runsDir) {
    return new SearchOptions(warehouse, runsDir, topK, runId, heartbeat, listener);
  }

  /** A copy with another number of saved models. */
  public SearchOptions withTopK(int topK) {
    return new SearchOptions(warehouse, runsDir, topK, runId, heartbeat, listener);
  }

  /** A copy with a fixed run id (null: a fresh one). */
  public SearchOptions withRunId(String runId) {
    return new SearchOptions(warehouse, runsDir, topK, runId, heartbeat, listener);
  }

  /** A copy with another heartbeat interval. */
  public SearchOptions withHeartbeat(Duration heartbeat) {
    return new SearchOptions(warehouse, runsDir, topK, runId, heartbeat, listener);
  }

  /** A copy with another listener. */
  public SearchOptions withListener(SearchListener listener) {
    return new SearchOptions(warehouse, runsDir, topK, runId, heartbeat, listener);
  }
}
