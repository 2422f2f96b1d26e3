package io.sparksweep.search;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The outcome fields of a trial ({@link TrialResult} without its spec, learning curve and model),
 * each declared once: its snake_case column, SQL type, nullability and accessor. The tables' {@code
 * trials} columns after the hyperparameters, the read-back from the tables and the report's rows
 * all come from these constants.
 *
 * <p>Column form: NaN accuracies are SQL NULL (so {@code ORDER BY best_val_acc DESC} puts them
 * last; Spark orders NaN above every number), epoch-millis 0 is a NULL timestamp, the status is its
 * enum name.
 */
// The accessor functions are stateless method references; Error Prone cannot see that through
// Function.
@SuppressWarnings("ImmutableEnumChecker")
public enum ResultField {
  /** {@code OK}, {@code DIVERGED} or {@code FAILED}. */
  STATUS("status", SqlType.STRING, false, r -> r.status().name()),
  /** Error message (FAILED) or divergence description (DIVERGED); NULL when OK. */
  ERROR("error", SqlType.STRING, true, TrialResult::error),
  /** 1-based epoch where the loss became non-finite; 0 when it did not. */
  DIVERGED_EPOCH("diverged_epoch", SqlType.INT, false, TrialResult::divergedEpoch),
  /** Best validation accuracy at an epoch check. */
  BEST_VAL_ACC("best_val_acc", SqlType.DOUBLE, true, r -> nanToNull(r.bestValAcc())),
  /** Validation accuracy of the restored best parameters. */
  VAL_ACC("val_acc", SqlType.DOUBLE, true, r -> nanToNull(r.valAcc())),
  /** Test accuracy of the restored best parameters. */
  TEST_ACC("test_acc", SqlType.DOUBLE, true, r -> nanToNull(r.testAcc())),
  /** Training-subset accuracy at the last epoch check. */
  FINAL_TRAIN_ACC("final_train_acc", SqlType.DOUBLE, true, r -> nanToNull(r.finalTrainAcc())),
  /** Epochs completed. */
  EPOCHS_RUN("epochs_run", SqlType.INT, false, TrialResult::epochsRun),
  /** Wall time of training and evaluation, seconds. */
  TRAIN_SECONDS("train_seconds", SqlType.DOUBLE, false, TrialResult::trainSeconds),
  /** Where it ran (host and executor id). */
  EXECUTOR("executor", SqlType.STRING, true, TrialResult::executor),
  /** When it started. */
  STARTED_AT("started_at", SqlType.TIMESTAMP, true, r -> instantOrNull(r.startedAtMillis())),
  /** When it finished. */
  FINISHED_AT("finished_at", SqlType.TIMESTAMP, true, r -> instantOrNull(r.finishedAtMillis()));

  private final String column;
  private final SqlType type;
  private final boolean nullable;
  private final Function<TrialResult, Object> accessor;

  ResultField(
      String column, SqlType type, boolean nullable, Function<TrialResult, Object> accessor) {
    this.column = column;
    this.type = type;
    this.nullable = nullable;
    this.accessor = accessor;
  }

  /** The column name. */
  public String column() {
    return column;
  }

  /** The column's SQL type. */
  public SqlType type() {
    return type;
  }

  /** Whether the column may be NULL. */
  public boolean nullable() {
    return nullable;
  }

  /** The field of {@code result} in column form (see the class comment). */
  public Object toColumn(TrialResult result) {
    return accessor.apply(result);
  }

  /**
   * A result from its spec, its learning curve and its fields in column form (NULL accuracies
   * become NaN, a NULL timestamp 0), without model bytes: the inverse of {@link #toColumn}.
   *
   * @param spec the trial
   * @param columns every field's column value ({@link Instant} or {@link java.sql.Timestamp} for
   *     timestamps, any {@link Number} for numbers)
   * @param epochs the learning curve
   */
  public static TrialResult result(
      TrialSpec spec, Map<ResultField, Object> columns, List<EpochRecord> epochs) {
    return new TrialResult(
        spec,
        TrialStatus.valueOf((String) columns.get(STATUS)),
        (String) columns.get(ERROR),
        intOf(columns.get(DIVERGED_EPOCH)),
        doubleOf(columns.get(BEST_VAL_ACC)),
        doubleOf(columns.get(VAL_ACC)),
        doubleOf(columns.get(TEST_ACC)),
        doubleOf(columns.get(FINAL_TRAIN_ACC)),
        intOf(columns.get(EPOCHS_RUN)),
        doubleOf(columns.get(TRAIN_SECONDS)),
        (String) columns.get(EXECUTOR),
        millisOf(columns.get(STARTED_AT)),
        millisOf(columns.get(FINISHED_AT)),
        epochs,
        null);
  }

  private static Double nanToNull(double value) {
    return Double.isNaN(value) ? null : value;
  }

  private static Instant instantOrNull(long epochMillis) {
    return epochMillis == 0 ? null : Instant.ofEpochMilli(epochMillis);
  }

  private static int intOf(Object v) {
    return ((Number) v).intValue();
  }

  private static double doubleOf(Object v) {
    return v == null ? Double.NaN : ((Number) v).doubleValue();
  }

  // Spark hands TIMESTAMP columns over as java.sql.Timestamp (a java.util.Date) or Instant; only
  // the epoch millis are read.
  @SuppressWarnings("JavaUtilDate")
  private static long millisOf(Object v) {
    if (v == null) {
      return 0;
    }
    return v instanceof java.util.Date d ? d.getTime() : ((Instant) v).toEpochMilli();
  }
}
