package io.sparksweep.search;

/**
 * numpy's {@code linspace} and {@code logspace} (endpoint included, base 10), reproduced step by
 * step so that grid files written from the notebooks' {@code np.logspace(-4, 0, num=20)} give the
 * same values.
 */
final class Ranges {
  private Ranges() {}

  /**
   * {@code np.linspace(start, stop, num)}: {@code step = (stop - start) / (num - 1)}, value i is
   * {@code i * step + start}, and the last value is exactly {@code stop}.
   *
   * @param start first value
   * @param stop last value
   * @param num number of values (&ge; 1); 1 gives {@code [start]}
   * @return num values
   */
  static double[] linspace(double start, double stop, int num) {
    if (num < 1) {
      throw new IllegalArgumentException("num must be >= 1, got " + num);
    }
    double[] y = new double[num];
    if (num == 1) {
      y[0] = start;
      return y;
    }
    int div = num - 1;
    double delta = stop - start;
    double step = delta / div;
    for (int i = 0; i < num; i++) {
      // numpy divides first when the step underflows to zero.
      y[i] = step == 0 ? (i / (double) div) * delta + start : i * step + start;
    }
    y[num - 1] = stop;
    return y;
  }

  /**
   * {@code np.logspace(start, stop, num)} = {@code 10 ** np.linspace(start, stop, num)}.
   *
   * @param start exponent of the first value
   * @param stop exponent of the last value
   * @param num number of values (&ge; 1)
   * @return num values
   */
  static double[] logspace(double start, double stop, int num) {
    double[] y = linspace(start, stop, num);
    for (int i = 0; i < num; i++) {
      y[i] = pow10(y[i]);
    }
    return y;
  }

  /**
   * {@code 10^e}: correctly rounded for integer exponents (the decimal literal {@code 1Ee}), else
   * {@link StrictMath#pow} (fdlibm), which gives the same bits on every JVM.
   */
  static double pow10(double e) {
    if (e == Math.rint(e) && Math.abs(e) < 400) {
      return Double.parseDouble("1E" + (long) e);
    }
    return StrictMath.pow(10, e);
  }
}
