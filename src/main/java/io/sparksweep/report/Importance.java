package io.sparksweep.report;

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
 * @param groups distinct values among the trials used
 * @param trials trials used (OK, finite best validation accuracy)
 * @param fraction η², in [0, 1]
 */
record Importance(String axis, int groups, int trials, double fraction) {

  /** Checks the fraction is a number in [0, 1]. */
  Importance {
    Objects.requireNonNull(axis, "axis");
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new IllegalArgumentException("fraction of " + axis + " is " + fraction);
    }
  }

  /**
   * The importance of each axis over the OK trials of {@code rows}, most important first (ties in
   * the order of {@code axes}). Axes with fewer than two groups among those trials are left out.
   *
   * @param rows the run's trials
   * @param axes the columns to rank, in column order
   * @return one entry per axis with at least two values among the OK trials
   */
  static List<Importance> of(List<TrialRow> rows, List<String> axes) {
    List<TrialRow> used =
        rows.stream()
            .filter(r -> r.status() == TrialStatus.OK && Double.isFinite(r.bestValAcc()))
            .toList();
    double mean = used.stream().mapToDouble(TrialRow::bestValAcc).average().orElse(Double.NaN);
    double total = 0;
    for (TrialRow r : used) {
      double d = r.bestValAcc() - mean;
      total += d * d;
    }
    List<Importance> out = new ArrayList<>();
    for (String axis : axes) {
      Map<String, double[]> groups = new LinkedHashMap<>(); // value → {sum, count}
      for (TrialRow r : used) {
        String v = r.hyperparameters().get(axis);
        String group = v == null ? "\0missing" : Format.canonical(v);
        double[] g = groups.computeIfAbsent(group, k -> new double[2]);
        g[0] += r.bestValAcc();
        g[1]++;
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
      out.add(new Importance(axis, groups.size(), used.size(), fraction));
    }
    List<Importance> sorted = new ArrayList<>(out);
    sorted.sort(Comparator.comparingDouble(Importance::fraction).reversed());
    return List.copyOf(sorted);
  }
}
