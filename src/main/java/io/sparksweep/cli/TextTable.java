package io.sparksweep.cli;

import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;

/** Console formatting: aligned text tables, CSV lines, cell values, durations. */
final class TextTable {
  private TextTable() {}

  /** An aligned table: header, a rule, then the rows; numbers right-aligned. */
  static String render(List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < width.length; c++) {
      width[c] = header.get(c).length();
      numeric[c] = !rows.isEmpty();
    }
    for (List<String> row : rows) {
      for (int c = 0; c < width.length; c++) {
        String cell = row.get(c);
        width[c] = Math.max(width[c], cell.length());
        numeric[c] &= cell.isEmpty() || isNumber(cell);
      }
    }
    StringBuilder s = new StringBuilder();
    appendRow(s, header, width, numeric);
    for (int c = 0; c < width.length; c++) {
      s.append(c == 0 ? "" : "  ").append("-".repeat(width[c]));
    }
    s.append('\n');
    for (List<String> row : rows) {
      appendRow(s, row, width, numeric);
    }
    return s.toString();
  }

  private static void appendRow(StringBuilder s, List<String> cells, int[] width, boolean[] right) {
    StringBuilder line = new StringBuilder();
    for (int c = 0; c < width.length; c++) {
      String cell = cells.get(c);
      String pad = " ".repeat(width[c] - cell.length());
      line.append(c == 0 ? "" : "  ").append(right[c] ? pad + cell : cell + pad);
    }
    s.append(line.toString().stripTrailing()).append('\n');
  }

  private static boolean isNumber(String s) {
    return s.matches("[-+]?(\\d+(\\.\\d*)?|\\.\\d+)([eE][-+]?\\d+)?|NaN|-?Infinity");
  }

  /** A row's cells formatted for a table. */
  static List<String> cells(Row row) {
    List<String> out = new ArrayList<>(row.length());
    for (int i = 0; i < row.length(); i++) {
      out.add(cell(row.get(i)));
    }
    return out;
  }

  /**
   * A value for a table: null is empty, doubles have 6 significant digits, timestamps are ISO
   * instants, arrays are {@code [a, b]}.
   */
  static String cell(Object v) {
    if (v == null) {
      return "";
    }
    if (v instanceof Double d) {
      return number(d);
    }
    if (v instanceof Float f) {
      return number(f.doubleValue());
    }
    if (v instanceof Timestamp t) {
      return t.toInstant().toString();
    }
    if (v instanceof Instant t) {
      return t.toString();
    }
    if (v instanceof scala.collection.Iterable<?> it) {
      return cell(scala.jdk.javaapi.CollectionConverters.asJava(it));
    }
    if (v instanceof Iterable<?> it) {
      List<String> parts = new ArrayList<>();
      it.forEach(x -> parts.add(cell(x)));
      return "[" + String.join(", ", parts) + "]";
    }
    if (v instanceof Row r) {
      return "{" + String.join(", ", cells(r)) + "}";
    }
    if (v instanceof byte[] b) {
      return "<" + b.length + " bytes>";
    }
    return v.toString();
  }

  /** A double with 6 significant digits, without trailing zeros; scientific when tiny or huge. */
  static String number(double d) {
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      return Double.toString(d);
    }
    if (d == 0) {
      return "0";
    }
    double a = Math.abs(d);
    if (a < 1e-4 || a >= 1e9) {
      return String.format(Locale.ROOT, "%.5e", d).replaceAll("\\.?0+e", "e");
    }
    return new BigDecimal(d).round(new MathContext(6)).stripTrailingZeros().toPlainString();
  }

  /** One CSV line (RFC 4180 quoting); null cells are empty. */
  static String csv(List<?> values) {
    return values.stream().map(TextTable::csvCell).collect(Collectors.joining(","));
  }

  private static String csvCell(Object v) {
    String s;
    if (v == null) {
      return "";
    } else if (v instanceof Double || v instanceof Float) {
      s = v.toString();
    } else {
      s = cell(v);
    }
    if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
      return "\"" + s.replace("\"", "\"\"") + "\"";
    }
    return s;
  }

  /** {@code h:mm:ss}, or {@code m:ss} under an hour. */
  static String duration(Duration d) {
    if (d == null) {
      return "?";
    }
    long s = Math.max(0, d.toSeconds());
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
