package io.sparksweep.layer;

import io.sparksweep.tensor.Im2Col;
import io.sparksweep.tensor.Tensor;

/**
 * Argument validation shared by the convolution layers and composites: one place that turns bad
 * shapes into messages naming the argument, its shape or value, and what was expected.
 */
final class ConvChecks {
  private ConvChecks() {}

  /** Throws unless {@code t} is non-null, of rank 4 and every dimension is at least 1. */
  static void requireImageBatch(String name, Tensor t, String expected) {
    if (t == null) {
      throw new IllegalArgumentException(name + " is null, expected a tensor of shape " + expected);
    }
    if (t.rank() != 4) {
      throw new IllegalArgumentException(
          name + " has shape " + t.shapeString() + ", expected rank 4: " + expected);
    }
    for (int s : t.shape()) {
      if (s < 1) {
        throw new IllegalArgumentException(
            name + " has shape " + t.shapeString() + ", expected every dimension ≥ 1: " + expected);
      }
    }
  }

  /** Throws unless {@code t} is non-null and has exactly the shape {@code expected}. */
  static void requireShape(String name, Tensor t, int[] expected, String why) {
    if (t == null) {
      throw new IllegalArgumentException(
          name + " is null, expected shape " + Tensor.shapeString(expected) + " " + why);
    }
    if (!t.hasShape(expected)) {
      throw new IllegalArgumentException(
          name
              + " has shape "
              + t.shapeString()
              + ", expected "
              + Tensor.shapeString(expected)
              + " "
              + why);
    }
  }

  /** Throws unless {@code t} has the dtype of {@code reference}. */
  static void requireDType(String name, Tensor t, String referenceName, Tensor reference) {
    if (t.dtype() != reference.dtype()) {
      throw new IllegalArgumentException(
          name
              + " is "
              + t.dtype()
              + ", expected the dtype of "
              + referenceName
              + " ("
              + reference.dtype()
              + ")");
    }
  }

  /** Throws unless {@code o} is non-null. */
  static void requireNonNull(String name, Object o) {
    if (o == null) {
      throw new IllegalArgumentException(name + " is null");
    }
  }

  /**
   * Validates a convolution's forward arguments and returns its per-image geometry.
   *
   * @see Conv2d#forward
   */
  static Im2Col.Geometry convForward(Tensor x, Tensor w, Tensor b, ConvSpec spec) {
    requireImageBatch("x", x, "(N, C, H, W)");
    requireImageBatch("w", w, "(F, C, HH, WW)");
    requireNonNull("spec", spec);
    requireDType("w", w, "x", x);
    int c = x.dim(1);
    int h = x.dim(2);
    int wd = x.dim(3);
    int f = w.dim(0);
    int hh = w.dim(2);
    int ww = w.dim(3);
    if (w.dim(1) != c) {
      throw new IllegalArgumentException(
          "w has shape "
              + w.shapeString()
              + " with C = "
              + w.dim(1)
              + " channels, expected C = "
              + c
              + " to match x of shape "
              + x.shapeString());
    }
    requireShape("b", b, new int[] {f}, "(one bias per filter of w " + w.shapeString() + ")");
    requireDType("b", b, "x", x);
    int pad = spec.pad();
    int stride = spec.stride();
    checkAxis("height", "HH", h, hh, x, w, spec);
    checkAxis("width", "WW", wd, ww, x, w, spec);
    return new Im2Col.Geometry(c, h, wd, hh, ww, stride, pad);
  }

  private static void checkAxis(
      String axis, String filterName, int in, int filter, Tensor x, Tensor w, ConvSpec spec) {
    int span = in + 2 * spec.pad() - filter;
    String context =
        " for x of shape " + x.shapeString() + ", w of shape " + w.shapeString() + " and " + spec;
    if (span < 0) {
      throw new IllegalArgumentException(
          "w "
              + filterName
              + " = "
              + filter
              + " exceeds the padded input "
              + axis
              + " "
              + in
              + " + 2·pad = "
              + (in + 2 * spec.pad())
              + context);
    }
    if (span % spec.stride() != 0) {
      throw new IllegalArgumentException(
          "non-integral output "
              + axis
              + ": 1 + ("
              + in
              + " + 2·"
              + spec.pad()
              + " − "
              + filter
              + ") / "
              + spec.stride()
              + " = 1 + "
              + span
              + "/"
              + spec.stride()
              + context
              + "; expected stride to divide "
              + axis
              + " + 2·pad − "
              + filterName);
    }
  }

  /** Validates a convolution's backward arguments against its cache and returns its geometry. */
  static Im2Col.Geometry convBackward(Tensor dout, ConvCache cache) {
    requireNonNull("cache", cache);
    Tensor x = cache.x();
    int f = cache.w().dim(0);
    Im2Col.Geometry g = geometry(cache);
    requireShape(
        "dout",
        dout,
        new int[] {x.dim(0), f, g.outHeight(), g.outWidth()},
        "(N, F, H', W') of the forward output");
    requireDType("dout", dout, "the forward's x", x);
    return g;
  }

  /** The geometry of the convolution a cache was made by (validated when it was made). */
  static Im2Col.Geometry geometry(ConvCache cache) {
    Tensor x = cache.x();
    Tensor w = cache.w();
    return new Im2Col.Geometry(
        x.dim(1),
        x.dim(2),
        x.dim(3),
        w.dim(2),
        w.dim(3),
        cache.spec().stride(),
        cache.spec().pad());
  }
}
