package io.sparksweep.loss;

import io.sparksweep.tensor.Tensor;

/** Argument checks shared by the losses. */
final class Labels {
  private Labels() {}

  /** Requires scores of shape (N, C), N, C ≥ 1, and N labels in [0, C). */
  static void check(String where, Tensor scores, int[] y) {
    if (scores == null || y == null) {
      throw new IllegalArgumentException(where + ": scores and y must not be null");
    }
    if (scores.rank() != 2 || scores.dim(0) < 1 || scores.dim(1) < 1) {
      throw new IllegalArgumentException(
          where + ": scores must have shape (N, C) with N, C >= 1, got " + scores.shapeString());
    }
    int n = scores.dim(0);
    int c = scores.dim(1);
    if (y.length != n) {
      throw new IllegalArgumentException(
          where
              + ": y must have one label per row of scores "
              + scores.shapeString()
              + ", got "
              + y.length
              + " labels");
    }
    for (int i = 0; i < n; i++) {
      if (y[i] < 0 || y[i] >= c) {
        throw new IllegalArgumentException(
            where + ": y[" + i + "] = " + y[i] + " is outside [0, " + c + ") for C = " + c);
      }
    }
  }
}
