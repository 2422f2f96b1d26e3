package io.sparksweep.bench;

/** Small statistics of the benchmark's repetitions. */
final class Stats {
  private Stats() {}

  /** The median of an ascending array (mean of the middle two for an even length). */
  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }
}
