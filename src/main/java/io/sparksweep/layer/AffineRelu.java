package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;

/**
 * The affine → ReLU sandwich, the notebooks' {@code affine_relu_forward} / {@code
 * affine_relu_backward}.
 */
public final class AffineRelu {
  private AffineRelu() {}

  /**
   * What {@link #backward} needs.
   *
   * @param affine the affine layer's cache
   * @param relu the ReLU's cache
   */
  public record Cache(Affine.Cache affine, Relu.Cache relu) {}

  /**
   * Forward pass: {@code relu(x·w + b)}.
   *
   * @param x input of shape (N, d1, …, dk), D = d1·…·dk
   * @param w weights of shape (D, M)
   * @param b bias of shape (M)
   * @return out of shape (N, M) and the cache
   * @throws IllegalArgumentException if the shapes or dtypes do not fit together
   */
  public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b) {
    return forward(x, w, b, Workspace.allocating());
  }

  /**
   * {@link #forward(Tensor, Tensor, Tensor)} with the output and cache in buffers of {@code ws}.
   */
  public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b, Workspace ws) {
    Forward<Affine.Cache> affine = Affine.forward(x, w, b, ws);
    Forward<Relu.Cache> relu = Relu.forward(affine.out(), ws);
    return new Forward<>(relu.out(), new Cache(affine.cache(), relu.cache()));
  }

  /**
   * Backward pass.
   *
   * @param dout upstream gradient of shape (N, M)
   * @param cache the cache of the matching {@link #forward}
   * @return dx (x's shape), dw (D, M), db (M)
   */
  public static Affine.Grads backward(Tensor dout, Cache cache) {
    return backward(dout, cache, Workspace.allocating());
  }

  /** {@link #backward(Tensor, Cache)} with the gradients in buffers of {@code ws}. */
  public static Affine.Grads backward(Tensor dout, Cache cache, Workspace ws) {
    Tensor da = Relu.backward(dout, cache.relu(), ws);
    return Affine.backward(da, cache.affine(), true, ws);
  }
}
