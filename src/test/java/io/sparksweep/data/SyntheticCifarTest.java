package io.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticCifarTest {
  @TempDir Path tmp;

  @Test
  void sameSeedSameBytesOtherSeedOtherBytes() {
    Cifar10Data a = SyntheticCifar.generate(30, 10, 5);
    Cifar10Data b = SyntheticCifar.generate(30, 10, 5);
    Cifar10Data c = SyntheticCifar.generate(30, 10, 6);
    assertArrayEquals(a.trainImages(), b.trainImages());
    assertArrayEquals(a.testLabels(), b.testLabels());
    assertFalse(Arrays.equals(a.trainImages(), c.trainImages()));
  }

  @Test
  void everyClassAppears() {
    int[] counts = new int[10];
    for (byte label : SyntheticCifar.generate(1000, 0, 1).trainLabels()) {
      counts[label]++;
    }
    for (int count : counts) {
      assertTrue(count > 50, () -> Arrays.toString(counts));
    }
  }

  /** A nearest-class-mean classifier, fitted on train, must beat chance (10%) by far on test. */
  @Test
  void classesAreLearnable() {
    Cifar10Data data = SyntheticCifar.generate(500, 200, 3);
    double[][] centroids = new double[10][3072];
    int[] counts = new int[10];
    for (int i = 0; i < data.numTrain(); i++) {
      int label = data.trainLabels()[i];
      counts[label]++;
      for (int j = 0; j < 3072; j++) {
        centroids[label][j] += data.trainImages()[i * 3072 + j] & 0xFF;
      }
    }
    int correct = 0;
    for (int i = 0; i < data.numTest(); i++) {
      int best = -1;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < 10; c++) {
        double distance = 0;
        for (int j = 0; j < 3072; j++) {
          double d = (data.testImages()[i * 3072 + j] & 0xFF) - centroids[c][j] / counts[c];
          distance += d * d;
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      correct += best == data.testLabels()[i] ? 1 : 0;
    }
    assertTrue(correct > 150, "accuracy " + correct + "/200");
  }

  @Test
  void writtenFilesHoldTheGeneratedRecordsInOrder() throws IOException {
    Path folder = SyntheticCifar.writeFolder(tmp, 3, 9);
    Cifar10Data data = SyntheticCifar.generate(15, 3, 9);
    byte[] batch4 = Files.readAllBytes(folder.resolve("data_batch_4.bin"));
    assertEquals(3 * 3073, batch4.length);
    for (int r = 0; r < 3; r++) {
      int image = 9 + r; // data_batch_4 holds training images 9, 10, 11
      assertEquals(data.trainLabels()[image], batch4[r * 3073]);
      assertArrayEquals(
          Arrays.copyOfRange(data.trainImages(), image * 3072, (image + 1) * 3072),
          Arrays.copyOfRange(batch4, r * 3073 + 1, (r + 1) * 3073));
    }
    assertEquals("airplane", Files.readAllLines(folder.resolve("batches.meta.txt")).get(0));
  }
}
