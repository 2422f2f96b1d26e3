package io.sparksweep.spark;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Reads one run back from the {@code trials} and {@code epochs} tables as the records the rest of
 * sparksweep uses ({@link TrialSpec}, {@link TrialResult}), so that reports are built from the
 * tables alone, in a fresh JVM.
 */
public final class RunReader {
  private RunReader() {}

  /**
   * A trial as stored: its result (without model bytes) and the saved model file, if any.
   *
   * @param result spec, status, accuracies and learning curve
   * @param modelPath the trial's {@code .npz}, or null when it was not among the top-k
   */
  public record StoredTrial(TrialResult result, String modelPath) {}

  /** The most recently started run in the warehouse, or null when the tables are empty. */
  public static String latestRunId(SparkSession spark) {
    List<Row> rows =
        spark
            .sql(
                "SELECT run_id, max(started_at) AS s FROM trials GROUP BY run_id"
                    + " ORDER BY s DESC NULLS LAST, run_id DESC LIMIT 1")
            .collectAsList();
    return rows.isEmpty() ? null : rows.get(0).getString(0);
  }

  /**
   * The {@code rungs} rows of {@code runId} (an adaptive search's rung decisions), in rung order
   * (bracket, rung, trial_key, repeat); empty for a search without scheduler, or a warehouse
   * without that table. Read through Delta Kernel on this thread, like {@link #read}.
   */
  public static List<Row> rungs(SparkSession spark, String warehouse, String runId) {
    String uri = Sessions.warehouseUri(warehouse);
    List<Row> rows =
        new ArrayList<>(
            kernel(spark)
                .read(
                    ResultTables.location(uri, ResultTables.RUNGS_TABLE),
                    ResultTables.RUNGS,
                    TrialRows.RUN_ID,
                    runId));
    rows.sort(
        Comparator.comparingInt((Row r) -> r.<Integer>getAs("bracket"))
            .thenComparingInt(r -> r.<Integer>getAs("rung"))
            .thenComparing(r -> r.<String>getAs("trial_key"))
            .thenComparingInt(r -> r.<Integer>getAs("repeat")));
    return rows;
  }

  /**
   * Every trial of {@code runId}, in grid order (index, repeat). The rows are read through Delta
   * Kernel on this thread (no Spark job), so a fresh {@code report}, {@code runs show} or {@code
   * best} does not pay Spark SQL's and Delta's first-query start for them.
   *
   * @param spark the session (its Hadoop configuration reaches the warehouse's file system)
   * @param warehouse the warehouse folder or URI
   * @param runId the run
   * @throws IllegalArgumentException if the run has no rows, naming the runs that exist
   */
  public static List<StoredTrial> read(SparkSession spark, String warehouse, String runId) {
    String uri = Sessions.warehouseUri(warehouse);
    RunRows rows = rows(kernel(spark), uri, runId);
    if (rows.trials().isEmpty()) {
      List<String> known =
          spark
              .sql("SELECT DISTINCT run_id FROM trials ORDER BY run_id DESC LIMIT 10")
              .collectAsList()
              .stream()
              .map(r -> r.getString(0))
              .toList();
      throw new IllegalArgumentException(
          "run '"
              + runId
              + "' has no rows in the trials table; recent runs: "
              + (known.isEmpty() ? "(none)" : String.join(", ", known)));
    }
    List<StoredTrial> out = new ArrayList<>();
    for (Row r : rows.trials()) {
      TrialSpec spec = spec(r);
      out.add(rows.stored(spec, r));
    }
    out.sort(
        Comparator.comparingInt((StoredTrial t) -> t.result().spec().index())
            .thenComparingInt(t -> t.result().spec().repeat()));
    return out;
  }

  /**
   * One run's rows as read: its {@code trials} rows, and its {@code epochs} grouped by trial
   * ({@link ResultTables#trialId}), in the order read.
   *
   * @param trials the run's {@code trials} rows (a re-committed trial may appear twice)
   * @param curves each trial's epoch records
   */
  record RunRows(List<Row> trials, Map<String, List<EpochRecord>> curves) {
    /** A {@code trials} row and its curve (in epoch order) as a stored trial of {@code spec}. */
    StoredTrial stored(TrialSpec spec, Row row) {
      List<EpochRecord> curve =
          curves.getOrDefault(ResultTables.trialId(spec.key(), spec.repeat()), List.of()).stream()
              .sorted(Comparator.comparingInt(EpochRecord::epoch))
              .toList();
      return new StoredTrial(TrialRows.result(spec, row, curve), row.getAs(TrialRows.MODEL_PATH));
    }
  }

  /**
   * Run {@code runId}'s {@code trials} and {@code epochs} rows, read through Delta Kernel on this
   * thread (no Spark job: a fresh driver does not pay Spark SQL's and Delta's first-query start).
   * What {@link #read} (reports) and a resume ({@code ResultTables.readRun}) build on.
   */
  static RunRows rows(KernelCommits kernel, String warehouseUri, String runId) {
    List<Row> trials =
        kernel.read(
            ResultTables.location(warehouseUri, ResultTables.TRIALS_TABLE),
            TrialRows.TRIALS,
            TrialRows.RUN_ID,
            runId);
    Map<String, List<EpochRecord>> curves = new HashMap<>();
    for (Row e :
        kernel.read(
            ResultTables.location(warehouseUri, ResultTables.EPOCHS_TABLE),
            TrialRows.EPOCHS,
            TrialRows.RUN_ID,
            runId)) {
      String id = ResultTables.trialId(e);
      curves.computeIfAbsent(id, k -> new ArrayList<>()).add(TrialRows.epoch(e));
    }
    return new RunRows(trials, curves);
  }

  private static KernelCommits kernel(SparkSession spark) {
    return new KernelCommits(spark.sparkContext().hadoopConfiguration());
  }

  private static TrialSpec spec(Row r) {
    return TrialRows.spec(r);
  }
}
