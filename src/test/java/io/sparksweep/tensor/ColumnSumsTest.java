package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The float32 column sums ({@link Kernels#columnSums}, {@link Kernels#centeredSquareSums}, {@link
 * Kernels#columnSumsAndDots}) against the rule they document, written out here: blocks of 8 rows
 * summed in float as a balanced tree and added in double, the rows left over added in double. The
 * result must be that rule bit for bit (on vectors when this JVM has them, else the scalar loops),
 * and within the tree's error bound of the sum taken wholly in double.
 */
class ColumnSumsTest {
  static Stream<Arguments> shapes() {
    int lanes = 16;
    Stream<Arguments> shapes =
        Stream.of(
            Arguments.of(100, 100), // the fc nets' hidden layers, batch 100
            Arguments.of(50, 100),
            Arguments.of(8, 1),
            Arguments.of(7, 13), // no whole block
            Arguments.of(0, 5),
            Arguments.of(17, lanes - 1),
            Arguments.of(9, lanes),
            Arguments.of(24, lanes + 1),
            Arguments.of(33, 2 * lanes + 3),
            Arguments.of(100, 10));
    // Both paths: the scalar loops, and the vectors when this JVM has them.
    return shapes.flatMap(
        a ->
            Stream.of(false, Kernels.VECTOR)
                .distinct()
                .map(v -> Arguments.of(a.get()[0], a.get()[1], v)));
  }

  private static float[] random(SplittableRandom r, int n, double shift) {
    float[] a = new float[n];
    for (int i = 0; i < n; i++) {
      a[i] = (float) (r.nextGaussian() * 3 + shift);
    }
    return a;
  }

  private static float tree(float[] v) {
    return ((v[0] + v[1]) + (v[2] + v[3])) + ((v[4] + v[5]) + (v[6] + v[7]));
  }

  /** The documented rule for a per-element float term {@code term(r, j)}. */
  private interface Term {
    float at(int r, int j);
  }

  private static double[] rule(int rows, int cols, double start, Term t) {
    double[] acc = new double[cols];
    Arrays.fill(acc, start);
    float[] v = new float[8];
    int r = 0;
    for (; r + 8 <= rows; r += 8) {
      for (int j = 0; j < cols; j++) {
        for (int q = 0; q < 8; q++) {
          v[q] = t.at(r + q, j);
        }
        acc[j] += tree(v);
      }
    }
    for (; r < rows; r++) {
      for (int j = 0; j < cols; j++) {
        acc[j] += t.at(r, j);
      }
    }
    return acc;
  }

  private static void assertRule(String what, double[] expected, double[] got) {
    for (int j = 0; j < expected.length; j++) {
      assertEquals(
          Double.doubleToRawLongBits(expected[j]),
          Double.doubleToRawLongBits(got[j]),
          what + " column " + j + ": expected " + expected[j] + ", got " + got[j]);
    }
  }

  /** |got − exact| ≤ 3·2⁻²⁴·Σ|terms| (the tree's three roundings) plus the double adds' error. */
  private static void assertNearExact(String what, double[] exact, double[] mag, double[] got) {
    for (int j = 0; j < exact.length; j++) {
      double bound = 3 * 0x1p-24 * mag[j] + 1e-12 * mag[j] + 1e-300;
      assertTrue(
          Math.abs(got[j] - exact[j]) <= bound,
          what
              + " column "
              + j
              + ": "
              + got[j]
              + " vs exact "
              + exact[j]
              + " (bound "
              + bound
              + ")");
    }
  }

  @ParameterizedTest(name = "{0}×{1} vector={2}")
  @MethodSource("shapes")
  void columnSumsAreTheBlockedTreeRule(int rows, int cols, boolean vector) {
    SplittableRandom r = new SplittableRandom(rows * 131L + cols);
    float[] x = random(r, rows * cols + 3, 1.5);
    double[] got = new double[cols];
    Arrays.fill(got, 0.25);
    Kernels.columnSums(x, rows, cols, got, new float[cols], vector);
    assertRule("sums", rule(rows, cols, 0.25, (i, j) -> x[i * cols + j]), got);

    double[] exact = new double[cols];
    double[] mag = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        exact[j] += x[i * cols + j];
        mag[j] += Math.abs(x[i * cols + j]);
      }
    }
    for (int j = 0; j < cols; j++) {
      exact[j] += 0.25;
    }
    assertNearExact("sums", exact, mag, got);
  }

  @ParameterizedTest(name = "{0}×{1} vector={2}")
  @MethodSource("shapes")
  void centeredSquareSumsAreTheBlockedTreeRule(int rows, int cols, boolean vector) {
    SplittableRandom r = new SplittableRandom(rows * 17L + cols);
    float[] x = random(r, rows * cols, 40);
    float[] mean = random(r, cols, 40);
    double[] got = new double[cols];
    Kernels.centeredSquareSums(x, rows, cols, mean, got, new float[cols], vector);
    assertRule(
        "squares",
        rule(
            rows,
            cols,
            0,
            (i, j) -> {
              float c = x[i * cols + j] - mean[j];
              return c * c;
            }),
        got);

    double[] exact = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        // The difference is exact in float here (Sterbenz: both near 40), so only the square and
        // the sums round.
        double c = (double) x[i * cols + j] - mean[j];
        exact[j] += c * c;
      }
    }
    double[] mag = exact.clone();
    for (int j = 0; j < cols; j++) {
      mag[j] *= 4.0 / 3; // the float square's own rounding: one more 2⁻²⁴ of each term
    }
    assertNearExact("squares", exact, mag, got);
  }

  @ParameterizedTest(name = "{0}×{1} vector={2}")
  @MethodSource("shapes")
  void sumsAndDotsAreTheBlockedTreeRule(int rows, int cols, boolean vector) {
    SplittableRandom r = new SplittableRandom(rows * 7L + cols * 3L);
    float[] g = random(r, rows * cols, 0);
    float[] h = random(r, rows * cols, 0.5);
    double[] sg = new double[cols];
    double[] sgh = new double[cols];
    Arrays.fill(sgh, -1);
    Kernels.columnSumsAndDots(g, h, rows, cols, sg, sgh, new float[cols], new float[cols], vector);
    assertRule("dbeta", rule(rows, cols, 0, (i, j) -> g[i * cols + j]), sg);
    assertRule("dgamma", rule(rows, cols, -1, (i, j) -> g[i * cols + j] * h[i * cols + j]), sgh);

    double[] exact = new double[cols];
    double[] mag = new double[cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        double p = (double) g[i * cols + j] * h[i * cols + j];
        exact[j] += p;
        mag[j] += 4.0 / 3 * Math.abs(p);
      }
    }
    for (int j = 0; j < cols; j++) {
      exact[j] -= 1;
      mag[j] += 1;
    }
    assertNearExact("dgamma", exact, mag, sgh);
  }
}
