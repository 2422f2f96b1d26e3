package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/** Argument validation shared by the max-pooling implementations and composites. */
final class PoolChecks {
  private PoolChecks() {}

  /** Validates a pooling forward's arguments; returns {@code {H', W'}}. */
  static int[] forward(Tensor x, PoolSpec spec) {
    ConvChecks.requireImageBatch("x", x, "(N, C, H, W)");
    return outputSize("x", x.shape(), spec);
  }

  /**
   * Validates pooling {@code spec} over an input of {@code shape} (N, C, H, W), called {@code name}
   * in messages; returns {@code {H', W'}}.
   */
  static int[] outputSize(String name, int[] shape, PoolSpec spec) {
    ConvChecks.requireNonNull("spec", spec);
    int outH = axis("height", shape[2], spec.height(), name, shape, spec);
    int outW = axis("width", shape[3], spec.width(), name, shape, spec);
    return new int[] {outH, outW};
  }

  private static int axis(
      String axis, int in, int window, String name, int[] shape, PoolSpec spec) {
    String input = name + " of shape " + Tensor.shapeString(shape);
    if (window > in) {
      throw new IllegalArgumentException(
          "pool "
              + axis
              + " = "
              + window
              + " of "
              + spec
              + " is larger than the "
              + axis
              + " "
              + in
              + " of "
              + input
              + "; expected at most "
              + in);
    }
    if ((in - window) % spec.stride() != 0) {
      throw new IllegalArgumentException(
          spec
              + " does not tile "
              + input
              + " along its "
              + axis
              + ": ("
              + in
              + " − "
              + window
              + ") = "
              + (in - window)
              + " is not a multiple of stride "
              + spec.stride()
              + "; expected windows that cover the input exactly");
    }
    return 1 + (in - window) / spec.stride();
  }

  /** Validates a pooling backward's arguments against its cache; returns {@code {H', W'}}. */
  static int[] backward(Tensor dout, PoolCache cache) {
    ConvChecks.requireNonNull("cache", cache);
    Tensor x = cache.x();
    PoolSpec spec = cache.spec();
    int outH = 1 + (x.dim(2) - spec.height()) / spec.stride();
    int outW = 1 + (x.dim(3) - spec.width()) / spec.stride();
    ConvChecks.requireShape(
        "dout",
        dout,
        new int[] {x.dim(0), x.dim(1), outH, outW},
        "(N, C, H', W') of the forward output");
    ConvChecks.requireDType("dout", dout, "the forward's x", x);
    return new int[] {outH, outW};
  }
}
