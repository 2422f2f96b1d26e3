package io.sparksweep.layer;

/**
 * Hyperparameters of max-pooling (the notebooks' {@code pool_param} dict, typed).
 *
 * @param height pooling window height, at least 1
 * @param width pooling window width, at least 1
 * @param stride distance in pixels between neighbouring windows, at least 1
 */
public record PoolSpec(int height, int width, int stride) {

  /** Validates the spec: every field at least 1. */
  public PoolSpec {
    if (height < 1) {
      throw new IllegalArgumentException("PoolSpec height = " + height + ", expected at least 1");
    }
    if (width < 1) {
      throw new IllegalArgumentException("PoolSpec width = " + width + ", expected at least 1");
    }
    if (stride < 1) {
      throw new IllegalArgumentException("PoolSpec stride = " + stride + ", expected at least 1");
    }
  }

  /** The square, non-overlapping {@code size × size} window at stride {@code size}. */
  public static PoolSpec square(int size) {
    return new PoolSpec(size, size, size);
  }
}
