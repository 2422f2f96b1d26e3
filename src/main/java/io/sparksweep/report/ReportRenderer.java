package io.sparksweep.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Writes a run's report into a folder: PNG charts and an {@code index.html} that shows them with a
 * sortable table of every trial.
 *
 * <ul>
 *   <li>{@value #LEARNING_CURVES}: training loss (log scale when it spans a decade), training
 *       accuracy and validation accuracy per epoch, one line per OK trial: the top {@value
 *       ChartData#TOP_N} by best validation accuracy in colour and named in the legend, the rest
 *       grey (the notebooks' {@code plot_training_history}); written when some OK trial has epochs.
 *   <li>{@code <column>.png} for each numeric hyperparameter the OK trials vary, such as {@code
 *       weight_scale.png}, {@code batch_size.png}, {@code learning_rate.png}: best validation
 *       accuracy, best training accuracy and final training loss against it, one series per
 *       normalization, on a log axis for learning rate, weight scale and L2 strength (the
 *       notebook's BatchNormalization weight-scale cell) and for any positive axis spanning two
 *       decades; the loss on a log axis when it spans a decade.
 *   <li>{@code <column>.png} for each other column the OK trials vary ({@code update_rule}, {@code
 *       normalization}, {@code model}, {@code hidden_dims}, …): a strip chart of every trial's best
 *       validation accuracy per value, with the value's mean ({@link Charts#strip}).
 *   <li>{@value #PARALLEL}: every varied axis side by side, one line per OK trial coloured by best
 *       validation accuracy ({@link ParallelCoordinates}).
 *   <li>{@value #IMPORTANCE}: the share of the variance of best validation accuracy that each
 *       varied axis explains ({@link Importance}, η²), also as a table on the page.
 *   <li>{@value #FILTERS}: the first-layer filters of {@link RunReport#filters()}, if given, as
 *       {@link FilterGrid} tiles them (the notebooks' {@code visualize_grid}).
 * </ul>
 *
 * <p>DIVERGED and FAILED trials are left out of the charts and listed in the table. The page is a
 * function of the input alone (no clock, no locale), so the same rows give the same bytes; the PNGs
 * are drawn with JFreeChart under {@code java.awt.headless=true}, which this class sets when the
 * property is unset.
 */
public final class ReportRenderer {
  /** The page's file name. */
  public static final String INDEX = "index.html";

  /** The learning-curve chart's file name. */
  public static final String LEARNING_CURVES = "learning_curves.png";

  /** The parallel-coordinates view's file name. */
  public static final String PARALLEL = "parallel_coordinates.png";

  /** The axis-importance chart's file name. */
  public static final String IMPORTANCE = "importance.png";

  /** The filter grid's file name. */
  public static final String FILTERS = "filters.png";

  /** The rung chart's file name (adaptive searches). */
  public static final String RUNGS = "rungs.png";

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private ReportRenderer() {}

  /**
   * Writes the charts and the page of {@code report} into {@code outDir} (created if missing; files
   * of the same names are replaced, others left alone).
   *
   * @param report the run's trials (and optional filters)
   * @param outDir the report folder
   * @return the page and the charts written, in the order the page shows them
   * @throws IOException if a file cannot be written
   */
  public static ReportFiles render(RunReport report, Path outDir) throws IOException {
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(outDir, "outDir");
    Files.createDirectories(outDir);
    List<TrialRow> rows = report.rows();
    RunAxes axes = new RunAxes(rows);
    List<ChartFile> charts = new ArrayList<>();
    List<Path> written = new ArrayList<>();
    Set<String> names =
        new HashSet<>(Set.of(INDEX, LEARNING_CURVES, FILTERS, PARALLEL, IMPORTANCE, RUNGS));

    String of = " (" + runName(report) + ")";
    ChartData.Curves curves = ChartData.learningCurves(rows, axes);
    if (curves.seriesCount() > 0) {
      Figure figure = Charts.learningCurves("Learning curves" + of, curves);
      written.add(writePng(figure.render(), outDir.resolve(LEARNING_CURVES)));
      int top = (int) curves.ranks().stream().filter(r -> r >= 0).count();
      long early = curves.stopped().stream().filter(b -> b).count();
      String drawn =
          early == 0
              ? curves.seriesCount() + " OK trials of " + rows.size()
              : curves.seriesCount()
                  + " trials of "
                  + rows.size()
                  + " ("
                  + (curves.seriesCount() - early)
                  + " OK, "
                  + early
                  + " stopped early)";
      charts.add(
          new ChartFile(
              LEARNING_CURVES,
              "Learning curves",
              "Training loss (epoch mean"
                  + (curves.seriesCount() > 0
                          && Charts.lossAxis("", curves.loss())
                              instanceof org.jfree.chart.axis.LogAxis
                      ? ", log scale"
                      : "")
                  + "), training accuracy and validation accuracy per epoch of the "
                  + drawn
                  + ": the top "
                  + top
                  + " by best validation accuracy in colour (legend), the others in grey."
                  + " DIVERGED and FAILED trials are left out"
                  + (curves.stopped().contains(true)
                      ? "; trials an adaptive scheduler stopped early are dashed, ending at the"
                          + " epoch they reached."
                      : ".")));
    }

    if (!report.rungs().isEmpty()) {
      written.add(
          writePng(Charts.rungs("Rungs" + of, report.rungs()).render(), outDir.resolve(RUNGS)));
      charts.add(
          new ChartFile(
              RUNGS,
              "Rungs",
              "The adaptive scheduler's "
                  + report.rungs().size()
                  + " rung decisions: each trial's validation accuracy at every rung it finished"
                  + " (epochs trained, one point per trial and rung), coloured by the decision:"
                  + " promoted to the next rung, stopped early, or completed (trained the full"
                  + " budget); a grey line joins each trial's rungs."));
    }

    List<String> numeric = ChartData.sweepAxes(rows);
    for (String axis : numeric) {
      String file = sweepFileName(axis, names);
      ChartData.Sweep sweep = ChartData.sweep(rows, axis);
      String title = Charts.axisTitle(axis);
      Figure figure =
          Charts.sweep(
              "Accuracy and loss vs. "
                  + Character.toLowerCase(title.charAt(0))
                  + title.substring(1)
                  + of,
              sweep);
      written.add(writePng(figure.render(), outDir.resolve(file)));
      charts.add(
          new ChartFile(
              file,
              title,
              "Best validation accuracy, best training accuracy and final training loss (log"
                  + " scale when it spans a decade) against "
                  + axis
                  + (sweep.logScale() ? " (log scale)" : "")
                  + ", one line per normalization, OK trials only. Where several trials share a"
                  + " point, it shows the setting of the other hyperparameters with the best mean"
                  + " validation accuracy, averaged over repeats."));
    }

    List<String> categorical = ChartData.categoricalAxes(rows);
    for (String axis : categorical) {
      String file = sweepFileName(axis, names);
      ChartData.Strip strip = ChartData.strip(rows, axis);
      written.add(
          writePng(
              Charts.strip("Best val accuracy by " + axis + of, strip).render(),
              outDir.resolve(file)));
      charts.add(
          new ChartFile(
              file,
              Charts.axisTitle(axis),
              "Best validation accuracy of every OK trial by "
                  + axis
                  + " (one point per trial, spread sideways; black bar: the value's mean; the top "
                  + ChartData.TOP_N
                  + " trials in their colours). The label counts the trials of each value."));
    }

    List<String> varied = new ArrayList<>();
    for (String axis : axes.varying()) {
      if (numeric.contains(axis) || categorical.contains(axis)) {
        varied.add(axis);
      }
    }
    if (ParallelCoordinates.drawable(rows, varied)) {
      BufferedImage image =
          ParallelCoordinates.render(
              "Parallel coordinates" + of, rows, varied, new HashSet<>(numeric));
      written.add(writePng(image, outDir.resolve(PARALLEL)));
      charts.add(
          new ChartFile(
              PARALLEL,
              "Parallel coordinates",
              "One line per OK trial through its value on each varied axis and its best"
                  + " validation accuracy, coloured by that accuracy (viridis: purple worst,"
                  + " yellow best); the top "
                  + ChartData.TOP_N
                  + " are thicker."));
    }

    // An adaptive run compares all its trials at the first rung, not its few OK ones (Importance).
    int commonEpoch = Importance.commonEpoch(rows);
    List<Importance> importances = Importance.of(rows, commonEpoch == 0 ? varied : axes.varying());
    if (!importances.isEmpty()) {
      written.add(
          writePng(
              Charts.importance("Axis importance" + of, importances).render(),
              outDir.resolve(IMPORTANCE)));
      charts.add(
          new ChartFile(
              IMPORTANCE,
              "Axis importance",
              "Fraction of the variance of "
                  + Importance.measured(commonEpoch)
                  + " that each axis explains on its own (η², between-value sum of squares / total"
                  + " sum of squares; see the table below)."));
    }

    FirstLayerFilters filters = report.filters();
    if (filters != null) {
      BufferedImage grid = FilterGrid.grid(filters.weights(), FilterGrid.DEFAULT_PADDING);
      BufferedImage shown = FilterGrid.upscale(grid, FilterGrid.displayFactor(grid));
      written.add(writePng(shown, outDir.resolve(FILTERS)));
      int[] shape = filters.weights().shape();
      charts.add(
          new ChartFile(
              FILTERS,
              "First-layer filters",
              "First-layer filters of trial "
                  + filters.trialKey()
                  + ": "
                  + shape[0]
                  + " filters of "
                  + shape[1]
                  + " × "
                  + shape[2]
                  + " × "
                  + shape[3]
                  + ", each scaled to its own min and max (visualize_grid)."));
    }

    Path index = outDir.resolve(INDEX);
    Files.writeString(
        index,
        HtmlReport.page(report, axes, charts, importances, commonEpoch),
        StandardCharsets.UTF_8);
    return new ReportFiles(index, written);
  }

  /**
   * The PNG name of a sweep: the column with anything but letters, digits, {@code _} and {@code -}
   * replaced by {@code _}, suffixed if it would clash with another file of the report.
   */
  static String sweepFileName(String axis, Set<String> used) {
    String base = axis.replaceAll("[^A-Za-z0-9_-]", "_").toLowerCase(Locale.ROOT);
    if (base.isEmpty()) {
      base = "axis";
    }
    String name = base + ".png";
    for (int i = 2; !used.add(name); i++) {
      name = base + "_" + i + ".png";
    }
    return name;
  }

  /** The run as titles name it: {@code grid default, run 2026…}, or the run id alone. */
  static String runName(RunReport report) {
    return report.gridName().isEmpty()
        ? "run " + report.runId()
        : "grid " + report.gridName() + ", run " + report.runId();
  }

  private static Path writePng(BufferedImage image, Path file) throws IOException {
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available to write " + file);
    }
    return file;
  }
}
