package io.sparksweep.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Everything one report shows: a run's trials and, optionally, the first-layer filters of one of
 * its convnets.
 *
 * @param runId the run's id ({@code run_id} in the tables)
 * @param gridName the grid's name (may be empty)
 * @param rows every trial of the run, in any order; kept sorted by trial index, repeat and key, so
 *     the report does not depend on the order the tables return rows in
 * @param filters first-layer filters to draw as {@code filters.png}; null for none
 * @param rungs the rung decisions of an adaptive search (the {@code rungs} table), drawn as {@code
 *     rungs.png}; empty for a search without scheduler
 */
public record RunReport(
    String runId,
    String gridName,
    List<TrialRow> rows,
    FirstLayerFilters filters,
    List<RungPoint> rungs) {

  /** Trial order of the report: index, then repeat, then key. */
  static final Comparator<TrialRow> TRIAL_ORDER =
      Comparator.comparingInt(TrialRow::trialIndex)
          .thenComparingInt(TrialRow::repeat)
          .thenComparing(TrialRow::trialKey);

  /** Validates and sorts the rows into an immutable list. */
  public RunReport {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(gridName, "gridName");
    Objects.requireNonNull(rows, "rows");
    List<TrialRow> sorted = new ArrayList<>(rows.size());
    for (TrialRow r : rows) {
      sorted.add(Objects.requireNonNull(r, "rows must not hold null"));
    }
    sorted.sort(TRIAL_ORDER);
    rows = List.copyOf(sorted);
    rungs = rungs == null ? List.of() : List.copyOf(rungs);
  }

  /**
   * A report without rung decisions.
   *
   * @param runId the run's id
   * @param gridName the grid's name (may be empty)
   * @param rows every trial of the run
   * @param filters first-layer filters, or null
   */
  public RunReport(String runId, String gridName, List<TrialRow> rows, FirstLayerFilters filters) {
    this(runId, gridName, rows, filters, List.of());
  }

  /**
   * A report without filters.
   *
   * @param runId the run's id
   * @param gridName the grid's name (may be empty)
   * @param rows every trial of the run
   */
  public RunReport(String runId, String gridName, List<TrialRow> rows) {
    this(runId, gridName, rows, null, List.of());
  }

  /**
   * This report with first-layer filters to draw.
   *
   * @param filters the filters, or null for none
   * @return a copy holding {@code filters}
   */
  public RunReport withFilters(FirstLayerFilters filters) {
    return new RunReport(runId, gridName, rows, filters, rungs);
  }

  /**
   * This report with an adaptive search's rung decisions to draw.
   *
   * @param points the {@code rungs} rows of the run
   * @return a copy holding them
   */
  public RunReport withRungs(List<RungPoint> points) {
    return new RunReport(runId, gridName, rows, filters, points);
  }
}
