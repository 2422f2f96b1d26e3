package io.sparksweep.spark;

import static org.apache.spark.sql.functions.col;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.sql.Timestamp;
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
   * Every trial of {@code runId}, in grid order (index, repeat).
   *
   * @throws IllegalArgumentException if the run has no rows, naming the runs that exist
   */
  public static List<StoredTrial> read(SparkSession spark, String runId) {
    List<Row> trials =
        spark.table(ResultTables.TRIALS_TABLE).filter(col("run_id").equalTo(runId)).collectAsList();
    if (trials.isEmpty()) {
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
    Map<String, List<EpochRecord>> curves = new HashMap<>();
    for (Row e :
        spark
            .table(ResultTables.EPOCHS_TABLE)
            .filter(col("run_id").equalTo(runId))
            .collectAsList()) {
      String id = e.getAs("trial_key") + "/" + e.<Integer>getAs("repeat");
      curves
          .computeIfAbsent(id, k -> new ArrayList<>())
          .add(
              new EpochRecord(
                  e.<Integer>getAs("epoch"),
                  e.<Double>getAs("loss"),
                  e.<Double>getAs("train_acc"),
                  e.<Double>getAs("val_acc")));
    }
    List<StoredTrial> out = new ArrayList<>();
    for (Row r : trials) {
      TrialSpec spec = spec(r);
      List<EpochRecord> epochs =
          curves.getOrDefault(spec.key() + "/" + spec.repeat(), List.of()).stream()
              .sorted(Comparator.comparingInt(EpochRecord::epoch))
              .toList();
      TrialResult result =
          new TrialResult(
              spec,
              TrialStatus.valueOf(r.getAs("status")),
              r.getAs("error"),
              r.<Integer>getAs("diverged_epoch"),
              number(r, "best_val_acc"),
              number(r, "val_acc"),
              number(r, "test_acc"),
              number(r, "final_train_acc"),
              r.<Integer>getAs("epochs_run"),
              r.<Double>getAs("train_seconds"),
              r.getAs("executor"),
              millis(r, "started_at"),
              millis(r, "finished_at"),
              epochs,
              null);
      out.add(new StoredTrial(result, r.getAs("model_path")));
    }
    out.sort(
        Comparator.comparingInt((StoredTrial t) -> t.result().spec().index())
            .thenComparingInt(t -> t.result().spec().repeat()));
    return out;
  }

  private static TrialSpec spec(Row r) {
    List<Integer> hidden = r.getList(r.fieldIndex("hidden_dims"));
    String rule = r.getAs("update_rule");
    String norm = r.getAs("normalization");
    return new TrialSpec(
        r.getAs("trial_key"),
        r.<Integer>getAs("trial_index"),
        r.<Integer>getAs("repeat"),
        r.<Long>getAs("seed"),
        ModelKind.parse(r.<String>getAs("model")),
        hidden,
        r.<Integer>getAs("num_filters"),
        r.<Integer>getAs("filter_size"),
        rule == null ? null : UpdateRule.parse(rule),
        r.<Double>getAs("learning_rate"),
        r.<Double>getAs("weight_scale"),
        r.<Double>getAs("dropout_keep_ratio"),
        norm == null ? null : Normalization.parse(norm),
        r.<Double>getAs("reg"),
        r.<Integer>getAs("batch_size"),
        r.<Integer>getAs("num_epochs"),
        r.<Double>getAs("lr_decay"),
        r.<Integer>getAs("num_train"));
  }

  private static double number(Row r, String column) {
    Object v = r.getAs(column);
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  private static long millis(Row r, String column) {
    Timestamp t = r.getAs(column);
    return t == null ? 0 : t.getTime();
  }
}
