package io.sparksweep.search;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * One point of a grid: every hyperparameter of one training run, its stable key and its seed.
 *
 * <p>Identity. A trial is identified by {@code (key, repeat)}: {@link #key} hashes the
 * hyperparameters only ({@link #canonicalString()}), so the repeats of one grid point share a key
 * and differ in {@code repeat} and {@code seed}; the seed is {@link #deriveSeed(long, String, int)}
 * of (run seed, key, repeat). Neither depends on {@code index}, the grid file's layout or the JVM,
 * so a retried or resumed trial is the same trial. {@link #withKeyAndSeed(int, int, long)} fills
 * both in from the hyperparameters.
 *
 * @param key stable hash of the hyperparameters (not of the seed or run), hex
 * @param index position in the grid's documented expansion order
 * @param repeat repeat number (0-based) when the grid asks for several seeds per point
 * @param seed derived from (run seed, key, repeat): same trial, same seed, wherever it runs
 * @param model the network family (its {@link ModelKind#id()} {@code fc} or {@code cnn} is what the
 *     canonical string, the tables and grid files spell)
 * @param hiddenDims FC hidden layer sizes; for cnn, a single element: the hidden affine size
 * @param numFilters cnn filters (32 in the notebooks); ignored for fc
 * @param filterSize cnn filter size (7 in the notebooks); ignored for fc
 * @param updateRule update rule
 * @param learningRate learning rate (&gt; 0)
 * @param weightScale std of the initial weights (&gt; 0)
 * @param dropoutKeepRatio keep probability in (0, 1]; 1 = no dropout
 * @param normalization none, batchnorm or layernorm
 * @param reg L2 strength (≥ 0)
 * @param batchSize minibatch size
 * @param numEpochs epochs
 * @param lrDecay learning-rate multiplier applied after each epoch
 * @param numTrain number of training images used (≤ the training split)
 */
public record TrialSpec(
    String key,
    int index,
    int repeat,
    long seed,
    ModelKind model,
    List<Integer> hiddenDims,
    int numFilters,
    int filterSize,
    UpdateRule updateRule,
    double learningRate,
    double weightScale,
    double dropoutKeepRatio,
    Normalization normalization,
    double reg,
    int batchSize,
    int numEpochs,
    double lrDecay,
    int numTrain)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Defensive copy of the hidden dims into an immutable (serializable) list. */
  public TrialSpec {
    hiddenDims = List.copyOf(hiddenDims);
  }

  /**
   * The hyperparameters in canonical form, the input of {@link #key}: {@code name=value} pairs in
   * field order joined by {@code ;}, without {@code key}, {@code index}, {@code repeat} or {@code
   * seed}:
   *
   * <pre>{@code
   * model=fc;hidden_dims=[100,100];num_filters=0;filter_size=0;update_rule=adam;
   * learning_rate=0.001;weight_scale=0.01;dropout_keep_ratio=1;normalization=none;reg=0;
   * batch_size=100;num_epochs=10;lr_decay=1;num_train=49000
   * }</pre>
   *
   * (one line, no spaces). Integers are plain decimals, {@code hidden_dims} is {@code [d1,d2,…]},
   * model, update rule and normalization are their lower-case ids. A real number {@code x} is
   * written as the shortest decimal that reads back as {@code x}: for p = 1, 2, …, 17 significant
   * digits, the exact binary value of {@code x} rounded half-even to p digits, the first that
   * parses back to {@code x}, with trailing zeros removed, in plain (not scientific) notation;
   * {@code -0.0} is {@code 0}. So {@code 1e-3} and {@code 0.001} give {@code 0.001}, {@code 1.0}
   * gives {@code 1}, {@code 10^-3.5} gives {@code 0.00031622776601683794}. The rule uses only exact
   * {@link BigDecimal} arithmetic and correctly rounded parsing, hence is the same on every JVM.
   * Grids set {@code num_filters} and {@code filter_size} to 0 for {@code fc}, where they are
   * unused.
   *
   * @return the canonical string
   */
  public String canonicalString() {
    StringBuilder b = new StringBuilder();
    for (GridAxis a : GridAxis.values()) {
      if (b.length() > 0) {
        b.append(';');
      }
      b.append(a.id()).append('=').append(a.text(a.get(this)));
    }
    return b.toString();
  }

  /**
   * A spec from its identity and its hyperparameters by axis (the one way, besides the canonical
   * constructor, to make one: the grid expansion, the manifest and the tables' read-back use it).
   *
   * @param key the trial's key ("" before {@link #withKeyAndSeed})
   * @param index position in the grid's expansion order
   * @param repeat repeat number
   * @param seed the trial's seed
   * @param values every axis's value ({@link GridAxis#kind()}'s Java type)
   * @return the spec
   * @throws IllegalArgumentException if an axis is missing or has a value of the wrong type
   */
  // GridAxis is declared in TrialSpec's component order (GridAxis's contract), so a.ordinal() is
  // the component's position after the identity components.
  @SuppressWarnings("EnumOrdinal")
  public static TrialSpec of(
      String key, int index, int repeat, long seed, Map<GridAxis, Object> values) {
    Object[] args = new Object[IDENTITY_COMPONENTS + GridAxis.values().length];
    args[0] = key;
    args[1] = index;
    args[2] = repeat;
    args[3] = seed;
    for (GridAxis a : GridAxis.values()) {
      if (!values.containsKey(a)) {
        throw new IllegalArgumentException("hyperparameter " + a.id() + " is missing");
      }
      args[IDENTITY_COMPONENTS + a.ordinal()] = values.get(a);
    }
    try {
      return CANONICAL.newInstance(args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "hyperparameters " + values + " do not fit TrialSpec's components (" + e + ")", e);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every hyperparameter of this spec by axis, in axis order (boxed values). */
  public Map<GridAxis, Object> values() {
    Map<GridAxis, Object> m = new EnumMap<>(GridAxis.class);
    for (GridAxis a : GridAxis.values()) {
      m.put(a, a.get(this));
    }
    return m;
  }

  /** The components before the hyperparameters: key, index, repeat, seed. */
  static final int IDENTITY_COMPONENTS = 4;

  private static final Constructor<TrialSpec> CANONICAL = canonicalConstructor();

  private static Constructor<TrialSpec> canonicalConstructor() {
    Class<?>[] types =
        Arrays.stream(TrialSpec.class.getRecordComponents())
            .map(RecordComponent::getType)
            .toArray(Class<?>[]::new);
    try {
      return TrialSpec.class.getDeclaredConstructor(types);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A copy with {@code key = keyOf(canonicalString())}, the given index and repeat, and {@code seed
   * = deriveSeed(runSeed, key, repeat)}.
   *
   * @param index position in the grid's expansion order (&ge; 0)
   * @param repeat repeat number (&ge; 0)
   * @param runSeed the run's seed (a grid file's {@code seed})
   * @return this trial with its identity filled in
   */
  public TrialSpec withKeyAndSeed(int index, int repeat, long runSeed) {
    if (index < 0 || repeat < 0) {
      throw new IllegalArgumentException(
          "index and repeat must be >= 0, got index " + index + ", repeat " + repeat);
    }
    String k = keyOf(canonicalString());
    return of(k, index, repeat, deriveSeed(runSeed, k, repeat), values());
  }

  /**
   * The stable key of a canonical string: the first 16 lower-case hex digits (64 bits) of the
   * SHA-256 of its UTF-8 bytes.
   *
   * @param canonical a {@link #canonicalString()}
   * @return 16 hex digits
   */
  public static String keyOf(String canonical) {
    byte[] digest = sha256(canonical);
    return HexFormat.of().formatHex(digest, 0, 8);
  }

  /**
   * The seed of repeat {@code repeat} of trial {@code key} in a run seeded {@code runSeed}: the
   * SHA-256 of the UTF-8 string {@code runSeed + ":" + key + ":" + repeat} (decimal numbers, a
   * minus sign for negative run seeds), its first 8 bytes read as a big-endian long, with the sign
   * bit cleared ({@code & Long.MAX_VALUE}) so that seeds print as non-negative numbers.
   *
   * @param runSeed the run's seed
   * @param key the trial's key
   * @param repeat the repeat number
   * @return a non-negative seed
   */
  public static long deriveSeed(long runSeed, String key, int repeat) {
    byte[] digest = sha256(runSeed + ":" + key + ":" + repeat);
    long bits = 0;
    for (int i = 0; i < 8; i++) {
      bits = (bits << 8) | (digest[i] & 0xFF);
    }
    return bits & Long.MAX_VALUE;
  }

  /** The canonical decimal of {@code x} (see {@link #canonicalString()}); finite x only. */
  static String canonicalNumber(double x) {
    if (!Double.isFinite(x)) {
      throw new IllegalArgumentException("hyperparameter must be finite, got " + x);
    }
    if (x == 0.0) {
      return "0";
    }
    BigDecimal exact = new BigDecimal(x);
    for (int digits = 1; ; digits++) {
      BigDecimal rounded = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
      // 17 significant digits always read back (IEEE 754 binary64), so the loop ends by then.
      if (digits >= 17 || Double.parseDouble(rounded.toString()) == x) {
        return rounded.stripTrailingZeros().toPlainString();
      }
    }
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest's Javadoc).
      throw new IllegalStateException(e);
    }
  }
}
