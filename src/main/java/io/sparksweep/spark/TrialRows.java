package io.sparksweep.spark;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.SqlType;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSchema;
import io.sparksweep.search.TrialSchema.Column;
import io.sparksweep.search.TrialSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The one codec between the trial schema ({@link TrialSchema}: identity, every hyperparameter,
 * every result field) and Spark {@link Row}s: the tables' {@link StructType}s, rows for writing and
 * specs/results read back. Storage adds {@code run_id} first and, on {@code trials}, {@code
 * model_path} last. Schemas are explicit (no {@code Encoders.bean}, which fails on records);
 * columns are snake_case.
 */
public final class TrialRows {
  /** {@code run_id}: the search run a row belongs to (the tables' partition column). */
  public static final String RUN_ID = "run_id";

  /** {@code model_path}: the saved model of a top-k trial (a URI), else NULL. */
  public static final String MODEL_PATH = "model_path";

  /**
   * Schema of {@code trials}: run_id, trial_key, trial_index, repeat, seed, every hyperparameter
   * ({@link io.sparksweep.search.GridAxis} order: model, hidden_dims (array&lt;int&gt;),
   * num_filters, filter_size, update_rule, learning_rate, weight_scale, dropout_keep_ratio,
   * normalization, reg, batch_size, num_epochs, lr_decay, num_train), every result field ({@link
   * io.sparksweep.search.ResultField} order: status, error, diverged_epoch, best_val_acc, val_acc,
   * test_acc, final_train_acc (NULL where the result holds NaN), epochs_run, train_seconds,
   * executor, started_at, finished_at), model_path.
   */
  public static final StructType TRIALS = trialsSchema();

  /**
   * Schema of {@code epochs}: run_id, trial_key, repeat, epoch (1-based), loss, train_acc, val_acc.
   * {@code (run_id, trial_key, repeat)} joins to {@code trials}.
   */
  public static final StructType EPOCHS = schema(TrialSchema.EPOCH_COLUMNS, List.of());

  private static final StructField RUN_ID_FIELD =
      DataTypes.createStructField(RUN_ID, DataTypes.StringType, false);

  private TrialRows() {}

  private static StructType trialsSchema() {
    return schema(
        TrialSchema.TRIAL_COLUMNS,
        List.of(DataTypes.createStructField(MODEL_PATH, DataTypes.StringType, true)));
  }

  private static <T> StructType schema(List<Column<T>> columns, List<StructField> after) {
    List<StructField> fields = new ArrayList<>();
    fields.add(DataTypes.createStructField(RUN_ID, DataTypes.StringType, false));
    for (Column<T> c : columns) {
      fields.add(DataTypes.createStructField(c.name(), type(c.type()), c.nullable()));
    }
    fields.addAll(after);
    return DataTypes.createStructType(fields);
  }

  /** The Spark type of a schema type. */
  static DataType type(SqlType t) {
    return switch (t) {
      case STRING -> DataTypes.StringType;
      case INT -> DataTypes.IntegerType;
      case BIGINT -> DataTypes.LongType;
      case DOUBLE -> DataTypes.DoubleType;
      case TIMESTAMP -> DataTypes.TimestampType;
      case INT_ARRAY -> DataTypes.createArrayType(DataTypes.IntegerType, false);
    };
  }

  /** A column value as a row holds it: a list of ints as {@code int[]} (Row.json reads it). */
  private static Object toRowValue(SqlType t, Object v) {
    if (v != null && t == SqlType.INT_ARRAY) {
      return ((List<?>) v).stream().mapToInt(x -> (Integer) x).toArray();
    }
    return v;
  }

  private static <T> Object[] values(List<Column<T>> columns, T value, int extra) {
    Object[] out = new Object[columns.size() + 1 + extra];
    for (int i = 0; i < columns.size(); i++) {
      Column<T> c = columns.get(i);
      out[i + 1] = toRowValue(c.type(), c.value().apply(value));
    }
    return out;
  }

  /**
   * The {@code trials} row of one result.
   *
   * @param runId the search run
   * @param result the trial's result (its spec is the provenance)
   * @param modelPath where its best parameters were saved, or null
   * @return a row with schema {@link #TRIALS}
   */
  public static Row trialRow(String runId, TrialResult result, String modelPath) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(result, "result");
    Object[] v = values(TrialSchema.TRIAL_COLUMNS, result, 1);
    v[0] = runId;
    v[v.length - 1] = modelPath;
    return new GenericRowWithSchema(v, TRIALS);
  }

  /**
   * The {@code epochs} rows of one result, one per epoch record, in epoch order.
   *
   * @param runId the search run
   * @param result the trial's result
   * @return rows with schema {@link #EPOCHS}
   */
  public static List<Row> epochRows(String runId, TrialResult result) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(result, "result");
    List<Row> rows = new ArrayList<>(result.epochs().size());
    for (EpochRecord e : result.epochs()) {
      Object[] v = values(TrialSchema.EPOCH_COLUMNS, new TrialSchema.Epoch(result.spec(), e), 0);
      v[0] = runId;
      rows.add(new GenericRowWithSchema(v, EPOCHS));
    }
    return rows;
  }

  /** A row's columns by name, as {@link TrialSchema} reads them (arrays as Java lists). */
  private static Function<String, Object> columnsOf(Row r) {
    return name -> {
      int i = r.fieldIndex(name);
      if (r.isNullAt(i)) {
        return null;
      }
      Object v = r.get(i);
      if (v instanceof int[] a) {
        return java.util.Arrays.stream(a).boxed().toList();
      }
      if (v instanceof scala.collection.Seq<?>) {
        return r.getList(i);
      }
      return v;
    };
  }

  /** The spec a {@code trials} row describes (identity and hyperparameter columns). */
  public static TrialSpec spec(Row row) {
    return TrialSchema.spec(columnsOf(row));
  }

  /**
   * The result a {@code trials} row holds, without model bytes; SQL NULL accuracies become NaN.
   *
   * @param spec the trial's spec (the row's spec columns are not read back)
   * @param row a row with the columns of {@link #TRIALS}
   * @param epochs the trial's learning curve, in epoch order
   */
  public static TrialResult result(TrialSpec spec, Row row, List<EpochRecord> epochs) {
    return TrialSchema.result(spec, columnsOf(row), epochs);
  }

  /** The epoch record an {@code epochs} row holds. */
  public static EpochRecord epoch(Row row) {
    return TrialSchema.epoch(columnsOf(row));
  }

  /** The {@code run_id} field, for schemas that extend the tables' (e.g. {@code rungs}). */
  static StructField runIdField() {
    return RUN_ID_FIELD;
  }
}
