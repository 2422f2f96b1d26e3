package io.sparksweep.search;

import java.util.List;

/**
 * A grid file that cannot be run, with every problem found in it (not only the first): invalid
 * YAML, unknown keys, wrong types, values out of range, or a grid larger than its {@code
 * max_trials}. The message lists one problem per line, each as {@link GridProblem#toString()}.
 */
public final class GridException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String file;
  private final List<GridProblem> problems;

  /**
   * A new exception for the problems of one file.
   *
   * @param file the file as named to the parser
   * @param problems at least one problem
   */
  public GridException(String file, List<GridProblem> problems) {
    super(message(file, problems));
    this.file = file;
    this.problems = List.copyOf(problems);
  }

  /** The file as named to the parser. */
  public String file() {
    return file;
  }

  /** Every problem, in the order found (file order, then cross-field checks). */
  public List<GridProblem> problems() {
    return problems;
  }

  private static String message(String file, List<GridProblem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a GridException needs at least one problem");
    }
    StringBuilder sb =
        new StringBuilder("grid file ")
            .append(file)
            .append(" has ")
            .append(problems.size())
            .append(problems.size() == 1 ? " problem:" : " problems:");
    for (GridProblem p : problems) {
      sb.append(System.lineSeparator()).append("  ").append(p);
    }
    return sb.toString();
  }
}
