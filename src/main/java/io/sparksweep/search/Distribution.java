package io.sparksweep.search;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.List;

/**
 * A hyperparameter drawn from a range instead of listed: {@code {uniform: [lo, hi]}}, {@code
 * {loguniform: [lo, hi]}} (real axes) or {@code {int: [lo, hi]}} (integer axes, both ends
 * included). Real draws are rounded to {@link #SIGNIFICANT_DIGITS} significant digits, so that a
 * sampled learning rate reads {@code 0.0003162}, not 17 digits, and lands in the tables and keys as
 * written; {@link StrictMath} and {@link BigDecimal} make a draw the same on every JVM.
 *
 * @param kind the distribution
 * @param lo the lower bound (included)
 * @param hi the upper bound (included)
 */
public record Distribution(Kind kind, double lo, double hi) {
  /** Significant digits kept of a real draw. */
  public static final int SIGNIFICANT_DIGITS = 4;

  /** The distribution forms of a search file. */
  public enum Kind {
    /** Uniform on [lo, hi]. */
    UNIFORM("uniform"),
    /** Log-uniform on [lo, hi] (uniform in log space), lo &gt; 0. */
    LOGUNIFORM("loguniform"),
    /** Uniform on the integers lo, lo + 1, …, hi. */
    INT("int");

    private final String id;

    Kind(String id) {
      this.id = id;
    }

    /** The form's key in a search file. */
    public String id() {
      return id;
    }

    /** The kind whose {@link #id()} is {@code id}, or null. */
    static Kind of(String id) {
      for (Kind k : values()) {
        if (k.id.equals(id)) {
          return k;
        }
      }
      return null;
    }
  }

  /** The keys of the distribution forms. */
  static final List<String> FORMS = List.of("uniform", "loguniform", "int");

  /** Checks the bounds. */
  public Distribution {
    if (!(lo <= hi) || (kind == Kind.LOGUNIFORM && !(lo > 0))) {
      throw new IllegalArgumentException(kind.id + " bounds [" + lo + ", " + hi + "]");
    }
  }

  /**
   * The value at quantile {@code u}: an {@link Integer} for {@link Kind#INT}, else a {@link Double}
   * in [lo, hi].
   *
   * @param u a number in [0, 1)
   * @return the drawn value
   */
  public Object at(double u) {
    return switch (kind) {
      case INT -> {
        long span = (long) hi - (long) lo + 1;
        yield (int) ((long) lo + Math.min(span - 1, (long) Math.floor(u * span)));
      }
      case UNIFORM -> clamp(round(lo + u * (hi - lo)));
      case LOGUNIFORM -> {
        double a = StrictMath.log(lo);
        double b = StrictMath.log(hi);
        yield clamp(round(StrictMath.exp(a + u * (b - a))));
      }
    };
  }

  private double clamp(double x) {
    return Math.max(lo, Math.min(hi, x)) + 0.0;
  }

  private static double round(double x) {
    return new BigDecimal(x)
        .round(new MathContext(SIGNIFICANT_DIGITS, RoundingMode.HALF_EVEN))
        .doubleValue();
  }

  /** As written in a search file, e.g. {@code {loguniform: [1e-05, 0.1]}}. */
  @Override
  public String toString() {
    return kind == Kind.INT
        ? "{int: [" + (long) lo + ", " + (long) hi + "]}"
        : "{"
            + kind.id
            + ": ["
            + TrialSpec.canonicalNumber(lo)
            + ", "
            + TrialSpec.canonicalNumber(hi)
            + "]}";
  }
}
