package io.sparksweep.data;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Kernels;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.VectorKernels;
import java.util.Objects;

/**
 * {@link Examples} over raw pixel bytes that are normalized per minibatch: example {@code i} is
 * {@code (pixel & 0xFF) − mean[j]} for each of its bytes {@code j}, so pixels lie in [0, 255] minus
 * the mean image (the notebooks' {@code get_CIFAR10_data} subtracts the mean training image and
 * does not divide by 255). Keeping bytes (≈150 MB for CIFAR-10 instead of ≈600 MB as floats) is
 * what lets every Spark executor hold the data set.
 *
 * <p>Float32 batches are computed in float, {@code (float) u − (float) mean[j]} (on the Vector API
 * when it is present, bit for bit the scalar loop); float64 batches in double.
 *
 * <p>A view: it shares the byte arrays it is given (a contiguous range {@code first …
 * first+count−1} of images), which must not be modified. Immutable and thread-safe.
 */
public final class ByteImageExamples implements Examples {
  private final byte[] images;
  private final byte[] labels;
  private final int first;
  private final int count;
  private final double[] mean;
  private final float[] meanF32;
  private final int[] exampleShape;
  private final int imageBytes;

  /**
   * @param images pixel bytes of shape (N, exampleShape…), row-major; shared, not copied
   * @param labels N labels; shared, not copied
   * @param first index of the first image of this view, in [0, N]
   * @param count images in this view, {@code first + count ≤ N}
   * @param mean the value subtracted from each byte position, length {@code prod(exampleShape)}
   *     (copied)
   * @param exampleShape shape of one example, e.g. {@code 3, 32, 32}
   */
  public ByteImageExamples(
      byte[] images, byte[] labels, int first, int count, double[] mean, int... exampleShape) {
    long perImage = 1;
    for (int s : exampleShape) {
      if (s < 1) {
        throw new IllegalArgumentException(
            "exampleShape " + Tensor.shapeString(exampleShape) + " has a dimension < 1");
      }
      perImage *= s;
    }
    if (mean.length != perImage) {
      throw new IllegalArgumentException(
          "mean has length "
              + mean.length
              + ", expected "
              + perImage
              + " for examples of shape "
              + Tensor.shapeString(exampleShape));
    }
    if (first < 0 || count < 0 || (long) first + count > labels.length) {
      throw new IllegalArgumentException(
          "first "
              + first
              + " and count "
              + count
              + " do not fit in the "
              + labels.length
              + " labels");
    }
    if ((long) labels.length * perImage != images.length) {
      throw new IllegalArgumentException(
          "images hold "
              + images.length
              + " bytes, expected "
              + labels.length
              + " × "
              + perImage
              + " for "
              + labels.length
              + " labels");
    }
    this.images = images;
    this.labels = labels;
    this.first = first;
    this.count = count;
    this.mean = mean.clone();
    this.meanF32 = new float[mean.length];
    for (int j = 0; j < mean.length; j++) {
      meanF32[j] = (float) mean[j];
    }
    this.exampleShape = exampleShape.clone();
    this.imageBytes = (int) perImage;
  }

  /**
   * A view of the first {@code n} examples of this one (the notebooks' {@code X_train[:n]}), with
   * the same mean subtracted.
   *
   * @throws IllegalArgumentException if {@code n} is negative or larger than this view
   */
  public ByteImageExamples head(int n) {
    if (n < 0 || n > count) {
      throw new IllegalArgumentException(
          "head(" + n + ") of a view of " + count + " examples; expected 0 ≤ n ≤ " + count);
    }
    return new ByteImageExamples(images, labels, first, n, mean, exampleShape);
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public int[] exampleShape() {
    return exampleShape.clone();
  }

  @Override
  public int label(int i) {
    return labels[first + Objects.checkIndex(i, count)];
  }

  /** The subtracted mean, of shape {@code exampleShape}, float64 (a copy). */
  public Tensor mean() {
    return Tensor.wrap(mean.clone(), exampleShape);
  }

  /**
   * The normalized examples {@code (pixel & 0xFF) − mean} at {@code indices}.
   *
   * @param indices example indices in [0, size()), repeats allowed
   * @param dtype the element type of the result
   * @return shape {@code (indices.length, exampleShape…)}
   */
  @Override
  public Tensor batch(int[] indices, DType dtype) {
    int[] shape = new int[exampleShape.length + 1];
    shape[0] = indices.length;
    System.arraycopy(exampleShape, 0, shape, 1, exampleShape.length);
    return batchInto(indices, Tensor.zeros(dtype, shape));
  }

  /** {@link #batch} written into {@code out}, allocating nothing. */
  @Override
  public Tensor batchInto(int[] indices, Tensor out) {
    if (out.rank() != exampleShape.length + 1
        || out.dim(0) != indices.length
        || out.size() != indices.length * imageBytes) {
      throw new IllegalArgumentException(
          "batch of "
              + indices.length
              + " examples of shape "
              + Tensor.shapeString(exampleShape)
              + " does not fit a tensor of shape "
              + out.shapeString());
    }
    for (int b = 0; b < indices.length; b++) {
      if (indices[b] < 0 || indices[b] >= count) {
        throw new IllegalArgumentException(
            "indices[" + b + "] is " + indices[b] + ", expected 0–" + (count - 1));
      }
    }
    DType dtype = out.dtype();
    int n = imageBytes;
    if (dtype == DType.FLOAT32) {
      float[] x = out.f32();
      for (int b = 0; b < indices.length; b++) {
        int src = (first + indices[b]) * n;
        int dst = b * n;
        if (Kernels.VECTOR) {
          VectorKernels.centered(images, src, meanF32, x, dst, n);
        } else {
          for (int j = 0; j < n; j++) {
            x[dst + j] = (images[src + j] & 0xFF) - meanF32[j];
          }
        }
      }
    } else {
      double[] x = out.f64();
      for (int b = 0; b < indices.length; b++) {
        int src = (first + indices[b]) * n;
        int dst = b * n;
        for (int j = 0; j < n; j++) {
          x[dst + j] = (images[src + j] & 0xFF) - mean[j];
        }
      }
    }
    return out;
  }
}
