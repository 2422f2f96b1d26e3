package io.sparksweep.report;

import io.sparksweep.model.Normalization;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.GridAxis;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToDoubleFunction;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The datasets behind the charts, built from trial rows alone (no drawing): one series per trial
 * for the learning curves, one series per normalization for a hyperparameter sweep. Only OK trials
 * are plotted; non-finite values are left out.
 */
final class ChartData {
  /** The series of a sweep whose trials have no {@code normalization} column. */
  static final String ALL = "all";

  private static final String NORMALIZATION = GridAxis.NORMALIZATION.id();

  /** Axes the notebooks plot on a log scale when every value is positive. */
  static final Set<String> LOG_AXES =
      Set.of(GridAxis.LEARNING_RATE.id(), GridAxis.WEIGHT_SCALE.id(), GridAxis.REG.id());

  /** Other positive axes spanning at least this ratio get a log scale too. */
  static final double LOG_SPAN = 100.0;

  /** none, batchnorm, layernorm first (their enum order), then other names alphabetically. */
  static final Comparator<String> SERIES_ORDER =
      Comparator.comparingInt(ChartData::normalizationRank)
          .thenComparing(Comparator.naturalOrder());

  private ChartData() {}

  /**
   * Learning curves, one series per OK trial with epochs, in trial order, keyed by its label.
   *
   * @param loss mean training loss per epoch
   * @param trainAcc training-subset accuracy per epoch
   * @param valAcc validation accuracy per epoch
   */
  record Curves(
      XYSeriesCollection loss,
      XYSeriesCollection trainAcc,
      XYSeriesCollection valAcc,
      List<Integer> ranks,
      List<Boolean> stopped) {
    Curves {
      ranks = List.copyOf(ranks);
      stopped = List.copyOf(stopped);
    }

    /** Curves of which no trial was stopped early. */
    Curves(
        XYSeriesCollection loss,
        XYSeriesCollection trainAcc,
        XYSeriesCollection valAcc,
        List<Integer> ranks) {
      this(loss, trainAcc, valAcc, ranks, java.util.Collections.nCopies(ranks.size(), false));
    }

    /** Whether series {@code s} is a trial an adaptive scheduler stopped early. */
    boolean stopped(int s) {
      return stopped.get(s);
    }

    /** Number of trials drawn. */
    int seriesCount() {
      return loss.getSeriesCount();
    }

    /** The rank (0 = best) of series {@code s} among the top trials, or -1 if it is not one. */
    int rank(int s) {
      return ranks.get(s);
    }
  }

  /** How many trials the charts highlight (the rest are drawn in grey). */
  static final int TOP_N = 5;

  /**
   * The best OK trials by best validation accuracy (finite values only), best first; ties in report
   * order ({@link RunReport#TRIAL_ORDER}).
   *
   * @param rows the run's trials
   * @param n how many
   * @return at most {@code n} trials
   */
  static List<TrialRow> top(List<TrialRow> rows, int n) {
    return rows.stream()
        .filter(r -> r.status() == TrialStatus.OK && Double.isFinite(r.bestValAcc()))
        .sorted(
            Comparator.comparingDouble(TrialRow::bestValAcc)
                .reversed()
                .thenComparing(RunReport.TRIAL_ORDER))
        .limit(n)
        .toList();
  }

  /** The rank of {@code row} in {@code top} by identity of key and repeat, or -1. */
  static int rankOf(List<TrialRow> top, TrialRow row) {
    for (int i = 0; i < top.size(); i++) {
      TrialRow t = top.get(i);
      if (t.trialKey().equals(row.trialKey()) && t.repeat() == row.repeat()) {
        return i;
      }
    }
    return -1;
  }

  /**
   * One hyperparameter against the results, one series per normalization (x sorted ascending). When
   * several OK trials share a series and an x value (other axes, repeats), the point is the setting
   * of the other axes with the highest best validation accuracy, averaged over its repeats.
   *
   * @param axis the column on the x axis, such as {@code weight_scale}
   * @param logScale whether x is drawn on a log axis
   * @param bestValAcc best validation accuracy
   * @param bestTrainAcc best training accuracy ({@link TrialRow#bestTrainAcc()})
   * @param finalLoss final training loss ({@link TrialRow#finalLoss()})
   */
  record Sweep(
      String axis,
      boolean logScale,
      XYSeriesCollection bestValAcc,
      XYSeriesCollection bestTrainAcc,
      XYSeriesCollection finalLoss) {}

