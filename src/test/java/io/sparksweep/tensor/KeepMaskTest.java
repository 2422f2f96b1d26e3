package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The dropout mask drawn in bulk ({@link SplitMix64#keepMask}, and its Vector API kernel) against
 * the JDK's {@link SplittableRandom}, one {@code nextDouble()} per element: the same mask bit for
 * bit and the same generator state afterwards.
 */
class KeepMaskTest {
  private static final int[] SIZES = {0, 1, 7, 8, 15, 16, 17, 31, 33, 100, 1000, 10_007};
  private static final double[] KEEPS = {
    0.75, 0.5, 0.25, 0.9, 1e-3, 0.999, 1.0, Math.nextDown(0.5), Math.nextUp(0.75), 1.0 / 3
  };
  private static final long[] SEEDS = {0, 1, -1, 42, Long.MIN_VALUE};

  @Test
  void theBulkMaskIsTheMaskOfOneNextDoublePerElement() {
    for (long seed : SEEDS) {
      for (double p : KEEPS) {
        SplittableRandom ref = new SplittableRandom(seed);
        SplitMix64 ours = new SplitMix64(seed);
        for (int n : SIZES) {
          float[] m = new float[n + 3];
          double[] d = new double[n + 3];
          float scale = (float) (1 / p);
          ours.keepMask(m, n, p, scale);
          for (int i = 0; i < n; i++) {
            assertEquals(ref.nextDouble() < p ? scale : 0f, m[i], "f32 seed " + seed + " p " + p);
          }
          ours.keepMask(d, n, p, 1 / p);
          for (int i = 0; i < n; i++) {
            assertEquals(ref.nextDouble() < p ? 1 / p : 0.0, d[i], "f64 seed " + seed + " p " + p);
          }
          for (int i = n; i < n + 3; i++) {
            assertEquals(0f, m[i], "beyond n");
            assertEquals(0.0, d[i], "beyond n");
          }
          assertEquals(ref.nextLong(), ours.nextLong(), "the state after " + n + " draws");
        }
      }
    }
  }

  @Test
  void theVectorKernelDrawsAsTheScalarGeneratorOnSplitStreams() {
    assumeTrue(Kernels.VECTOR, "no Vector API here");
    for (int depth = 0; depth < 4; depth++) {
      // A split child has its own gamma (stream increment), unlike a seeded generator.
      SplitMix64.State at = oursChild(depth).state();
      for (double p : KEEPS) {
        long threshold = (long) Math.ceil(p * 0x1p53);
        for (int n : SIZES) {
          float[] m = new float[n];
          double[] d = new double[n];
          VectorKernels.keepMask(at.seed(), at.gamma(), m, n, threshold, 4f);
          VectorKernels.keepMask(at.seed(), at.gamma(), d, n, threshold, 4.0);
          SplittableRandom ref = referenceChild(depth);
          for (int i = 0; i < n; i++) {
            boolean kept = ref.nextDouble() < p;
            assertEquals(kept ? 4f : 0f, m[i], "f32 element " + i + " of " + n + ", p " + p);
            assertEquals(kept ? 4.0 : 0.0, d[i], "f64 element " + i + " of " + n + ", p " + p);
          }
        }
      }
    }
  }

  @Test
  void aKeepProbabilityOutsideTheUnitIntervalIsRefused() {
    SplitMix64 rng = new SplitMix64(1);
    for (double p : new double[] {0, -0.5, 1.5, Double.NaN}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> rng.keepMask(new float[4], 4, p, 1f));
      assertEquals("keep probability must be in (0, 1], got " + p, e.getMessage());
    }
  }

  /** The depth-th split of a generator seeded 3 (counting from 0), JDK's. */
  private static SplittableRandom referenceChild(int depth) {
    SplittableRandom root = new SplittableRandom(3);
    SplittableRandom child = root.split();
    for (int k = 0; k < depth; k++) {
      child = root.split();
    }
    return child;
  }

  /** The same child of ours. */
  private static SplitMix64 oursChild(int depth) {
    SplitMix64 root = new SplitMix64(3);
    SplitMix64 child = root.split();
    for (int k = 0; k < depth; k++) {
      child = root.split();
    }
    return child;
  }
}
