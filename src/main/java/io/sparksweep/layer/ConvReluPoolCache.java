package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * What {@link ConvReluPool#backward} needs from the forward pass: the convolution's cache, the
 * pool's spec, the pooled output and, for each of its elements, the flat index into the (N, F, H',
 * W') convolution output of the element its window selected.
 *
 * <p>The relu output itself is not kept: the relu gate at a window's selected element is open
 * exactly where the pooled output is positive (the pooled value is that element's relu output), so
 * backward reads the gates from the pooled output. Not keeping it saves writing the whole batch's
 * convolution output to memory (6.5 MB per 50-image step in the convnet); each image's is computed,
 * gated and pooled in a reused buffer that stays in cache. It is a class rather than a record only
 * to keep the {@code int[]} out of the public API.
 */
public final class ConvReluPoolCache {
  private final ConvCache conv;
  private final PoolSpec pool;
  private final Tensor out;
  private final int[] argmax;

  ConvReluPoolCache(ConvCache conv, PoolSpec pool, Tensor out, int[] argmax) {
    this.conv = conv;
    this.pool = pool;
    this.out = out;
    this.argmax = argmax;
  }

  /** The convolution's cache. */
  public ConvCache conv() {
    return conv;
  }

  /** The max pool's window and stride. */
  public PoolSpec pool() {
    return pool;
  }

  /**
   * The forward output, shape (N, F, H'', W''): the forward's tensor, not a copy, whose positive
   * entries are the open relu gates; it must not be modified before backward.
   */
  public Tensor out() {
    return out;
  }

  /** Flat index into the (N, F, H', W') convolution output of each output element's selection. */
  int[] argmax() {
    return argmax;
  }
}
