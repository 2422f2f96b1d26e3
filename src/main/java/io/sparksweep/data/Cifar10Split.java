package io.sparksweep.data;

import io.sparksweep.tensor.Tensor;

/**
 * The notebooks' {@code get_CIFAR10_data}: training, validation and test sets cut from CIFAR-10 in
 * file order, with the mean training image subtracted.
 *
 * <ul>
 *   <li>train: training images {@code 0 … numTrain−1} (49,000 by default);
 *   <li>val: the next {@code numVal} training images ({@code 49,000 … 49,999});
 *   <li>test: test images {@code 0 … numTest−1} (1,000 by default);
 *   <li>mean image: the per-pixel mean over the <em>train</em> split only, in float64, subtracted
 *       from all three sets.
 * </ul>
 *
 * <p>Pixels stay bytes and are normalized per minibatch by {@link ByteImageExamples}; values are in
 * [0, 255] minus the mean (the notebooks do not divide by 255). Examples have shape (3, 32, 32),
 * channels R, G, B. Immutable; the sets share the data's arrays.
 */
public final class Cifar10Split {
  /** Training images in the notebooks' split. */
  public static final int NOTEBOOK_TRAIN = 49_000;

  /** Validation images in the notebooks' split. */
  public static final int NOTEBOOK_VAL = 1_000;

  /** Test images in the notebooks' split. */
  public static final int NOTEBOOK_TEST = 1_000;

  private static final int[] IMAGE_SHAPE = {3, 32, 32};

  private final ByteImageExamples train;
  private final ByteImageExamples val;
  private final ByteImageExamples test;
  private final double[] mean;

  private Cifar10Split(
      ByteImageExamples train, ByteImageExamples val, ByteImageExamples test, double[] mean) {
    this.train = train;
    this.val = val;
    this.test = test;
    this.mean = mean;
  }

  /** The notebooks' split: 49,000 / 1,000 / 1,000. */
  public static Cifar10Split of(Cifar10Data data) {
    return of(data, NOTEBOOK_TRAIN, NOTEBOOK_VAL, NOTEBOOK_TEST);
  }

  /**
   * A split of the given sizes.
   *
   * @param data the data set
   * @param numTrain training images, ≥ 1
   * @param numVal validation images, ≥ 0; {@code numTrain + numVal ≤ data.numTrain()}
   * @param numTest test images, 0 ≤ numTest ≤ data.numTest()
   * @throws IllegalArgumentException if a size is out of range or more than is available
   */
  public static Cifar10Split of(Cifar10Data data, int numTrain, int numVal, int numTest) {
    if (numTrain < 1) {
      throw new IllegalArgumentException("numTrain is " + numTrain + ", expected ≥ 1");
    }
    if (numVal < 0) {
      throw new IllegalArgumentException("numVal is " + numVal + ", expected ≥ 0");
    }
    if (numTest < 0) {
      throw new IllegalArgumentException("numTest is " + numTest + ", expected ≥ 0");
    }
    if ((long) numTrain + numVal > data.numTrain()) {
      throw new IllegalArgumentException(
          "numTrain + numVal = "
              + numTrain
              + " + "
              + numVal
              + " = "
              + ((long) numTrain + numVal)
              + " exceeds the "
              + data.numTrain()
              + " training images available");
    }
    if (numTest > data.numTest()) {
      throw new IllegalArgumentException(
          "numTest = " + numTest + " exceeds the " + data.numTest() + " test images available");
    }
    double[] mean = meanImage(data.trainImages(), numTrain);
    byte[] trainImages = data.trainImages();
    byte[] trainLabels = data.trainLabels();
    return new Cifar10Split(
        new ByteImageExamples(trainImages, trainLabels, 0, numTrain, mean, IMAGE_SHAPE),
        new ByteImageExamples(trainImages, trainLabels, numTrain, numVal, mean, IMAGE_SHAPE),
        new ByteImageExamples(data.testImages(), data.testLabels(), 0, numTest, mean, IMAGE_SHAPE),
        mean);
  }

  /** Per-byte-position mean of images {@code 0 … n−1}; sums are exact in {@code long}. */
  private static double[] meanImage(byte[] images, int n) {
    int d = Cifar10Data.IMAGE_BYTES;
    long[] sums = new long[d];
    for (int i = 0; i < n; i++) {
      int off = i * d;
      for (int j = 0; j < d; j++) {
        sums[j] += images[off + j] & 0xFF;
      }
    }
    double[] mean = new double[d];
    for (int j = 0; j < d; j++) {
      mean[j] = (double) sums[j] / n;
    }
    return mean;
  }

  /** The training set (mean-subtracted). */
  public ByteImageExamples train() {
    return train;
  }

  /** The validation set (training mean subtracted). */
  public ByteImageExamples val() {
    return val;
  }

  /** The test set (training mean subtracted). */
  public ByteImageExamples test() {
    return test;
  }

  /** The mean training image, shape (3, 32, 32), float64 (a copy). */
  public Tensor meanImage() {
    return Tensor.wrap(mean.clone(), IMAGE_SHAPE);
  }
}
