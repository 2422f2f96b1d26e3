package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

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
    if (x == null) {
      throw new IllegalArgumentException("relu: x must not be null");
    }
    return new Forward<>(x.maximum(0.0), new Cache(x));
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
    Tensor x = cache.x();
    ArgChecks.shape("relu backward", "dout", dout, x.shape());
    ArgChecks.sameDtype("relu backward", "dout", dout, "x", x);
    Tensor dx = dout.zerosLike();
    int n = x.size();
    switch (x.dtype()) {
      case FLOAT32 -> {
        float[] xs = x.f32();
        float[] g = dout.f32();
        float[] out = dx.f32();
        for (int i = 0; i < n; i++) {
          out[i] = xs[i] > 0 ? g[i] : 0f;
        }
      }
      case FLOAT64 -> {
        double[] xs = x.f64();
        double[] g = dout.f64();
        double[] out = dx.f64();
        for (int i = 0; i < n; i++) {
          out[i] = xs[i] > 0 ? g[i] : 0.0;
        }
      }
    }
    return dx;
  }
}
