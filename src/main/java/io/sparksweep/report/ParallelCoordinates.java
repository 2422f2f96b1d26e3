package io.sparksweep.report;

import io.sparksweep.search.TrialStatus;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parallel-coordinates view of a run: one vertical axis per varied hyperparameter and a last one
 * for best validation accuracy, one polyline per OK trial through its values, coloured by its best
 * validation accuracy (viridis: dark purple = worst, yellow = best) and drawn worst first, so the
 * best trials lie on top; the top {@value ChartData#TOP_N} are drawn thicker.
 *
 * <p>Numeric axes are linear, or logarithmic for learning rate, weight scale and L2 strength and
 * for any positive axis spanning two decades (as the sweep charts); other axes ({@code
 * update_rule}, {@code hidden_dims}, …) place their values evenly, in the order of the strip
 * charts.
 */
final class ParallelCoordinates {
  /** Image width in pixels. */
  static final int WIDTH = Figure.WIDTH;

  /** Image height in pixels. */
  static final int HEIGHT = 560;

  private static final int TOP = 70;
  private static final int BOTTOM = 90;
  private static final int LEFT = 70;
  private static final int RIGHT = 140;
  private static final Font TITLE_FONT = Figure.TITLE_FONT;
  private static final Font AXIS_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 13);
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

  /** Matplotlib's viridis at 0, 0.25, 0.5, 0.75 and 1. */
  private static final Color[] VIRIDIS = {
    new Color(0x440154),
    new Color(0x3b528b),
    new Color(0x21918c),
    new Color(0x5ec962),
    new Color(0xfde725)
  };

  private ParallelCoordinates() {}

  /** One vertical axis: where each trial's value falls, in [0, 1] from bottom to top. */
  private record Scale(String column, boolean numeric, boolean log, List<String> categories) {
    double min(List<TrialRow> rows) {
      return rows.stream().mapToDouble(this::raw).min().orElse(0);
    }

    double max(List<TrialRow> rows) {
      return rows.stream().mapToDouble(this::raw).max().orElse(1);
    }

    double raw(TrialRow r) {
      String v = r.hyperparameters().get(column);
      if (!numeric) {
        return categories.indexOf(v == null ? Format.MISSING : Format.value(v));
      }
      double x = Format.parse(v);
      return log ? Math.log10(x) : x;
    }
  }

  /**
   * Whether the view has anything to show: at least one varied axis and two OK trials with a finite
   * best validation accuracy.
   */
  static boolean drawable(List<TrialRow> rows, List<String> axes) {
    return !axes.isEmpty() && used(rows).size() >= 2;
  }

  private static List<TrialRow> used(List<TrialRow> rows) {
    return rows.stream()
        .filter(r -> r.status() == TrialStatus.OK && Double.isFinite(r.bestValAcc()))
        .toList();
  }

  /**
   * Draws the view.
   *
   * @param title the image's title
   * @param rows the run's trials (only OK trials with a finite best validation accuracy are drawn)
   * @param axes the varied columns, in column order (numeric ones from {@link ChartData#sweepAxes},
   *     the others from {@link ChartData#categoricalAxes})
   * @param numericAxes which of {@code axes} are numeric
   * @return an RGB image on white
   */
  static BufferedImage render(
      String title, List<TrialRow> rows, List<String> axes, Set<String> numericAxes) {
    List<TrialRow> used = new ArrayList<>(used(rows));
    List<Scale> scales = new ArrayList<>();
    for (String axis : axes) {
      boolean numeric = numericAxes.contains(axis);
      if (numeric) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (TrialRow r : used) {
          double x = Format.parse(r.hyperparameters().get(axis));
          min = Math.min(min, x);
          max = Math.max(max, x);
        }
        boolean log =
            min > 0 && (ChartData.LOG_AXES.contains(axis) || max / min >= ChartData.LOG_SPAN);
        scales.add(new Scale(axis, true, log, List.of()));
      } else {
        Set<String> values = new TreeSet<>(ChartData.SERIES_ORDER);
        for (TrialRow r : used) {
          String v = r.hyperparameters().get(axis);
          values.add(v == null ? Format.MISSING : Format.value(v));
        }
        scales.add(new Scale(axis, false, false, List.copyOf(values)));
      }
    }
    double accMin = used.stream().mapToDouble(TrialRow::bestValAcc).min().orElse(0);
    double accMax = used.stream().mapToDouble(TrialRow::bestValAcc).max().orElse(1);
    List<TrialRow> top = ChartData.top(rows, ChartData.TOP_N);

    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(TITLE_FONT);
      FontMetrics tm = g.getFontMetrics();
      g.drawString(title, (WIDTH - tm.stringWidth(title)) / 2, 32);

      int n = scales.size() + 1; // the accuracy axis last
      double plotTop = TOP;
      double plotBottom = HEIGHT - BOTTOM;
      double[] xs = new double[n];
      for (int i = 0; i < n; i++) {
        xs[i] = LEFT + (WIDTH - LEFT - RIGHT) * (n == 1 ? 0.5 : (double) i / (n - 1));
      }
      double[][] bounds = new double[scales.size()][];
      for (int i = 0; i < scales.size(); i++) {
        Scale s = scales.get(i);
        double lo = s.numeric() ? s.min(used) : 0;
        double hi = s.numeric() ? s.max(used) : Math.max(1, s.categories().size() - 1);
        if (hi == lo) {
          lo -= 0.5;
          hi += 0.5;
        }
        bounds[i] = new double[] {lo, hi};
      }
      double accLo = accMin == accMax ? accMin - 0.01 : accMin;
      double accHi = accMin == accMax ? accMax + 0.01 : accMax;

      // Worst first, so the best trials are drawn on top; top trials last of all.
      used.sort(
          Comparator.comparing((TrialRow r) -> ChartData.rankOf(top, r) >= 0)
              .thenComparingDouble(TrialRow::bestValAcc)
              .thenComparing(RunReport.TRIAL_ORDER));
      for (TrialRow r : used) {
        Path2D.Double line = new Path2D.Double();
        for (int i = 0; i < n; i++) {
          double t;
          if (i < scales.size()) {
            Scale s = scales.get(i);
            double v = s.raw(r);
            t = (v - bounds[i][0]) / (bounds[i][1] - bounds[i][0]);
            if (!s.numeric() && s.categories().size() == 1) {
              t = 0.5;
            }
          } else {
            t = (r.bestValAcc() - accLo) / (accHi - accLo);
          }
          double y = plotBottom - t * (plotBottom - plotTop);
          if (i == 0) {
            line.moveTo(xs[i], y);
          } else {
            line.lineTo(xs[i], y);
          }
        }
        boolean isTop = ChartData.rankOf(top, r) >= 0;
        Color c = viridis((r.bestValAcc() - accLo) / (accHi - accLo));
        g.setColor(isTop ? c : new Color(c.getRed(), c.getGreen(), c.getBlue(), 170));
        g.setStroke(
            new BasicStroke(isTop ? 3.5f : 1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
        g.draw(line);
      }

      // Axes with their names and ticks, over the lines.
      g.setStroke(new BasicStroke(1.5f));
      for (int i = 0; i < n; i++) {
        g.setColor(Color.DARK_GRAY);
        g.drawLine((int) xs[i], (int) plotTop, (int) xs[i], (int) plotBottom);
        String name =
            i < scales.size()
                ? RunAxes.shortName(scales.get(i).column()) + (scales.get(i).log() ? " (log)" : "")
                : "best val acc";
        g.setFont(AXIS_FONT);
        g.setColor(Color.BLACK);
        FontMetrics am = g.getFontMetrics();
        g.drawString(name, (int) (xs[i] - am.stringWidth(name) / 2.0), (int) plotBottom + 28);
        g.setFont(TICK_FONT);
        List<double[]> ticks = new ArrayList<>(); // {t, value}
        List<String> labels = new ArrayList<>();
        if (i < scales.size()) {
          Scale s = scales.get(i);
          if (s.numeric()) {
            Set<Double> distinct = new TreeSet<>();
            used.forEach(r -> distinct.add(s.raw(r)));
            List<Double> shown = new ArrayList<>(distinct);
            if (shown.size() > 6) {
              shown =
                  List.of(shown.get(0), shown.get(shown.size() / 2), shown.get(shown.size() - 1));
            }
            for (double v : shown) {
              ticks.add(new double[] {(v - bounds[i][0]) / (bounds[i][1] - bounds[i][0])});
              labels.add(Format.compact(s.log() ? Math.pow(10, v) : v));
            }
          } else {
            for (int c = 0; c < s.categories().size(); c++) {
              double t = s.categories().size() == 1 ? 0.5 : (double) c / bounds[i][1];
              ticks.add(new double[] {t});
              labels.add(s.categories().get(c));
            }
          }
        } else {
          for (int k = 0; k <= 4; k++) {
            ticks.add(new double[] {k / 4.0});
            labels.add(Format.accuracy(accLo + (accHi - accLo) * k / 4.0));
          }
        }
        FontMetrics fm = g.getFontMetrics();
        for (int k = 0; k < ticks.size(); k++) {
          int y = (int) Math.round(plotBottom - ticks.get(k)[0] * (plotBottom - plotTop));
          g.setColor(Color.DARK_GRAY);
          g.drawLine((int) xs[i] - 4, y, (int) xs[i] + 4, y);
          String label = labels.get(k);
          int w = fm.stringWidth(label);
          g.setColor(new Color(255, 255, 255, 210));
          g.fillRect((int) xs[i] + 6, y - fm.getAscent() + 2, w + 4, fm.getAscent());
          g.setColor(Color.BLACK);
          g.drawString(label, (int) xs[i] + 8, y + 4);
        }
      }

      // Colour bar.
      int barX = WIDTH - RIGHT + 60;
      int barW = 18;
      for (int y = (int) plotTop; y <= (int) plotBottom; y++) {
        double t = (plotBottom - y) / (plotBottom - plotTop);
        g.setColor(viridis(t));
        g.drawLine(barX, y, barX + barW, y);
      }
      g.setColor(Color.DARK_GRAY);
      g.drawRect(barX, (int) plotTop, barW, (int) (plotBottom - plotTop));
      g.setColor(Color.BLACK);
      g.setFont(TICK_FONT);
      g.drawString(Format.accuracy(accHi), barX - 6, (int) plotTop - 8);
      g.drawString(Format.accuracy(accLo), barX - 6, (int) plotBottom + 18);
      g.setFont(AXIS_FONT);
      String legend = "colour: best val accuracy; thick lines: top " + ChartData.TOP_N + " trials";
      g.drawString(legend, LEFT, HEIGHT - 24);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Viridis at {@code t} in [0, 1] (clamped), linearly between five stops. */
  static Color viridis(double t) {
    double x = Double.isFinite(t) ? Math.max(0, Math.min(1, t)) : 0;
    double scaled = x * (VIRIDIS.length - 1);
    int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(scaled));
    double f = scaled - i;
    Color a = VIRIDIS[i];
    Color b = VIRIDIS[i + 1];
    return new Color(
        (int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
        (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
        (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
  }
}
