package io.sparksweep.data;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.Arrays;

/** {@link Examples} backed by an in-memory tensor of shape (N, …) and an int label array. */
public final class TensorExamples implements Examples {
  private final Tensor x;
  private final int[] y;
  private final int[] exampleShape;
  private final int stride;

  /**
   * @param x examples, shape (N, …)
   * @param y labels, length N
   */
  public TensorExamples(Tensor x, int[] y) {
    if (x.rank() < 1 || x.dim(0) != y.length) {
      throw new IllegalArgumentException(
          "x of shape " + x.shapeString() + " does not match " + y.length + " labels");
    }
    this.x = x;
    this.y = y.clone();
    int[] s = x.shape();
    this.exampleShape = Arrays.copyOfRange(s, 1, s.length);
    this.stride = y.length == 0 ? 0 : x.size() / y.length;
  }

  @Override
  public int size() {
    return y.length;
  }

  @Override
  public int[] exampleShape() {
    return exampleShape.clone();
  }

  @Override
  public int label(int i) {
    return y[i];
  }

  @Override
  public Tensor batch(int[] indices, DType dtype) {
    int[] shape = new int[exampleShape.length + 1];
    shape[0] = indices.length;
    System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
    return batchInto(indices, Tensor.zeros(dtype, shape));
  }

  /** {@link #batch} written into {@code out} (indices.length × the example size), no allocation. */
  @Override
  public Tensor batchInto(int[] indices, Tensor out) {
    if (out.dim(0) != indices.length || out.size() != indices.length * stride) {
      throw new IllegalArgumentException(
          "batch of "
              + indices.length
              + " examples of "
              + stride
              + " elements does not fit a tensor of shape "
              + out.shapeString());
    }
    for (int b = 0; b < indices.length; b++) {
      int src = indices[b] * stride;
      int dst = b * stride;
      for (int j = 0; j < stride; j++) {
        out.setFlat(dst + j, x.getFlat(src + j));
      }
    }
    return out;
  }
}
