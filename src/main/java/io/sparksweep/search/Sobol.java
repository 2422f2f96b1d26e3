package io.sparksweep.search;

import io.sparksweep.tensor.SplitMix64;

/**
 * The Sobol low-discrepancy sequence in up to {@link #MAX_DIMENSIONS} dimensions, 32 bits per
 * coordinate, in Gray-code order (as Joe and Kuo's {@code sobol.cc} and SciPy's {@code
 * scipy.stats.qmc.Sobol} emit it), with the direction numbers of Joe and Kuo's {@code
 * new-joe-kuo-6.21201} table. A digital shift (every coordinate XOR-ed with a random 32-bit word
 * per dimension, drawn from the seed) randomises the sequence while keeping its net property: the
 * first 2<sup>k</sup> points still put exactly one point in each of the 2<sup>k</sup> equal
 * intervals of every coordinate.
 */
final class Sobol {
  /** Dimensions with direction numbers here. */
  static final int MAX_DIMENSIONS = 16;

  /**
   * Joe–Kuo dimensions 2 to 16: degree s, coefficients a, initial direction numbers m<sub>1</sub> …
   * m<sub>s</sub>. (Dimension 1 is the van der Corput sequence: every m = 1.)
   */
  private static final int[][] TABLE = {
    {1, 0, 1},
    {2, 1, 1, 3},
    {3, 1, 1, 3, 1},
    {3, 2, 1, 1, 1},
    {4, 1, 1, 1, 3, 3},
    {4, 4, 1, 3, 5, 13},
    {5, 2, 1, 1, 5, 5, 17},
    {5, 4, 1, 1, 5, 5, 5},
    {5, 7, 1, 1, 7, 11, 19},
    {5, 11, 1, 1, 5, 1, 1},
    {5, 13, 1, 1, 1, 3, 11},
    {5, 14, 1, 3, 5, 5, 31},
    {6, 1, 1, 3, 3, 9, 7, 49},
    {6, 13, 1, 1, 1, 15, 21, 21},
    {6, 16, 1, 3, 1, 13, 27, 49},
  };

  private static final int BITS = 32;

  /** direction[d][k]: V<sub>k+1</sub> of dimension d, left-aligned in 32 bits. */
  private final int[][] direction;

  private final int[] shift;

  /**
   * A digitally shifted sequence; the shift is drawn from {@code seed}.
   *
   * @param dimensions coordinates per point, 1 to {@link #MAX_DIMENSIONS}
   * @param seed the shift's seed
   */
  Sobol(int dimensions, long seed) {
    this(dimensions, shifts(dimensions, seed));
  }

  /** A sequence XOR-ed with {@code shift} (all zeros: the plain sequence). */
  Sobol(int dimensions, int[] shift) {
    if (dimensions < 1 || dimensions > MAX_DIMENSIONS || shift.length != dimensions) {
      throw new IllegalArgumentException(
          "Sobol dimensions " + dimensions + ": 1 to " + MAX_DIMENSIONS + " with one shift each");
    }
    this.shift = shift.clone();
    direction = new int[dimensions][BITS];
    for (int k = 0; k < BITS; k++) {
      direction[0][k] = 1 << (BITS - 1 - k);
    }
    for (int d = 1; d < dimensions; d++) {
      int[] row = TABLE[d - 1];
      int s = row[0];
      int a = row[1];
      int[] v = direction[d];
      for (int k = 0; k < s && k < BITS; k++) {
        v[k] = row[2 + k] << (BITS - 1 - k);
      }
      for (int k = s; k < BITS; k++) {
        int x = v[k - s] ^ (v[k - s] >>> s);
        for (int i = 1; i < s; i++) {
          if (((a >>> (s - 1 - i)) & 1) != 0) {
            x ^= v[k - i];
          }
        }
        v[k] = x;
      }
    }
  }

  private static int[] shifts(int dimensions, long seed) {
    SplitMix64 random = new SplitMix64(seed);
    int[] s = new int[Math.max(0, dimensions)];
    for (int d = 0; d < s.length; d++) {
      s[d] = random.nextInt();
    }
    return s;
  }

  /** Coordinates per point. */
  int dimensions() {
    return direction.length;
  }

  /**
   * Point {@code index} of the sequence, each coordinate in [0, 1).
   *
   * @param index 0 to 2<sup>32</sup> - 1
   * @return the point's coordinates
   */
  double[] point(long index) {
    if (index < 0 || index >= 1L << BITS) {
      throw new IllegalArgumentException("Sobol index " + index + " outside [0, 2^32)");
    }
    long gray = index ^ (index >>> 1);
    double[] u = new double[direction.length];
    for (int d = 0; d < direction.length; d++) {
      int x = shift[d];
      for (int k = 0; k < BITS; k++) {
        if (((gray >>> k) & 1) != 0) {
          x ^= direction[d][k];
        }
      }
      u[d] = (x & 0xFFFF_FFFFL) * 0x1p-32;
    }
    return u;
  }
}
