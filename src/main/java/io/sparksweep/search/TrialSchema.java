package io.sparksweep.search;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The one trial schema: the columns of a trial's row and of its learning curve's rows, in order,
 * built from the declarations ({@link #IDENTITY}, {@link GridAxis}, {@link ResultField}), and the
 * way back from column values to {@link TrialSpec} and {@link TrialResult}. The Spark codec maps
 * these columns to a {@code StructType} and rows; nothing else lists them.
 *
 * <p>{@code trials} columns: {@code trial_key, trial_index, repeat, seed}, every {@link GridAxis}
 * in order, every {@link ResultField} in order. {@code epochs} columns: {@code trial_key, repeat,
 * epoch, loss, train_acc, val_acc}. (Storage adds its own columns, such as {@code run_id}.)
 */
public final class TrialSchema {
  private TrialSchema() {}

  /**
   * A column of a table: its name, SQL type, nullability and how to read it (in column form, see
   * {@link GridAxis#toColumn} and {@link ResultField}) from the Java value {@code T}.
   *
   * @param <T> what a row is made from
   */
  public record Column<T>(String name, SqlType type, boolean nullable, Function<T, Object> value) {}

  /** {@code trial_key}: the trial's stable key. */
  public static final String TRIAL_KEY = "trial_key";

  /** {@code trial_index}: its position in the grid's expansion order. */
  public static final String TRIAL_INDEX = "trial_index";

  /** {@code repeat}: its repeat number. */
  public static final String REPEAT = "repeat";

  /** {@code seed}: its seed. */
  public static final String SEED = "seed";

  /** The identity columns of a trial, before its hyperparameters. */
  public static final List<Column<TrialSpec>> IDENTITY =
      List.of(
          new Column<>(TRIAL_KEY, SqlType.STRING, false, TrialSpec::key),
          new Column<>(TRIAL_INDEX, SqlType.INT, false, TrialSpec::index),
          new Column<>(REPEAT, SqlType.INT, false, TrialSpec::repeat),
          new Column<>(SEED, SqlType.BIGINT, false, TrialSpec::seed));

  /** Identity and hyperparameter columns: a {@link TrialSpec} as a row. */
  public static final List<Column<TrialSpec>> SPEC_COLUMNS = specColumns();

  /** Every column of a trial's row: {@link #SPEC_COLUMNS}, then its {@link ResultField}s. */
  public static final List<Column<TrialResult>> TRIAL_COLUMNS = trialColumns();

  /** One epoch of one trial's learning curve. */
  public record Epoch(TrialSpec spec, EpochRecord epoch) {}

  /** The columns of an epoch's row. */
  public static final List<Column<Epoch>> EPOCH_COLUMNS =
      List.of(
          new Column<>(TRIAL_KEY, SqlType.STRING, false, e -> e.spec().key()),
          new Column<>(REPEAT, SqlType.INT, false, e -> e.spec().repeat()),
          new Column<>("epoch", SqlType.INT, false, e -> e.epoch().epoch()),
          new Column<>("loss", SqlType.DOUBLE, false, e -> e.epoch().loss()),
          new Column<>("train_acc", SqlType.DOUBLE, false, e -> e.epoch().trainAcc()),
          new Column<>("val_acc", SqlType.DOUBLE, false, e -> e.epoch().valAcc()));

  private static List<Column<TrialSpec>> specColumns() {
    List<Column<TrialSpec>> c = new ArrayList<>(IDENTITY);
    for (GridAxis a : GridAxis.values()) {
      c.add(
          new Column<>(
              a.id(),
              a.kind().sqlType(),
              a.kind() == GridAxis.Kind.CHOICE,
              s -> a.toColumn(a.get(s))));
    }
    return List.copyOf(c);
  }

  private static List<Column<TrialResult>> trialColumns() {
    List<Column<TrialResult>> c = new ArrayList<>();
    for (Column<TrialSpec> s : SPEC_COLUMNS) {
      c.add(new Column<>(s.name(), s.type(), s.nullable(), r -> s.value().apply(r.spec())));
    }
    for (ResultField f : ResultField.values()) {
      c.add(new Column<>(f.column(), f.type(), f.nullable(), f::toColumn));
    }
    return List.copyOf(c);
  }

  /**
   * A spec from its columns (by name): the inverse of {@link #SPEC_COLUMNS}.
   *
   * @param column a column's value by name
   * @throws IllegalArgumentException if a value does not fit its column
   */
  public static TrialSpec spec(Function<String, Object> column) {
    Map<GridAxis, Object> values = new EnumMap<>(GridAxis.class);
    for (GridAxis a : GridAxis.values()) {
      values.put(a, a.fromColumn(column.apply(a.id())));
    }
    return TrialSpec.of(
        (String) column.apply(TRIAL_KEY),
        ((Number) column.apply(TRIAL_INDEX)).intValue(),
        ((Number) column.apply(REPEAT)).intValue(),
        ((Number) column.apply(SEED)).longValue(),
        values);
  }

  /**
   * A result from its row's columns (by name) and its learning curve: the inverse of {@link
   * #TRIAL_COLUMNS}, without model bytes.
   *
   * @param spec the trial's spec (e.g. {@link #spec} of the same row, or the run's manifest)
   * @param column a column's value by name
   * @param epochs the learning curve, in epoch order
   */
  public static TrialResult result(
      TrialSpec spec, Function<String, Object> column, List<EpochRecord> epochs) {
    Map<ResultField, Object> values = new EnumMap<>(ResultField.class);
    for (ResultField f : ResultField.values()) {
      values.put(f, column.apply(f.column()));
    }
    return ResultField.result(spec, values, epochs);
  }

  /** An epoch record from its row's columns (by name). */
  public static EpochRecord epoch(Function<String, Object> column) {
    return new EpochRecord(
        ((Number) column.apply("epoch")).intValue(),
        ((Number) column.apply("loss")).doubleValue(),
        ((Number) column.apply("train_acc")).doubleValue(),
        ((Number) column.apply("val_acc")).doubleValue());
  }
}
