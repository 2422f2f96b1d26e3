package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;

/**
 * Fully connected (affine) layer, the notebooks' {@code affine_forward} / {@code affine_backward}:
 * {@code out = x.reshape(N, D) · w + b}.
 *
 * <p>An input of shape (N, d1, …, dk) is viewed as N rows of D = d1·…·dk features (a view, no
 * copy), so images of shape (N, 3, 32, 32) feed the first layer directly.
 */
public final class Affine {
  private Affine() {}

  /**
   * What {@link #backward} needs.
   *
   * @param x the input, in its original shape (N, d1, …, dk)
   * @param w weights of shape (D, M)
   */
  public record Cache(Tensor x, Tensor w) {}

  /**
   * Gradients of the affine layer.
   *
   * @param dx gradient of the input, shape (N, d1, …, dk)
   * @param dw gradient of the weights, shape (D, M)
   * @param db gradient of the bias, shape (M)
   */
  public record Grads(Tensor dx, Tensor dw, Tensor db) {}

  /**
   * Forward pass.
   *
   * @param x input of shape (N, d1, …, dk), rank ≥ 2, D = d1·…·dk
   * @param w weights of shape (D, M)
   * @param b bias of shape (M)
   * @return out of shape (N, M) and the cache
   * @throws IllegalArgumentException if the shapes or dtypes do not fit together
   */
  public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b) {
    return forward(x, w, b, Workspace.allocating());
  }

  /**
   * {@link #forward(Tensor, Tensor, Tensor)} with the output in a buffer of {@code ws}.
   *
   * @param x input of shape (N, d1, …, dk), rank ≥ 2, D = d1·…·dk
   * @param w weights of shape (D, M)
   * @param b bias of shape (M)
   * @param ws where the output lives
   * @return out of shape (N, M) and the cache
   */
  public static Forward<Cache> forward(Tensor x, Tensor w, Tensor b, Workspace ws) {
    if (x.rank() < 2) {
      throw new IllegalArgumentException(
          "affine: x must have shape (N, d1, ..., dk), got " + x.shapeString());
    }
    int n = x.dim(0);
    int d = sizeOfTail(x);
    if (w.rank() != 2 || w.dim(0) != d) {
      throw new IllegalArgumentException(
          "affine: w must have shape ("
              + d
              + ", M) for x of shape "
              + x.shapeString()
              + ", got "
              + w.shapeString());
    }
    int m = w.dim(1);
    if (!b.hasShape(m)) {
      throw new IllegalArgumentException(
          "affine: b must have shape ("
              + m
              + ",) for w of shape "
              + w.shapeString()
              + ", got "
              + b.shapeString());
    }
    ArgChecks.sameDtype("affine", "x", x, "w", w);
    ArgChecks.sameDtype("affine", "x", x, "b", b);
    Tensor out = Tensor.matmul(x.reshape(n, d), false, w, false, ws);
    out.addRowVectorInPlace(b);
    return new Forward<>(out, new Cache(x, w));
  }

  /**
   * Backward pass: {@code dx = dout·wᵀ} (reshaped like x), {@code dw = xᵀ·dout}, {@code db = Σ_n
   * dout}.
   *
   * @param dout upstream gradient of shape (N, M)
   * @param cache the cache of the matching {@link #forward}
   * @return dx, dw, db
   * @throws IllegalArgumentException if dout's shape is not (N, M)
   */
  public static Grads backward(Tensor dout, Cache cache) {
    return backward(dout, cache, true);
  }

  /**
   * Backward pass, optionally without dx: a network's first layer needs no gradient of its input,
   * and {@code dout·wᵀ} is a third of the layer's backward work.
   *
   * @param dout upstream gradient of shape (N, M)
   * @param cache the cache of the matching {@link #forward}
   * @param computeDx whether to compute dx; when false, {@link Grads#dx()} is {@code null}
   * @return dx (or null), dw, db
   * @throws IllegalArgumentException if dout's shape is not (N, M)
   */
  public static Grads backward(Tensor dout, Cache cache, boolean computeDx) {
    return backward(dout, cache, computeDx, Workspace.allocating());
  }

  /**
   * {@link #backward(Tensor, Cache, boolean)} with the gradients in buffers of {@code ws}.
   *
   * @param dout upstream gradient of shape (N, M)
   * @param cache the cache of the matching {@link #forward}
   * @param computeDx whether to compute dx
   * @param ws where the gradients live
   * @return dx (or null), dw, db
   */
  public static Grads backward(Tensor dout, Cache cache, boolean computeDx, Workspace ws) {
    Tensor x = cache.x();
    Tensor w = cache.w();
    int n = x.dim(0);
    int d = w.dim(0);
    int m = w.dim(1);
    ArgChecks.shape("affine backward", "dout", dout, n, m);
    ArgChecks.sameDtype("affine backward", "dout", dout, "x", x);
    Tensor dx = computeDx ? Tensor.matmul(dout, false, w, true, ws).reshape(x.shape()) : null;
    Tensor dw = Tensor.matmul(x.reshape(n, d), true, dout, false, ws);
    Tensor db = dout.sumRows(ws);
    return new Grads(dx, dw, db);
  }

  private static int sizeOfTail(Tensor x) {
    int s = 1;
    for (int i = 1; i < x.rank(); i++) {
      s *= x.dim(i);
    }
    return s;
  }
}