  /**
   * The learning curves of the OK trials of {@code rows}.
   *
   * @param rows the run's trials in report order
   * @param axes the run's axes, for labels
   * @return three datasets with one series per drawn trial; labels made unique by a suffix
   */
  static Curves learningCurves(List<TrialRow> rows, RunAxes axes) {
    XYSeriesCollection loss = new XYSeriesCollection();
    XYSeriesCollection train = new XYSeriesCollection();
    XYSeriesCollection val = new XYSeriesCollection();
    Set<String> used = new HashSet<>();
    List<TrialRow> best = top(rows, TOP_N);
    List<Integer> ranks = new ArrayList<>();
    List<Boolean> stopped = new ArrayList<>();
    for (TrialRow r : rows) {
      boolean early = r.status() == TrialStatus.STOPPED;
      if ((r.status() != TrialStatus.OK && !early) || r.epochs().isEmpty()) {
        continue;
      }
      String label = axes.label(r);
      String unique = label;
      for (int i = 2; !used.add(unique); i++) {
        unique = label + " (" + i + ")";
      }
      XYSeries l = new XYSeries(unique, true, false);
      XYSeries t = new XYSeries(unique, true, false);
      XYSeries v = new XYSeries(unique, true, false);
      for (EpochRecord e : r.epochs()) {
        addIfFinite(l, e.epoch(), e.loss());
        addIfFinite(t, e.epoch(), e.trainAcc());
        addIfFinite(v, e.epoch(), e.valAcc());
      }
      loss.addSeries(l);
      train.addSeries(t);
      val.addSeries(v);
      ranks.add(rankOf(best, r));
      stopped.add(early);
    }
    return new Curves(loss, train, val, ranks, stopped);
  }

  /**
   * The columns worth a sweep chart: every value among the OK trials is a number, and there are at
   * least two distinct ones.
   *
   * @param rows the run's trials
   * @return the columns, in column order
   */
  static List<String> sweepAxes(List<TrialRow> rows) {
    List<TrialRow> ok = ok(rows);
    Set<String> keys = new TreeSet<>(TrialRow.KEY_ORDER);
    ok.forEach(r -> keys.addAll(r.hyperparameters().keySet()));
    List<String> axes = new ArrayList<>();
    for (String k : keys) {
      Set<Double> values = new HashSet<>();
      boolean numeric = true;
      for (TrialRow r : ok) {
        String v = r.hyperparameters().get(k);
        if (v == null || !Format.isNumber(v) || !Double.isFinite(Format.parse(v))) {
          numeric = false;
          break;
        }
        values.add(Format.parse(v));
      }
      if (numeric && values.size() > 1) {
        axes.add(k);
      }
    }
    return axes;
  }

  /**
   * The sweep of one numeric column over the OK trials of {@code rows}.
   *
   * @param rows the run's trials
   * @param axis a column from {@link #sweepAxes}
   * @return the three datasets, series ordered none, batchnorm, layernorm, then others by name
   */
  static Sweep sweep(List<TrialRow> rows, String axis) {
    List<TrialRow> ok = ok(rows);
    // series → x → setting of the other axes → its trials (repeats)
    Map<String, Map<Double, Map<String, List<TrialRow>>>> groups = new TreeMap<>(SERIES_ORDER);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (TrialRow r : ok) {
      String v = r.hyperparameters().get(axis);
      if (v == null || !Format.isNumber(v)) {
        throw new IllegalArgumentException(
            "axis " + axis + " is not numeric for trial " + r.trialKey() + ": " + v);
      }
      double x = Format.parse(v);
      min = Math.min(min, x);
      max = Math.max(max, x);
      groups
          .computeIfAbsent(seriesOf(r), s -> new TreeMap<>())
          .computeIfAbsent(x, s -> new TreeMap<>())
          .computeIfAbsent(otherAxes(r, axis), s -> new ArrayList<>())
          .add(r);
    }
    boolean log = min > 0 && (LOG_AXES.contains(axis) || max / min >= LOG_SPAN);
    XYSeriesCollection val = new XYSeriesCollection();
    XYSeriesCollection train = new XYSeriesCollection();
    XYSeriesCollection loss = new XYSeriesCollection();
    for (Map.Entry<String, Map<Double, Map<String, List<TrialRow>>>> s : groups.entrySet()) {
      XYSeries v = new XYSeries(s.getKey(), true, false);
      XYSeries t = new XYSeries(s.getKey(), true, false);
      XYSeries l = new XYSeries(s.getKey(), true, false);
      for (Map.Entry<Double, Map<String, List<TrialRow>>> point : s.getValue().entrySet()) {
        List<TrialRow> best = null;
        double bestVal = Double.NaN;
        for (List<TrialRow> repeats : point.getValue().values()) {
          double m = mean(repeats, TrialRow::bestValAcc);
          if (best == null || (Double.isNaN(bestVal) && !Double.isNaN(m)) || m > bestVal) {
            best = repeats;
            bestVal = m;
          }
        }
        double x = point.getKey();
        addIfFinite(v, x, bestVal);
        addIfFinite(t, x, mean(best, TrialRow::bestTrainAcc));
        addIfFinite(l, x, mean(best, TrialRow::finalLoss));
      }
      val.addSeries(v);
      train.addSeries(t);
      loss.addSeries(l);
    }
    return new Sweep(axis, log, val, train, loss);
  }

