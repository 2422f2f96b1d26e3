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
}
