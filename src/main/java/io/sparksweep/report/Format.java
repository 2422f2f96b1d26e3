package io.sparksweep.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Pattern;

/** Text of numbers and HTML: locale-free, so the same input always gives the same page. */
final class Format {
  /** What the report reads as a number: an optionally signed decimal, as the tables write them. */
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");

  /** Shown for a missing or non-finite value. */
  static final String MISSING = "–";

  private Format() {}

  /**
   * Whether {@code text} is a decimal number such as {@code 100}, {@code 0.001}, {@code 1.0E-4}.
   */
  static boolean isNumber(String text) {
    return NUMBER.matcher(text.strip()).matches();
  }

  /** The number in {@code text}; call only when {@link #isNumber} holds. */
  static double parse(String text) {
    return Double.parseDouble(text.strip());
  }

  /**
   * The identity of a hyperparameter value: numbers by their double value (so {@code 0.001} and
   * {@code 1.0E-3} are one value), other text as it is.
   */
  static String canonical(String text) {
    return isNumber(text) ? Double.toString(parse(text)) : text;
  }

  /**
   * A short display of a hyperparameter value: numbers through {@link #compact(double)}, other text
   * as it is.
   */
  static String value(String text) {
    return isNumber(text) ? compact(parse(text)) : text;
  }

  /**
   * A short, exact-enough number for labels: integers plainly ({@code 100}); values from 1e-3 to
   * 1e7 with at most 4 significant digits ({@code 0.025}, {@code 0.9}); others in scientific
   * notation with at most 3 ({@code 1e-4}, {@code 3.16e-4}).
   */
  static String compact(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    if (x == 0.0) {
      return "0";
    }
    double a = Math.abs(x);
    if (x == Math.rint(x) && a < 1e7) {
      return Long.toString((long) x);
    }
    if (a >= 1e-3 && a < 1e7) {
      return new BigDecimal(x)
          .round(new MathContext(4, RoundingMode.HALF_EVEN))
          .stripTrailingZeros()
          .toPlainString();
    }
    String s = String.format(Locale.ROOT, "%.2e", x);
    int e = s.indexOf('e');
    String mantissa = s.substring(0, e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "");
      if (mantissa.endsWith(".")) {
        mantissa = mantissa.substring(0, mantissa.length() - 1);
      }
    }
    return mantissa + "e" + Integer.parseInt(s.substring(e + 1));
  }

  /** An accuracy with 4 decimals, or {@link #MISSING}. */
  static String accuracy(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.4f", x) : MISSING;
  }

  /** A loss with 4 decimals, or {@link #MISSING}. */
  static String loss(double x) {
    return accuracy(x);
  }

  /** Seconds with 1 decimal, or {@link #MISSING}. */
  static String seconds(double x) {
    return Double.isFinite(x) ? String.format(Locale.ROOT, "%.1f", x) : MISSING;
  }

  /** A sort key for a number: its shortest decimal, or empty when missing. */
  static String sortKey(double x) {
    return Double.isFinite(x) ? Double.toString(x) : "";
  }

  /**
   * Text safe inside HTML elements and quoted attributes: {@code & < > " '} become entities (the
   * five that XML also knows, so the page parses as XML too).
   */
  static String html(String text) {
    StringBuilder sb = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> sb.append("&amp;");
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> {
          // Control characters other than tab and newlines are not allowed in HTML or XML text.
          if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            sb.append('\uFFFD');
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString();
  }
}
