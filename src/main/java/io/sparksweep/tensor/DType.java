package io.sparksweep.tensor;

/**
 * Element type of a {@link Tensor}: {@code FLOAT32} to train (native sgemm is about twice dgemm),
 * {@code FLOAT64} for gradient checks, as the notebooks do with {@code dtype=np.float64}.
 */
public enum DType {
  /** 32-bit IEEE float, stored in a {@code float[]}. */
  FLOAT32,
  /** 64-bit IEEE double, stored in a {@code double[]}. */
  FLOAT64
}
