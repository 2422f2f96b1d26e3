package io.sparksweep.search;

import java.io.Serializable;

/**
 * One problem found in a grid file.
 *
 * @param file the file as named to the parser
 * @param line 1-based line, 0 when the problem has no position (an unreadable file)
 * @param column 1-based column, 0 when the problem has no position
 * @param field the setting, such as {@code learning_rate}, {@code grids[1].batch_size} or {@code
 *     learning_rate[2]}; {@code (yaml)} for syntax errors, {@code (file)} for the file as a whole
 * @param message what is wrong, including any "did you mean …?"
 * @param value the offending value as written (compact), or null
 * @param allowed what would be accepted, or null
 */
public record GridProblem(
    String file, int line, int column, String field, String message, String value, String allowed)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Renders {@code file:line:column: field: message (got value; allowed: allowed)}, omitting the
   * parts that are absent.
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(file);
    if (line > 0) {
      sb.append(':').append(line).append(':').append(column);
    }
    sb.append(": ").append(field).append(": ").append(message);
    if (value != null || allowed != null) {
      sb.append(" (");
      if (value != null) {
        sb.append("got ").append(value);
      }
      if (allowed != null) {
        sb.append(value != null ? "; " : "").append("allowed: ").append(allowed);
      }
      sb.append(')');
    }
    return sb.toString();
  }
}
