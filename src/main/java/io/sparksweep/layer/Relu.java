package io.sparksweep.layer;

import io.sparksweep.tensor.Kernels;
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
    // Branch-free (see Kernels.reluBackward): "x > 0" is a coin flip on real activations.
    switch (x.dtype()) {
      case FLOAT32 -> Kernels.reluBackward(x.f32(), dout.f32(), dx.f32(), n);
      case FLOAT64 -> Kernels.reluBackward(x.f64(), dout.f64(), dx.f64(), n);
    }
    return dx;
  }
}
