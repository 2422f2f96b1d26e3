package io.sparksweep.layer;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.gradcheck.GradientCheck;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import org.junit.jupiter.api.function.Executable;

/** Helpers shared by the convolutional layer tests. */
final class ConvTestSupport {
  private ConvTestSupport() {}

  /** {@code np.random.randn(*shape)} in float64 from a seeded generator. */
  static Tensor randn(SplittableRandom rng, int... shape) {
    return Tensor.randn(DType.FLOAT64, rng, 1.0, shape);
  }

  /**
   * Normwise relative error {@code max|a − b| / max|b|}: the measure for float32-vs-float64
   * agreement, where elementwise relative errors of values near zero say nothing.
   */
  static double normRelError(Tensor actual, Tensor expected) {
    double diff = 0;
    for (int i = 0; i < expected.size(); i++) {
      diff = Math.max(diff, Math.abs(actual.getFlat(i) - expected.getFlat(i)));
    }
    return diff / Math.max(1e-300, expected.maxAbs());
  }

  /** Asserts float32 {@code actual32} agrees with float64 {@code expected64} to relative 1e-4. */
  static void assertFloat32Matches(Tensor expected64, Tensor actual32, String what) {
    assertTrue(actual32.dtype() == DType.FLOAT32, what + " should be FLOAT32");
    assertTrue(expected64.hasShape(actual32.shape()), what + " shapes differ");
    double e = normRelError(actual32, expected64);
    assertTrue(e <= 1e-4, what + ": float32 vs float64 relative error " + e + " > 1e-4");
  }

  /** Asserts the notebooks' {@code rel_error(a, b)} is at most {@code bound}. */
  static void assertRelError(Tensor a, Tensor b, double bound, String what) {
    assertTrue(a.hasShape(b.shape()), what + ": shapes " + a.shapeString() + b.shapeString());
    double e = GradientCheck.relError(a, b);
    assertTrue(e <= bound, what + ": rel_error " + e + " > " + bound);
  }

  /** Asserts {@code call} throws IllegalArgumentException whose message contains every part. */
  static IllegalArgumentException assertRejected(Executable call, String... parts) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    for (String p : parts) {
      assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' lacks '" + p + "'");
    }
    return e;
  }
}