  /**
   * The columns that the OK trials vary but that are not numbers ({@code update_rule}, {@code
   * normalization}, {@code model}, {@code hidden_dims}, …): each gets a strip chart.
   *
   * @param rows the run's trials
   * @return the columns, in column order
   */
  static List<String> categoricalAxes(List<TrialRow> rows) {
    List<String> numeric = sweepAxes(rows);
    List<String> out = new ArrayList<>();
    for (String k : new RunAxes(ok(rows)).varying()) {
      if (!numeric.contains(k)) {
        out.add(k);
      }
    }
    return out;
  }

  /**
   * One categorical column against best validation accuracy: every OK trial as a point above its
   * value, the top trials in their own colours, the others grey, and each value's mean.
   *
   * @param axis the column
   * @param categories the column's values, in display order (normalizations first, then by name)
   * @param counts per category: "n OK" and, if any, the DIVERGED and FAILED trials
   * @param means mean best validation accuracy per category (x = category index)
   * @param top one series per top trial (rank order), one point each
   * @param others the other OK trials
   */
  record Strip(
      String axis,
      List<String> categories,
      List<String> counts,
      XYSeries means,
      List<XYSeries> top,
      XYSeries others) {}

  /**
   * The strip chart data of a categorical column. Points within a category are spread
   * deterministically (by trial order) over ±0.3 so that equal accuracies stay visible.
   *
   * @param rows the run's trials
   * @param axis a column from {@link #categoricalAxes}
   * @return the data
   */
  static Strip strip(List<TrialRow> rows, String axis) {
    Set<String> values = new TreeSet<>(SERIES_ORDER);
    for (TrialRow r : rows) {
      values.add(valueOf(r, axis));
    }
    List<String> categories = List.copyOf(values);
    List<TrialRow> best = top(rows, TOP_N);
    XYSeries means = new XYSeries("mean", true, true);
    List<XYSeries> top = new ArrayList<>();
    for (int i = 0; i < best.size(); i++) {
      top.add(new XYSeries("#" + (i + 1), true, true));
    }
    XYSeries others = new XYSeries("other trials", true, true);
    List<String> counts = new ArrayList<>();
    for (int c = 0; c < categories.size(); c++) {
      String category = categories.get(c);
      List<TrialRow> members =
          ok(rows).stream()
              .filter(r -> category.equals(valueOf(r, axis)))
              .filter(r -> Double.isFinite(r.bestValAcc()))
              .toList();
      for (int j = 0; j < members.size(); j++) {
        TrialRow r = members.get(j);
        double x = c + (members.size() == 1 ? 0 : -0.3 + 0.6 * j / (members.size() - 1));
        int rank = rankOf(best, r);
        (rank >= 0 ? top.get(rank) : others).add(x, r.bestValAcc());
      }
      double m = mean(members, TrialRow::bestValAcc);
      if (Double.isFinite(m)) {
        means.add(c, m);
      }
      long diverged =
          rows.stream()
              .filter(r -> r.status() == TrialStatus.DIVERGED && category.equals(valueOf(r, axis)))
              .count();
      long failed =
          rows.stream()
              .filter(r -> r.status() == TrialStatus.FAILED && category.equals(valueOf(r, axis)))
              .count();
      counts.add(
          members.size()
              + " OK"
              + (diverged > 0 ? ", " + diverged + " div." : "")
              + (failed > 0 ? ", " + failed + " failed" : ""));
    }
    return new Strip(axis, categories, counts, means, top, others);
  }

  private static String valueOf(TrialRow r, String axis) {
    String v = r.hyperparameters().get(axis);
    return v == null ? Format.MISSING : Format.value(v);
  }

  private static int normalizationRank(String name) {
    Normalization[] order = Normalization.values();
    for (int i = 0; i < order.length; i++) {
      if (order[i].id().equals(name)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static String seriesOf(TrialRow r) {
    String n = r.hyperparameters().get(NORMALIZATION);
    return n == null ? ALL : n;
  }

  /** The values of every column but {@code axis} and normalization: repeats share this. */
  private static String otherAxes(TrialRow r, String axis) {
    Map<String, String> others = new LinkedHashMap<>();
    r.hyperparameters()
        .forEach(
            (k, v) -> {
              if (!k.equals(axis) && !k.equals(NORMALIZATION)) {
                others.put(k, Format.canonical(v));
              }
            });
    return others.toString();
  }

  /** Mean of the finite values, NaN when there are none. */
  private static double mean(List<TrialRow> rows, ToDoubleFunction<TrialRow> metric) {
    double sum = 0;
    int n = 0;
    for (TrialRow r : rows) {
      double v = metric.applyAsDouble(r);
      if (Double.isFinite(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static List<TrialRow> ok(List<TrialRow> rows) {
    return rows.stream().filter(r -> r.status() == TrialStatus.OK).toList();
  }

  private static void addIfFinite(XYSeries series, double x, double y) {
    if (Double.isFinite(y)) {
      series.add(x, y);
    }
  }
}
