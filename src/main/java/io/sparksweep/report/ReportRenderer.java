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
 *   <li>{@value #LEARNING_CURVES}: training loss, training accuracy and validation accuracy per
 *       epoch, one line per OK trial, labelled by the hyperparameters the run varies (the
 *       notebooks' {@code plot_training_history}); written when some OK trial has epochs.
 *   <li>{@code <column>.png} for each numeric hyperparameter the OK trials vary, such as {@code
 *       weight_scale.png}, {@code batch_size.png}, {@code learning_rate.png}: best validation
 *       accuracy, best training accuracy and final training loss against it, one series per
 *       normalization, on a log axis for learning rate, weight scale and L2 strength (the
 *       notebook's BatchNormalization weight-scale cell) and for any positive axis spanning two
 *       decades.
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

  /** The filter grid's file name. */
  public static final String FILTERS = "filters.png";

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
    Set<String> names = new HashSet<>(Set.of(INDEX, LEARNING_CURVES, FILTERS));

    ChartData.Curves curves = ChartData.learningCurves(rows, axes);
    if (curves.seriesCount() > 0) {
      Figure figure = Charts.learningCurves("Learning curves (run " + report.runId() + ")", curves);
      written.add(writePng(figure.render(), outDir.resolve(LEARNING_CURVES)));
      long total = rows.size();
      charts.add(
          new ChartFile(
              LEARNING_CURVES,
              "Learning curves",
              "Training loss (epoch mean), training accuracy and validation accuracy per epoch,"
                  + " one line per OK trial ("
                  + curves.seriesCount()
                  + " of "
                  + total
                  + " trials"
                  + (curves.seriesCount() > Charts.MAX_LEGEND_ITEMS
                      ? "; too many for a legend, see the table"
                      : "")
                  + "). DIVERGED and FAILED trials are left out."));
    }

    for (String axis : ChartData.sweepAxes(rows)) {
      String file = sweepFileName(axis, names);
      ChartData.Sweep sweep = ChartData.sweep(rows, axis);
      String title = Charts.axisTitle(axis);
      Figure figure =
          Charts.sweep(
              "Accuracy and loss vs. "
                  + Character.toLowerCase(title.charAt(0))
                  + title.substring(1)
                  + " (run "
                  + report.runId()
                  + ")",
              sweep);
      written.add(writePng(figure.render(), outDir.resolve(file)));
      charts.add(
          new ChartFile(
              file,
              title,
              "Best validation accuracy, best training accuracy and final training loss against "
                  + axis
                  + (sweep.logScale() ? " (log scale)" : "")
                  + ", one line per normalization, OK trials only. Where several trials share a"
                  + " point, it shows the setting of the other hyperparameters with the best mean"
                  + " validation accuracy, averaged over repeats."));
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
    Files.writeString(index, HtmlReport.page(report, axes, charts), StandardCharsets.UTF_8);
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

  private static Path writePng(BufferedImage image, Path file) throws IOException {
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available to write " + file);
    }
    return file;
  }
}
