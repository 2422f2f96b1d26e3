package io.sparksweep.data;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;

/**
 * A labelled set of examples that hands out minibatches: the notebooks' {@code X_train[idx],
 * y_train[idx]}. Implementations may keep pixels as bytes and normalize per minibatch.
 */
public interface Examples {
  /** Number of examples. */
  int size();

  /** Shape of one example, e.g. {@code {3, 32, 32}}. */
  int[] exampleShape();

  /** Label of example {@code i}, in [0, numClasses). */
  int label(int i);

  /** Labels of the given examples. */
  default int[] labels(int[] indices) {
    int[] y = new int[indices.length];
    for (int i = 0; i < indices.length; i++) {
      y[i] = label(indices[i]);
    }
    return y;
  }

  /** The examples at {@code indices}, stacked: shape {@code (indices.length, exampleShape…)}. */
  Tensor batch(int[] indices, DType dtype);

  /**
   * {@link #batch} into {@code out} (shape {@code (indices.length, exampleShape…)}, any dtype),
   * overwriting every element: a training loop's minibatch without a new tensor per step. The
   * default copies a fresh batch; implementations write in place.
   *
   * @return {@code out}
   */
  default Tensor batchInto(int[] indices, Tensor out) {
    out.copyFrom(batch(indices, out.dtype()));
    return out;
  }

  /** {@link #labels(int[])} into {@code out} (length ≥ indices.length); returns {@code out}. */
  default int[] labelsInto(int[] indices, int[] out) {
    for (int i = 0; i < indices.length; i++) {
      out[i] = label(indices[i]);
    }
    return out;
  }
}
