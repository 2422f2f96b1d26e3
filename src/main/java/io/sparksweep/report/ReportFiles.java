package io.sparksweep.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ReportRenderer#render} wrote.
 *
 * @param index the {@code index.html} file
 * @param charts the PNG files, in the order the page shows them
 */
public record ReportFiles(Path index, List<Path> charts) {

  /** Immutable copy of the chart list. */
  public ReportFiles {
    charts = List.copyOf(charts);
  }
}
