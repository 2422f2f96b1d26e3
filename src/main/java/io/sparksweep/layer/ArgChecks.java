package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;
import java.util.Objects;

/**
 * Argument checks shared by the layers: each throws {@link IllegalArgumentException} naming the
 * layer, the argument, what it got and what was expected.
 */
final class ArgChecks {
  private ArgChecks() {}

  /** Requires {@code t} to have exactly {@code shape}. */
  static void shape(String where, String name, Tensor t, int... shape) {
    Objects.requireNonNull(t, () -> where + ": " + name + " must not be null");
    if (!t.hasShape(shape)) {
      throw new IllegalArgumentException(
          where
              + ": "
              + name
              + " must have shape "
              + Tensor.shapeString(shape)
              + ", got "
              + t.shapeString());
    }
  }

  /** Requires {@code t} to be a matrix (N, D) and returns nothing; names the argument. */
  static void matrix(String where, String name, Tensor t) {
    Objects.requireNonNull(t, () -> where + ": " + name + " must not be null");
    if (t.rank() != 2) {
      throw new IllegalArgumentException(
          where + ": " + name + " must have shape (N, D), got " + t.shapeString());
    }
  }

  /** Requires {@code a} and {@code b} to share a dtype. */
  static void sameDtype(String where, String nameA, Tensor a, String nameB, Tensor b) {
    if (a.dtype() != b.dtype()) {
      throw new IllegalArgumentException(
          where
              + ": "
              + nameA
              + " is "
              + a.dtype()
              + " but "
              + nameB
              + " is "
              + b.dtype()
              + "; all operands must share one dtype");
    }
  }
}
