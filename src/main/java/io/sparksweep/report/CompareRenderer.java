package io.sparksweep.report;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialStatus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import javax.imageio.ImageIO;

/**
 * Writes a page that compares runs side by side into a folder:
 *
 * <ul>
 *   <li>{@value #VAL_ACC}: a strip chart of every OK trial's best validation accuracy per run, with
 *       each run's mean and the overall top {@value ChartData#TOP_N} trials in colour;
 *   <li>{@value #CURVES}: the learning curves of each run's best trial;
 *   <li>{@code index.html}: one row per run (grid, trial counts by status, best validation and test
 *       accuracy, the axes it varies) and the hyperparameters of each run's best trial side by
 *       side, values that differ between the runs in bold.
 * </ul>
 *
 * <p>Like {@link ReportRenderer}, its output is a function of its input alone.
 */
public final class CompareRenderer {
  /** The validation-accuracy strip chart's file name. */
  public static final String VAL_ACC = "compare_val_acc.png";

  /** The best trials' learning-curve chart's file name. */
  public static final String CURVES = "compare_best_curves.png";

  /** The column that carries each trial's run in the charts' data. */
  static final String RUN = "run";

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private CompareRenderer() {}

  /**
   * Writes the comparison of {@code runs} into {@code outDir} (created if missing).
   *
   * @param runs two or more runs, in the order to show them
   * @param outDir the folder
   * @return the page and the charts written
   * @throws IOException if a file cannot be written
   * @throws IllegalArgumentException if fewer than two runs are given, or a run id repeats
   */
  public static ReportFiles render(List<RunReport> runs, Path outDir) throws IOException {
    Objects.requireNonNull(runs, "runs");
    Objects.requireNonNull(outDir, "outDir");
    if (runs.size() < 2) {
      throw new IllegalArgumentException(
          "a comparison needs at least two runs, got " + runs.size());
    }
    Set<String> ids = new LinkedHashSet<>();
    for (RunReport r : runs) {
      if (!ids.add(r.runId())) {
        throw new IllegalArgumentException("run " + r.runId() + " is given twice");
      }
    }
    Files.createDirectories(outDir);
    List<TrialRow> tagged = new ArrayList<>();
    List<TrialRow> bestOfEach = new ArrayList<>();
    int offset = 0;
    for (RunReport run : runs) {
      String label = label(run);
      for (TrialRow r : run.rows()) {
        tagged.add(retag(r, label, offset + r.trialIndex()));
      }
      TrialRow best = HtmlReport.best(run.rows());
      if (best != null) {
        bestOfEach.add(retag(best, label, bestOfEach.size()));
      }
      offset += run.rows().stream().mapToInt(TrialRow::trialIndex).max().orElse(0) + 1;
    }
    List<Path> written = new ArrayList<>();
    List<ChartFile> charts = new ArrayList<>();
    if (tagged.stream().anyMatch(r -> r.status() == TrialStatus.OK)) {
      ChartData.Strip strip = ChartData.strip(tagged, RUN);
      Path file = outDir.resolve(VAL_ACC);
      write(Charts.strip("Best val accuracy by run", strip).render(), file);
      written.add(file);
      charts.add(
          new ChartFile(
              VAL_ACC,
              "Best val accuracy by run",
              "Every OK trial's best validation accuracy, one column per run (black bar: the run's"
                  + " mean; the top "
                  + ChartData.TOP_N
                  + " trials of all runs in colour)."));
    }
    if (bestOfEach.stream().anyMatch(r -> !r.epochs().isEmpty())) {
      List<TrialRow> withCurves = bestOfEach.stream().filter(r -> !r.epochs().isEmpty()).toList();
      ChartData.Curves curves = ChartData.learningCurves(withCurves, new RunAxes(withCurves));
      Path file = outDir.resolve(CURVES);
      write(
          Charts.learningCurves("Learning curves of each run's best trial", curves).render(), file);
      written.add(file);
      charts.add(
          new ChartFile(
              CURVES,
              "Best trial of each run",
              "Training loss, training accuracy and validation accuracy per epoch of each run's"
                  + " best trial (by best validation accuracy)."));
    }
    Path index = outDir.resolve(ReportRenderer.INDEX);
    Files.writeString(index, page(runs, charts), StandardCharsets.UTF_8);
    return new ReportFiles(index, written);
  }

  /** A run's label in charts: {@code grid (run id)}, or the run id. */
  static String label(RunReport run) {
    return run.gridName().isEmpty() ? run.runId() : run.gridName() + " (" + run.runId() + ")";
  }

