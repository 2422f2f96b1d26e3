package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * What a {@link MaxPool2d} backward pass needs from its forward pass. Shared by every
 * implementation, so the backward of one can run on the forward of another.
 *
 * <p>Besides the input and the spec it holds, for every output element, the flat (row-major) index
 * into x of the element its window selected (the first maximum in row-major window order); the fast
 * backward routes each upstream gradient there. It is a class rather than a record only to keep
 * that {@code int[]} out of the public API.
 */
public final class PoolCache {
  private final Tensor x;
  private final PoolSpec spec;
  private final int[] argmax;

  PoolCache(Tensor x, PoolSpec spec, int[] argmax) {
    this.x = x;
    this.spec = spec;
    this.argmax = argmax;
  }

  /** The forward input, shape (N, C, H, W); the caller's tensor, not a copy. */
  public Tensor x() {
    return x;
  }

  /** The pooling window and stride. */
  public PoolSpec spec() {
    return spec;
  }

  /** Flat index into x of each output element's selected input, in output order (live). */
  int[] argmax() {
    return argmax;
  }
}
