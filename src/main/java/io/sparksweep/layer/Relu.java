package io.sparksweep.layer;

import io.sparksweep.tensor.Kernels;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;

/**
 * Rectified linear unit, the notebooks' {@code relu_forward} / {@code relu_backward}: {@code out =
 * max(0, x)} elementwise, for an input of any shape.
 */
public final class Relu {
  private Relu() {}

  /**
   * What {@link #backward} needs.
   *
   * @param x the input, any shape
   */
  public record Cache(Tensor x) {}

  /**
   * Forward pass.
   *
   * @param x input of any shape
   * @return out = max(0, x), same shape, and the cache
   */
  public static Forward<Cache> forward(Tensor x) {
    return forward(x, Workspace.allocating());
  }

  /** {@link #forward(Tensor)} with the output in a buffer of {@code ws}. */
  public static Forward<Cache> forward(Tensor x, Workspace ws) {
    if (x == null) {
      throw new IllegalArgumentException("relu: x must not be null");
    }
    Tensor out = ws.like(x);
    int n = x.size();
    switch (x.dtype()) {
      case FLOAT32 -> {
        float[] a = x.f32();
        float[] o = out.f32();
        for (int i = 0; i < n; i++) {
          o[i] = Math.max(a[i], 0f);
        }
      }
      case FLOAT64 -> {
        double[] a = x.f64();
        double[] o = out.f64();
        for (int i = 0; i < n; i++) {
          o[i] = Math.max(a[i], 0.0);
        }
      }
    }
    return new Forward<>(out, new Cache(x));
  }

  /**
   * Backward pass: {@code dx = dout} where {@code x > 0}, else 0.
   *
   * @param dout upstream gradient, x's shape
   * @param cache the cache of the matching {@link #forward}
   * @return dx, x's shape
   * @throws IllegalArgumentException if dout's shape or dtype differs from x's
   */
  public static Tensor backward(Tensor dout, Cache cache) {
    return backward(dout, cache, Workspace.allocating());
  }

  /** {@link #backward(Tensor, Cache)} with dx in a buffer of {@code ws}. */
  public static Tensor backward(Tensor dout, Cache cache, Workspace ws) {
    Tensor x = cache.x();
    ArgChecks.shape("relu backward", "dout", dout, x.shape());
    ArgChecks.sameDtype("relu backward", "dout", dout, "x", x);
    Tensor dx = ws.like(dout);
    int n = x.size();
    // Branch-free (see Kernels.reluBackward): "x > 0" is a coin flip on real activations.
    switch (x.dtype()) {
      case FLOAT32 -> Kernels.reluBackward(x.f32(), dout.f32(), dx.f32(), n);
      case FLOAT64 -> Kernels.reluBackward(x.f64(), dout.f64(), dx.f64(), n);
    }
    return dx;
  }
}