  /** The trial with {@code run → label} as its only hyperparameter, re-indexed. */
  private static TrialRow retag(TrialRow r, String label, int index) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put(RUN, label);
    return new TrialRow(
        r.trialKey(),
        index,
        r.repeat(),
        r.seed(),
        h,
        r.status(),
        r.error(),
        r.divergedEpoch(),
        r.bestValAcc(),
        r.valAcc(),
        r.testAcc(),
        r.finalTrainAcc(),
        r.epochsRun(),
        r.trainSeconds(),
        r.executor(),
        new ArrayList<EpochRecord>(r.epochs()));
  }

  private static void write(java.awt.image.BufferedImage image, Path file) throws IOException {
    if (!ImageIO.write(image, "png", file.toFile())) {
      throw new IOException("no PNG writer available to write " + file);
    }
  }

  private static String page(List<RunReport> runs, List<ChartFile> charts) {
    StringBuilder h = new StringBuilder(16_384);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
        .append("<title>sparksweep: comparison of ")
        .append(runs.size())
        .append(" runs</title>\n<style>\n")
        .append(HtmlReport.CSS)
        .append("td.differs { font-weight: bold; background: #fff8d6; }\n")
        .append("</style>\n</head>\n<body>\n")
        .append("<h1 id=\"heading\">Comparison of ")
        .append(runs.size())
        .append(" runs</h1>\n");

    h.append("<h2>Runs</h2>\n<table id=\"runs\" class=\"sortable\">\n<thead>\n<tr>");
    for (String name :
        List.of(
            "run",
            "grid",
            "trials",
            "OK",
            "DIVERGED",
            "FAILED",
            "best val acc",
            "test acc of best",
            "best trial",
            "varied axes")) {
      h.append("<th>").append(Format.html(name)).append("</th>");
    }
    h.append("</tr>\n</thead>\n<tbody>\n");
    List<TrialRow> bests = new ArrayList<>();
    for (RunReport run : runs) {
      TrialRow best = HtmlReport.best(run.rows());
      bests.add(best);
      RunAxes axes = new RunAxes(run.rows());
      h.append("<tr><td><code>")
          .append(Format.html(run.runId()))
          .append("</code></td><td>")
          .append(Format.html(run.gridName()))
          .append("</td>");
      h.append("<td class=\"num\">").append(run.rows().size()).append("</td>");
      for (TrialStatus s : List.of(TrialStatus.OK, TrialStatus.DIVERGED, TrialStatus.FAILED)) {
        long n = run.rows().stream().filter(r -> r.status() == s).count();
        h.append("<td class=\"num\">").append(n).append("</td>");
      }
      double bestVal = best == null ? Double.NaN : best.bestValAcc();
      double test = best == null ? Double.NaN : best.testAcc();
      h.append("<td class=\"num\" data-v=\"")
          .append(Format.sortKey(bestVal))
          .append("\">")
          .append(Format.accuracy(bestVal))
          .append("</td><td class=\"num\" data-v=\"")
          .append(Format.sortKey(test))
          .append("\">")
          .append(Format.accuracy(test))
          .append("</td><td>")
          .append(
              best == null
                  ? "none"
                  : "<code>"
                      + Format.html(best.trialKey())
                      + "</code> "
                      + Format.html(axes.label(best)))
          .append("</td><td>")
          .append(Format.html(String.join(", ", axes.varying())))
          .append("</td></tr>\n");
    }
    h.append("</tbody>\n</table>\n");

    h.append("<h2>Best trial of each run</h2>\n")
        .append("<p>Hyperparameters of each run's best trial; values that differ are marked.</p>\n")
        .append("<table id=\"best-trials\" class=\"sortable\">\n<thead>\n<tr><th>column</th>");
    for (RunReport run : runs) {
      h.append("<th>").append(Format.html(label(run))).append("</th>");
    }
    h.append("</tr>\n</thead>\n<tbody>\n");
    Set<String> columns = new java.util.TreeSet<>(TrialRow.KEY_ORDER);
    for (TrialRow b : bests) {
      if (b != null) {
        columns.addAll(b.hyperparameters().keySet());
      }
    }
    for (String c : columns) {
      Set<String> values = new LinkedHashSet<>();
      for (TrialRow b : bests) {
        String v = b == null ? null : b.hyperparameters().get(c);
        values.add(v == null ? Format.MISSING : Format.canonical(v));
      }
      boolean differs = values.size() > 1;
      h.append("<tr><td><code>").append(Format.html(c)).append("</code></td>");
      for (TrialRow b : bests) {
        String v = b == null ? null : b.hyperparameters().get(c);
        h.append(differs ? "<td class=\"differs\">" : "<td>")
            .append(v == null ? Format.MISSING : Format.html(Format.value(v)))
            .append("</td>");
      }
      h.append("</tr>\n");
    }
    h.append("</tbody>\n</table>\n");

    if (!charts.isEmpty()) {
      h.append("<h2>Charts</h2>\n");
      for (ChartFile c : charts) {
        h.append("<figure>\n<img src=\"")
            .append(Format.html(c.fileName()))
            .append("\" alt=\"")
            .append(Format.html(c.title()))
            .append("\"/>\n<figcaption>")
            .append(Format.html(c.caption()))
            .append("</figcaption>\n</figure>\n");
      }
    }
    h.append("<script>\n").append(HtmlReport.SCRIPT).append("</script>\n</body>\n</html>\n");
    return h.toString();
  }
}
