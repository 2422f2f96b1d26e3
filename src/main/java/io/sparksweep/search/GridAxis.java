package io.sparksweep.search;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The hyperparameters of a trial, each declared once: its name (the key in grid files, the
 * snake_case column of the tables, the manifest's JSON field), its {@link Kind} (hence its Java and
 * SQL type), its default, its domain (what a grid file may set) and its accessor on {@link
 * TrialSpec}. The grid parser's axis domains, the expansion, the canonical key string, the tables'
 * columns, the run manifest, the read-back from the tables and the report all iterate over these
 * constants; none of them names a hyperparameter by hand.
 *
 * <p>The declaration order is the expansion order and the order of {@link TrialSpec}'s
 * hyperparameter components (a test checks both agree). {@link GridSpec} loops over the axes as
 * nested loops, the last ({@link #NUM_TRAIN}) fastest. Adding a hyperparameter is one constant here
 * plus its typed component on {@link TrialSpec} (in the same position); note that it changes every
 * trial key, since the canonical string lists every hyperparameter.
 */
// The fields are final, set once per constant and never changed: default values are immutable
// (boxed numbers, enums, List.of), accessors and domains are stateless. Error Prone cannot see that
// through Object and Function.
@SuppressWarnings("ImmutableEnumChecker")
public enum GridAxis {
  /** {@code fc} (FullyConnectedNet) or {@code cnn} (ThreeLayerConvNet); default {@code fc}. */
  MODEL(
      "model",
      Kind.CHOICE,
      ModelKind.FC,
      TrialSpec::model,
      Domain.choice(ModelKind.ids(), ModelKind::parse, v -> ((ModelKind) v).id(), false)),
  /** Hidden layer sizes; default {@code [100, 100]} for fc, {@code [100]} for cnn. */
  HIDDEN_DIMS(
      "hidden_dims",
      Kind.INT_LIST,
      List.of(100, 100),
      TrialSpec::hiddenDims,
      Domain.any(
          "a list of sizes >= 1 such as [100, 100], {width: 50, depth: 7}, or a list of such"
              + " lists")),
  /** cnn filters; default 32 (0 for fc, which has none). */
  NUM_FILTERS(
      "num_filters",
      Kind.INT,
      32,
      TrialSpec::numFilters,
      Domain.ints(x -> x >= 1, "an integer >= 1")),
  /** cnn filter size (odd); default 7 (0 for fc). */
  FILTER_SIZE(
      "filter_size",
      Kind.INT,
      7,
      TrialSpec::filterSize,
      Domain.ints(x -> x >= 1 && x <= 31 && x % 2 == 1, "an odd integer from 1 to 31")),
  /** {@code sgd}, {@code sgd_momentum}, {@code rmsprop} or {@code adam}; default {@code adam}. */
  UPDATE_RULE(
      "update_rule",
      Kind.CHOICE,
      UpdateRule.ADAM,
      TrialSpec::updateRule,
      Domain.choice(
          Arrays.stream(UpdateRule.values()).map(UpdateRule::id).toList(),
          UpdateRule::parse,
          v -> ((UpdateRule) v).id(),
          false)),
  /** Learning rate; default 1e-3. */
  LEARNING_RATE(
      "learning_rate",
      Kind.REAL,
      1e-3,
      TrialSpec::learningRate,
      Domain.reals(x -> x > 0, "a number > 0")),
  /** Std of the initial weights; default 1e-2. */
  WEIGHT_SCALE(
      "weight_scale",
      Kind.REAL,
      1e-2,
      TrialSpec::weightScale,
      Domain.reals(x -> x > 0, "a number > 0")),
  /** Dropout keep probability in (0, 1]; default 1 (no dropout). */
  DROPOUT_KEEP_RATIO(
      "dropout_keep_ratio",
      Kind.REAL,
      1.0,
      TrialSpec::dropoutKeepRatio,
      Domain.reals(x -> x > 0 && x <= 1, "a number in (0, 1], 1 meaning no dropout")),
  /** {@code none}, {@code batchnorm} or {@code layernorm}; default {@code none}. */
  NORMALIZATION(
      "normalization",
      Kind.CHOICE,
      Normalization.NONE,
      TrialSpec::normalization,
      Domain.choice(
          Arrays.stream(Normalization.values()).map(Normalization::id).toList(),
          Normalization::parse,
          v -> ((Normalization) v).id(),
          true)),
  /** L2 strength; default 0. */
  REG("reg", Kind.REAL, 0.0, TrialSpec::reg, Domain.reals(x -> x >= 0, "a number >= 0")),
  /** Minibatch size; default 100. */
  BATCH_SIZE(
      "batch_size",
      Kind.INT,
      GridSpec.DEFAULT_BATCH_SIZE,
      TrialSpec::batchSize,
      Domain.ints(x -> x >= 1, "an integer >= 1 and <= num_train")),
  /** Epochs; default 10. */
  NUM_EPOCHS(
      "num_epochs",
      Kind.INT,
      10,
      TrialSpec::numEpochs,
      Domain.ints(x -> x >= 1, "an integer >= 1")),
  /** Learning-rate multiplier after each epoch; default 1. */
  LR_DECAY(
      "lr_decay", Kind.REAL, 1.0, TrialSpec::lrDecay, Domain.reals(x -> x > 0, "a number > 0")),
  /** Training images used; default 49000 (the notebooks' whole training split). */
  NUM_TRAIN(
      "num_train",
      Kind.INT,
      GridSpec.MAX_NUM_TRAIN,
      TrialSpec::numTrain,
      Domain.ints(
          x -> x >= 1 && x <= GridSpec.MAX_NUM_TRAIN,
          "an integer from 1 to " + GridSpec.MAX_NUM_TRAIN + " (the training split)"));

  /**
   * The type of an axis's values: what Java type {@link TrialSpec} holds, how the canonical string
   * and the manifest spell it, and which SQL type its column has.
   */
  public enum Kind {
    /** An {@code int} (SQL {@code INT}), written as a plain decimal. */
    INT(Integer.class, SqlType.INT),
    /** A finite {@code double} (SQL {@code DOUBLE}), written as its shortest exact decimal. */
    REAL(Double.class, SqlType.DOUBLE),
    /** One of a few names (SQL {@code STRING}), written as its lower-case id. */
    CHOICE(Object.class, SqlType.STRING),
    /** A list of {@code int}s (SQL {@code ARRAY<INT>}), written as {@code [a,b,…]}. */
    INT_LIST(List.class, SqlType.INT_ARRAY);

    private final Class<?> javaType;
    private final SqlType sqlType;

    Kind(Class<?> javaType, SqlType sqlType) {
      this.javaType = javaType;
      this.sqlType = sqlType;
    }

    /** The boxed Java type of a value (a {@link #CHOICE}'s type is its axis's enum or String). */
    public Class<?> javaType() {
      return javaType;
    }

    /** The SQL type of the axis's column. */
    public SqlType sqlType() {
      return sqlType;
    }
  }

  /**
   * What values an axis takes: a check with its human text, or a set of names.
   *
   * @param realOk for {@link Kind#REAL} axes: which finite values are allowed
   * @param intOk for {@link Kind#INT} axes: which values are allowed
   * @param allowed what is allowed, as problems say it (e.g. {@code a number > 0})
   * @param choices for {@link Kind#CHOICE} axes: the names, in order
   * @param parse for {@link Kind#CHOICE} axes: a name (one of {@code choices}) to its value
   * @param idOf for {@link Kind#CHOICE} axes: a value to its name
   * @param nullIsFirst for {@link Kind#CHOICE} axes: whether YAML {@code null} means the first name
   */
  public record Domain(
      Predicate<Double> realOk,
      Predicate<Long> intOk,
      String allowed,
      List<String> choices,
      Function<String, Object> parse,
      Function<Object, String> idOf,
      boolean nullIsFirst) {
    static Domain reals(Predicate<Double> ok, String allowed) {
      return new Domain(ok, null, allowed, List.of(), null, null, false);
    }

    static Domain ints(Predicate<Long> ok, String allowed) {
      return new Domain(null, ok, allowed, List.of(), null, null, false);
    }

    static Domain any(String allowed) {
      return new Domain(null, null, allowed, List.of(), null, null, false);
    }

    static Domain choice(
        List<String> choices,
        Function<String, Object> parse,
        Function<Object, String> idOf,
        boolean nullIsFirst) {
      return new Domain(null, null, String.join(", ", choices), choices, parse, idOf, nullIsFirst);
    }
  }

  private final String id;
  private final Kind kind;
  private final Object defaultValue;
  private final Function<TrialSpec, Object> accessor;
  private final Domain domain;

  GridAxis(
      String id,
      Kind kind,
      Object defaultValue,
      Function<TrialSpec, Object> accessor,
      Domain domain) {
    this.id = id;
    this.kind = kind;
    this.defaultValue = defaultValue;
    this.accessor = accessor;
    this.domain = domain;
  }

  /** The key in grid files, tables, the manifest and the CLI, such as {@code learning_rate}. */
  public String id() {
    return id;
  }

  /** The type of the axis's values. */
  public Kind kind() {
    return kind;
  }

  /**
   * The value a grid takes when it does not set the axis. ({@link #HIDDEN_DIMS}' default is the fc
   * one; {@link GridSpec} gives cnn {@code [100]}.)
   */
  public Object defaultValue() {
    return defaultValue;
  }

  /** What values a grid file may set. */
  public Domain domain() {
    return domain;
  }

  /** Whether the axis applies to cnn models only (fc trials hold 0). */
  public boolean cnnOnly() {
    return this == NUM_FILTERS || this == FILTER_SIZE;
  }

  /** The value of this hyperparameter in {@code spec}, boxed ({@link Kind#javaType()}). */
  public Object get(TrialSpec spec) {
    return accessor.apply(spec);
  }

  /**
   * A value as the canonical string writes it: an {@link Kind#INT} in decimal, a {@link Kind#REAL}
   * as {@link TrialSpec#canonicalNumber}, a {@link Kind#CHOICE} as its id, an {@link Kind#INT_LIST}
   * as {@code [a,b,…]}.
   *
   * @param value a value of this axis
   * @return its text
   */
  public String text(Object value) {
    return switch (kind) {
      case INT -> String.valueOf((int) (Integer) value);
      case REAL -> TrialSpec.canonicalNumber((Double) value);
      case CHOICE -> domain.idOf().apply(value);
      case INT_LIST ->
          ((List<?>) value)
              .stream()
                  .map(x -> String.valueOf((int) (Integer) x))
                  .collect(Collectors.joining(",", "[", "]"));
    };
  }

  /**
   * A value in column form, for the tables and the manifest: an {@link Kind#INT} as {@link
   * Integer}, a {@link Kind#REAL} as {@link Double}, a {@link Kind#CHOICE} as its id ({@link
   * String}), an {@link Kind#INT_LIST} as a {@code List<Integer>}.
   */
  public Object toColumn(Object value) {
    return kind == Kind.CHOICE ? (value == null ? null : domain.idOf().apply(value)) : value;
  }

  /**
   * The inverse of {@link #toColumn}: a column value (an id for a {@link Kind#CHOICE}, any {@link
   * Number} for numbers, any list of numbers for an {@link Kind#INT_LIST}) as the axis's Java
   * value.
   *
   * @throws IllegalArgumentException if the value does not fit the axis
   */
  public Object fromColumn(Object column) {
    if (column == null && kind == Kind.CHOICE) {
      return null;
    }
    if (column == null) {
      throw new IllegalArgumentException(id + " is null, expected " + domain.allowed());
    }
    return switch (kind) {
      case INT -> ((Number) column).intValue();
      case REAL -> ((Number) column).doubleValue();
      case CHOICE -> domain.parse().apply(column.toString());
      case INT_LIST -> ((List<?>) column).stream().map(x -> ((Number) x).intValue()).toList();
    };
  }

  /** The axis named {@code id} in a grid file, if any (exact, case-sensitive). */
  public static Optional<GridAxis> byId(String id) {
    return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
  }

  /** Every axis key, in expansion order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(GridAxis::id).toList();
  }
}
