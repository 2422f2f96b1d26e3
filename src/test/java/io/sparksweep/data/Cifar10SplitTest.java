package io.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class Cifar10SplitTest {
  private static final Cifar10Data DATA = SyntheticCifar.generate(50, 12, 7);

  /** Pixel (c, y, x) of an image as an unsigned value, read straight from the bytes. */
  private static int pixel(byte[] images, int image, int c, int y, int x) {
    return images[image * 3072 + c * 1024 + y * 32 + x] & 0xFF;
  }

  /** The mean of training images 0 … n−1, by a plain double loop over (c, y, x). */
  private static double[][][] naiveMean(int n) {
    double[][][] mean = new double[3][32][32];
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          double sum = 0;
          for (int i = 0; i < n; i++) {
            sum += pixel(DATA.trainImages(), i, c, y, x);
          }
          mean[c][y][x] = sum / n;
        }
      }
    }
    return mean;
  }

  private static IllegalArgumentException refused(int train, int val, int test) {
    return assertThrows(
        IllegalArgumentException.class, () -> Cifar10Split.of(DATA, train, val, test));
  }

  @Test
  void setsHaveTheRequestedSizesAndLabelsInFileOrder() {
    Cifar10Split split = Cifar10Split.of(DATA, 30, 15, 8);
    assertEquals(30, split.train().size());
    assertEquals(15, split.val().size());
    assertEquals(8, split.test().size());
    for (int i = 0; i < 30; i++) {
      assertEquals(DATA.trainLabels()[i], split.train().label(i));
    }
    for (int i = 0; i < 15; i++) {
      assertEquals(DATA.trainLabels()[30 + i], split.val().label(i));
    }
    for (int i = 0; i < 8; i++) {
      assertEquals(DATA.testLabels()[i], split.test().label(i));
    }
    assertArrayEquals(new int[] {3, 32, 32}, split.train().exampleShape());
    assertArrayEquals(
        new int[] {DATA.trainLabels()[31], DATA.trainLabels()[30]},
        split.val().labels(new int[] {1, 0}));
  }

  @Test
  void theNotebookSplitNeedsFiftyThousandTrainingImages() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Cifar10Split.of(DATA));
    assertTrue(e.getMessage().contains("49000 + 1000 = 50000 exceeds the 50"), e::getMessage);
  }

  @Test
  void refusesSizesBeyondWhatIsAvailable() {
    assertTrue(refused(40, 11, 0).getMessage().contains("exceeds the 50 training images"));
    assertTrue(refused(10, 0, 13).getMessage().contains("numTest = 13 exceeds the 12 test"));
    assertTrue(refused(0, 10, 1).getMessage().contains("numTrain is 0"));
    assertTrue(refused(10, -1, 1).getMessage().contains("numVal is -1"));
    assertTrue(refused(10, 1, -1).getMessage().contains("numTest is -1"));
    assertEquals(0, Cifar10Split.of(DATA, 50, 0, 12).val().size());
  }

  @Test
  void meanImageIsThePerPixelMeanOfTheTrainSplitOnly() {
    Cifar10Split split = Cifar10Split.of(DATA, 20, 30, 5);
    double[][][] expected = naiveMean(20);
    Tensor mean = split.meanImage();
    assertArrayEquals(new int[] {3, 32, 32}, mean.shape());
    assertEquals(DType.FLOAT64, mean.dtype());
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          assertEquals(expected[c][y][x], mean.get(c, y, x), 1e-12);
        }
      }
    }
    assertEquals(mean.toDoubleArray()[77], split.val().mean().toDoubleArray()[77]);
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void batchesArePixelsMinusTheTrainMean(DType dtype) {
    Cifar10Split split = Cifar10Split.of(DATA, 20, 30, 12);
    double[][][] mean = naiveMean(20);
    double tol = dtype == DType.FLOAT32 ? 1e-4 : 1e-12;
    int[] indices = {3, 0, 3, 19};
    check(split.train(), indices, dtype, DATA.trainImages(), 0, mean, tol);
    check(split.val(), new int[] {29, 0, 7}, dtype, DATA.trainImages(), 20, mean, tol);
    check(split.test(), new int[] {11, 2}, dtype, DATA.testImages(), 0, mean, tol);
    assertArrayEquals(new int[] {0, 3, 32, 32}, split.test().batch(new int[0], dtype).shape());
  }

  private static void check(
      Examples set,
      int[] indices,
      DType dtype,
      byte[] images,
      int first,
      double[][][] mean,
      double tol) {
    Tensor batch = set.batch(indices, dtype);
    assertEquals(dtype, batch.dtype());
    assertArrayEquals(new int[] {indices.length, 3, 32, 32}, batch.shape());
    for (int b = 0; b < indices.length; b++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y++) {
          for (int x = 0; x < 32; x++) {
            double expected = pixel(images, first + indices[b], c, y, x) - mean[c][y][x];
            assertEquals(expected, batch.get(b, c, y, x), tol);
          }
        }
      }
    }
  }

  @Test
  void refusesIndicesOutsideTheSet() {
    Cifar10Split split = Cifar10Split.of(DATA, 20, 30, 12);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> split.train().batch(new int[] {0, 20}, DType.FLOAT32));
    assertTrue(e.getMessage().contains("indices[1] is 20, expected 0–19"), e::getMessage);
    assertThrows(
        IllegalArgumentException.class, () -> split.val().batch(new int[] {-1}, DType.FLOAT64));
    // The sets share arrays: an out-of-range label must not read the neighbouring set's.
    assertThrows(IndexOutOfBoundsException.class, () -> split.train().label(20));
  }

  @Test
  void byteImageExamplesValidatesItsArguments() {
    byte[] images = new byte[2 * 12];
    byte[] labels = new byte[2];
    double[] mean = new double[12];
    assertThrows(
        IllegalArgumentException.class,
        () -> new ByteImageExamples(images, labels, 0, 2, new double[11], 3, 2, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ByteImageExamples(images, labels, 1, 2, mean, 3, 2, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ByteImageExamples(new byte[23], labels, 0, 2, mean, 3, 2, 2));
    assertThrows(
        IllegalArgumentException.class,
        () -> new ByteImageExamples(images, labels, 0, 2, mean, 3, 0, 2));
    images[12 + 5] = (byte) 250;
    mean[5] = 0.5;
    Tensor x =
        new ByteImageExamples(images, labels, 1, 1, mean, 3, 2, 2)
            .batch(new int[] {0}, DType.FLOAT64);
    assertEquals(249.5, x.get(0, 1, 0, 1));
  }
}
