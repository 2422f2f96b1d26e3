package io.sparksweep.report;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How much of the spread in validation accuracy each varied hyperparameter explains: for each axis,
 * the OK trials (with a finite best validation accuracy) are grouped by the axis's value, and the
 * axis's importance is the one-way ANOVA effect size η² (eta squared), the between-group sum of
 * squares over the total sum of squares:
 *
 * <pre>
 *   y_i  = best val acc of trial i,   ȳ = mean of all y_i,   ȳ_g = mean of group g (n_g trials)
 *   SS_total   = Σ_i (y_i − ȳ)²
 *   SS_between = Σ_g n_g (ȳ_g − ȳ)²
 *   importance = SS_between / SS_total   (0 when SS_total = 0)
 * </pre>
 *
 * <p>It is the fraction of the variance that knowing this axis alone removes: 1 when trials sharing
 * a value always score the same, 0 when the groups' means are equal. It is a marginal measure (a
 * "fANOVA-lite"): on a full, balanced grid the axes' fractions add up to at most 1 and the rest is
 * interactions and noise (repeats); on an unbalanced or random design correlated axes can share
 * credit, so the sum can exceed 1. Numbers are grouped by value ({@code 0.001} and {@code 1e-3} are
 * one group).
 *
 * @param axis the column, such as {@code learning_rate}
 * @param groups distinct values among the trials used, or the number of bins when binned
 * @param trials trials used (OK with a finite best validation accuracy; in a run with trials
 *     stopped early, OK and stopped trials with a validation accuracy at the {@link #commonEpoch})
 * @param fraction η², in [0, 1]
 * @param binned whether the axis's values were grouped into {@link #BINS} bins
 */
record Importance(String axis, int groups, int trials, double fraction, boolean binned) {
  /**
   * A numeric axis with more distinct values than this among the trials used (a sampled space,
   * where every trial may have its own value, and so its own group: η² = 1 whatever the data) is
   * grouped into this many bins of its values instead.
   */
  static final int BINS = 5;

  /** Checks the fraction is a number in [0, 1]. */
  Importance {
    Objects.requireNonNull(axis, "axis");
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction of " + axis + " is " + fraction);
    }
  }

  /**
   * The epoch whose validation accuracy an adaptive run's importance compares, or 0 when it
   * compares best validation accuracy. A run where a scheduler stopped trials early (some trial is
   * {@link TrialStatus#STOPPED}) trained its trials for different budgets, and its OK trials are
   * the few it promoted to the end: best validation accuracy would rank the scheduler's choice, not
   * the axes. Its trials are compared at the same budget instead, the smallest number of epochs any
   * OK or stopped trial reached (the first rung), at which every one of them has a validation
   * accuracy.
   *
   * @param rows the run's trials
   * @return the common epoch (≥ 1), or 0 when no trial was stopped early
   */
  static int commonEpoch(List<TrialRow> rows) {
    if (rows.stream().noneMatch(r -> r.status() == TrialStatus.STOPPED)) {
      return 0;
    }
    return rows.stream()
        .filter(r -> r.status() == TrialStatus.OK || r.status() == TrialStatus.STOPPED)
        .mapToInt(r -> r.epochs().stream().mapToInt(EpochRecord::epoch).max().orElse(0))
        .filter(e -> e > 0)
        .min()
        .orElse(0);
  }

  /**
   * The importance of each axis, most important first (ties in the order of {@code axes}): over the
   * OK trials' best validation accuracy, or, in a run with trials stopped early, over the OK and
   * stopped trials' validation accuracy at the {@link #commonEpoch}. Axes with fewer than two
   * groups among the trials used are left out.
   *
   * @param rows the run's trials
   * @param axes the columns to rank, in column order
   * @return one entry per axis with at least two values among the trials used
   */
  static List<Importance> of(List<TrialRow> rows, List<String> axes) {
    int epoch = commonEpoch(rows);
    List<Map.Entry<TrialRow, Double>> used = new ArrayList<>();
    for (TrialRow r : rows) {
      double y =
          epoch == 0
              ? (r.status() == TrialStatus.OK ? r.bestValAcc() : Double.NaN)
              : (r.status() == TrialStatus.OK || r.status() == TrialStatus.STOPPED
                  ? valAccAt(r, epoch)
                  : Double.NaN);
      if (Double.isFinite(y)) {
        used.add(Map.entry(r, y));
      }
    }
    double mean = used.stream().mapToDouble(Map.Entry::getValue).average().orElse(Double.NaN);
    double total = 0;
    for (Map.Entry<TrialRow, Double> e : used) {
      double d = e.getValue() - mean;
      total += d * d;
    }
    List<Importance> out = new ArrayList<>();
    for (String axis : axes) {
      Map<String, double[]> groups = new LinkedHashMap<>(); // value → {sum, count}
      for (Map.Entry<TrialRow, Double> e : used) {
        String v = e.getKey().hyperparameters().get(axis);
        String group = v == null ? "\0missing" : Format.canonical(v);
        double[] g = groups.computeIfAbsent(group, k -> new double[2]);
        g[0] += e.getValue();
        g[1]++;
      }
      boolean binned = groups.size() > BINS && numeric(used, axis);
      if (binned) {
        groups = bins(used, axis);
      }
      if (groups.size() < 2) {
        continue;
      }
      double between = 0;
      for (double[] g : groups.values()) {
        double d = g[0] / g[1] - mean;
        between += g[1] * d * d;
      }
      double fraction = total > 0 ? Math.min(1.0, Math.max(0.0, between / total)) : 0.0;
      out.add(new Importance(axis, groups.size(), used.size(), fraction, binned));
    }
    List<Importance> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparingDouble(Importance::fraction).reversed());
    return List.copyOf(sorted);
  }

  /**
   * What the importance of a run compares, for captions: {@code best validation accuracy over the
   * OK trials}, or, with a {@link #commonEpoch} e, {@code validation accuracy after e epochs (the
   * first rung) over the OK and stopped-early trials}.
   *
   * @param commonEpoch {@link #commonEpoch} of the run
   */
  static String measured(int commonEpoch) {
    return commonEpoch == 0
        ? "best validation accuracy over the OK trials"
        : "validation accuracy after "
            + commonEpoch
            + (commonEpoch == 1 ? " epoch" : " epochs")
            + " (the first rung, which every trial reached) over the OK and stopped-early trials";
  }

  /** Whether every trial used has a finite number for the axis. */
  private static boolean numeric(List<Map.Entry<TrialRow, Double>> used, String axis) {
    for (Map.Entry<TrialRow, Double> e : used) {
      String v = e.getKey().hyperparameters().get(axis);
      if (v == null || !Format.isNumber(v) || !Double.isFinite(Format.parse(v))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The trials grouped into {@link #BINS} bins of the axis's distinct values in increasing order,
   * each bin holding an equal share of them (distinct value number q of d goes to bin ⌊q · BINS /
   * d⌋), so equal values share a bin: {sum of y, count} per bin.
   */
  private static Map<String, double[]> bins(List<Map.Entry<TrialRow, Double>> used, String axis) {
    java.util.TreeMap<Double, double[]> byValue = new java.util.TreeMap<>();
    for (Map.Entry<TrialRow, Double> e : used) {
      double x = Format.parse(e.getKey().hyperparameters().get(axis));
      double[] g = byValue.computeIfAbsent(x, k -> new double[2]);
      g[0] += e.getValue();
      g[1]++;
    }
    Map<String, double[]> bins = new LinkedHashMap<>();
    int d = byValue.size();
    int q = 0;
    for (double[] g : byValue.values()) {
      double[] bin = bins.computeIfAbsent("bin " + (q * BINS / d), k -> new double[2]);
      bin[0] += g[0];
      bin[1] += g[1];
      q++;
    }
    return bins;
  }

  private static double valAccAt(TrialRow r, int epoch) {
    for (EpochRecord e : r.epochs()) {
      if (e.epoch() == epoch) {
        return e.valAcc();
      }
    }
    return Double.NaN;
  }
}
