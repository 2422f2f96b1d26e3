package io.sparksweep.spark;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The runs of a warehouse, summarised by one Spark SQL aggregation over the {@code trials} table
 * (the tables hold trials, not runs): for each {@code run_id}, when its first trial started and its
 * last finished, how many trials have each status and the best validation accuracy. Used by {@code
 * sparksweep runs}; reads nothing but the table.
 */
public final class RunCatalog {
  private RunCatalog() {}

  /**
   * One run as the {@code trials} table knows it.
   *
   * @param runId the run's id
   * @param started earliest {@code started_at} of its trials; null if none is recorded
   * @param finished latest {@code finished_at}; null if none is recorded
   * @param statusCounts recorded trials by status ({@code OK}, {@code DIVERGED}, …), in name order
   * @param bestValAcc highest {@code best_val_acc}; NaN if no trial has one
   */
  public record RunSummary(
      String runId,
      Instant started,
      Instant finished,
      Map<String, Long> statusCounts,
      double bestValAcc) {
    /** Copies the counts. */
    public RunSummary {
      Objects.requireNonNull(runId, "runId");
      statusCounts = java.util.Collections.unmodifiableMap(new TreeMap<>(statusCounts));
    }

    /** Trials recorded, any status. */
    public long trials() {
      return statusCounts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Trials recorded with {@code status}; 0 if none. */
    public long count(String status) {
      return statusCounts.getOrDefault(status, 0L);
    }
  }

  /**
   * Every run in the warehouse, most recently started first (runs without a start time last, then
   * by id, descending).
   *
   * @param spark a session with the tables registered ({@link Sessions})
   * @return the runs; empty when the table is empty
   */
  public static List<RunSummary> list(SparkSession spark) {
    return summaries(spark, null);
  }

  /**
   * One run's summary.
   *
   * @param spark a session with the tables registered
   * @param runId the run
   * @return its summary, or null when the table holds no trial of it
   */
  public static RunSummary summary(SparkSession spark, String runId) {
    Objects.requireNonNull(runId, "runId");
    List<RunSummary> one = summaries(spark, runId);
    return one.isEmpty() ? null : one.get(0);
  }

  private static List<RunSummary> summaries(SparkSession spark, String runId) {
    String where = runId == null ? "" : " WHERE run_id = '" + runId.replace("'", "''") + "'";
    List<Row> rows =
        spark
            .sql(
                "SELECT run_id, status, count(*) AS n, min(started_at) AS started,"
                    + " max(finished_at) AS finished, max(best_val_acc) AS best FROM "
                    + ResultTables.TRIALS_TABLE
                    + where
                    + " GROUP BY run_id, status")
            .collectAsList();
    Map<String, Builder> runs = new LinkedHashMap<>();
    for (Row r : rows) {
      Builder b = runs.computeIfAbsent(r.getString(0), Builder::new);
      b.counts.merge(r.getString(1), r.getLong(2), Long::sum);
      b.started = earlier(b.started, (Timestamp) r.get(3));
      b.finished = later(b.finished, (Timestamp) r.get(4));
      if (!r.isNullAt(5)) {
        double best = r.getDouble(5);
        if (Double.isNaN(b.best) || best > b.best) {
          b.best = best;
        }
      }
    }
    List<RunSummary> out = new ArrayList<>();
    for (Builder b : runs.values()) {
      out.add(
          new RunSummary(
              b.runId,
              b.started == null ? null : b.started.toInstant(),
              b.finished == null ? null : b.finished.toInstant(),
              b.counts,
              b.best));
    }
    out.sort(
        (x, y) -> {
          if (x.started() != null && y.started() != null && !x.started().equals(y.started())) {
            return y.started().compareTo(x.started());
          }
          if ((x.started() == null) != (y.started() == null)) {
            return x.started() == null ? 1 : -1;
          }
          return y.runId().compareTo(x.runId());
        });
    return out;
  }

  private static Timestamp earlier(Timestamp a, Timestamp b) {
    return a == null ? b : b == null || a.before(b) ? a : b;
  }

  private static Timestamp later(Timestamp a, Timestamp b) {
    return a == null ? b : b == null || a.after(b) ? a : b;
  }

  /** Accumulates one run's groups. */
  private static final class Builder {
    final String runId;
    final Map<String, Long> counts = new TreeMap<>();
    Timestamp started;
    Timestamp finished;
    double best = Double.NaN;

    Builder(String runId) {
      this.runId = runId;
    }
  }
}
