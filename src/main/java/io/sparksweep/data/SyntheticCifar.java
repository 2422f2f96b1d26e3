package io.sparksweep.data;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;

/**
 * Small CIFAR-shaped data sets for tests and demos, reproducible from a seed: in memory ({@link
 * #generate}), or written in the official binary layout as a folder ({@link #writeFolder}) or a
 * {@code .tar.gz} ({@link #writeTarGz}) that {@link Cifar10Reader#withRecordsPerFile} reads back.
 *
 * <p>Each class {@code c} has a fixed template: a cosine grating whose frequency depends on the
 * class, shifted up or down per channel by a class-dependent colour; an image is its class template
 * plus a random brightness shift (±20) and uniform per-pixel noise (±48), clamped to [0, 255].
 * Labels are uniform in 0–9. A linear classifier already beats chance by far; a convnet can learn
 * the gratings.
 */
public final class SyntheticCifar {
  private static final int SIDE = 32;
  private static final int PLANE = SIDE * SIDE;

  private SyntheticCifar() {}

  /**
   * A synthetic data set held in memory.
   *
   * @param numTrain training images, ≥ 0
   * @param numTest test images, ≥ 0
   * @param seed the random seed; the same arguments give the same bytes
   */
  public static Cifar10Data generate(int numTrain, int numTest, long seed) {
    if (numTrain < 0 || (long) numTrain * Cifar10Data.IMAGE_BYTES > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("numTrain is " + numTrain + ", expected 0–699050");
    }
    if (numTest < 0 || (long) numTest * Cifar10Data.IMAGE_BYTES > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("numTest is " + numTest + ", expected 0–699050");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    int[][] templates = templates();
    byte[] trainLabels = new byte[numTrain];
    byte[] trainImages = new byte[numTrain * Cifar10Data.IMAGE_BYTES];
    fill(rng, templates, trainImages, trainLabels);
    byte[] testLabels = new byte[numTest];
    byte[] testImages = new byte[numTest * Cifar10Data.IMAGE_BYTES];
    fill(rng, templates, testImages, testLabels);
    return new Cifar10Data(trainImages, trainLabels, testImages, testLabels);
  }

  /**
   * Writes {@code parent/cifar-10-batches-bin/} with {@code data_batch_1.bin} … {@code
   * data_batch_5.bin} and {@code test_batch.bin}, {@code recordsPerFile} records each, holding
   * {@code generate(5 × recordsPerFile, recordsPerFile, seed)} in order, plus {@code
   * batches.meta.txt}.
   *
   * @param parent the folder to create the data folder in (created if needed)
   * @param recordsPerFile records per batch file, ≥ 1
   * @param seed the random seed
   * @return the data folder
   */
  public static Path writeFolder(Path parent, int recordsPerFile, long seed) {
    checkRecordsPerFile(recordsPerFile);
    Cifar10Data data = generate(5 * recordsPerFile, recordsPerFile, seed);
    Path folder = parent.resolve(Cifar10Reader.FOLDER_NAME);
    try {
      Files.createDirectories(folder);
      for (int k = 0; k < Cifar10Reader.TRAIN_FILES.size(); k++) {
        Files.write(
            folder.resolve(Cifar10Reader.TRAIN_FILES.get(k)),
            records(data.trainImages(), data.trainLabels(), k * recordsPerFile, recordsPerFile));
      }
      Files.write(
          folder.resolve(Cifar10Reader.TEST_FILE),
          records(data.testImages(), data.testLabels(), 0, recordsPerFile));
      Files.write(folder.resolve("batches.meta.txt"), meta());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + folder, e);
    }
    return folder;
  }

  /**
   * Writes the same data as {@link #writeFolder} as a gzipped tarball laid out like the official
   * one: members {@code cifar-10-batches-bin/}, {@code cifar-10-batches-bin/data_batch_1.bin} …,
   * {@code batches.meta.txt}, {@code test_batch.bin}.
   *
   * @param tarball the file to write (its folder must exist)
   * @param recordsPerFile records per batch file, ≥ 1
   * @param seed the random seed
   * @return {@code tarball}
   */
  public static Path writeTarGz(Path tarball, int recordsPerFile, long seed) {
    checkRecordsPerFile(recordsPerFile);
    Cifar10Data data = generate(5 * recordsPerFile, recordsPerFile, seed);
    String prefix = Cifar10Reader.FOLDER_NAME + "/";
    try (OutputStream out =
        new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(tarball)))) {
      TarWriter tar = new TarWriter(out);
      tar.folder(prefix);
      for (int k = 0; k < Cifar10Reader.TRAIN_FILES.size(); k++) {
        tar.file(
            prefix + Cifar10Reader.TRAIN_FILES.get(k),
            records(data.trainImages(), data.trainLabels(), k * recordsPerFile, recordsPerFile));
      }
      tar.file(prefix + "batches.meta.txt", meta());
      tar.file(
          prefix + Cifar10Reader.TEST_FILE,
          records(data.testImages(), data.testLabels(), 0, recordsPerFile));
      tar.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + tarball, e);
    }
    return tarball;
  }

  /**
   * Encodes images {@code first … first+count-1} as official binary records: per image, its label
   * byte, then its 3072 pixel bytes.
   *
   * @param images N × 3072 pixel bytes
   * @param labels N labels
   * @param first index of the first image to encode
   * @param count number of images to encode
   * @return {@code count × 3073} bytes
   */
  public static byte[] records(byte[] images, byte[] labels, int first, int count) {
    if (first < 0 || count < 0 || first + count > labels.length) {
      throw new IllegalArgumentException(
          "images " + first + "…" + (first + count - 1) + " out of 0…" + (labels.length - 1));
    }
    byte[] out = new byte[count * Cifar10Reader.RECORD_BYTES];
    for (int i = 0; i < count; i++) {
      int off = i * Cifar10Reader.RECORD_BYTES;
      out[off] = labels[first + i];
      System.arraycopy(
          images, (first + i) * Cifar10Data.IMAGE_BYTES, out, off + 1, Cifar10Data.IMAGE_BYTES);
    }
    return out;
  }

  private static void checkRecordsPerFile(int recordsPerFile) {
    if (recordsPerFile < 1 || recordsPerFile > Cifar10Reader.MAX_RECORDS_PER_FILE) {
      throw new IllegalArgumentException(
          "recordsPerFile is "
              + recordsPerFile
              + ", expected 1–"
              + Cifar10Reader.MAX_RECORDS_PER_FILE);
    }
  }

  private static byte[] meta() {
    return (String.join("\n", Cifar10Reader.CLASS_NAMES) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /** Class templates, (10, 3·32·32) in [0, 255] before noise. */
  private static int[][] templates() {
    int[][] t = new int[Cifar10Reader.NUM_CLASSES][Cifar10Data.IMAGE_BYTES];
    for (int c = 0; c < t.length; c++) {
      int fx = 1 + c % 3;
      int fy = c / 3;
      for (int ch = 0; ch < 3; ch++) {
        int colour = ((c >> ch) & 1) == 1 ? 30 : -30;
        for (int y = 0; y < SIDE; y++) {
          for (int x = 0; x < SIDE; x++) {
            double grating = 50 * Math.cos(2 * Math.PI * (fx * x + fy * y) / SIDE + ch);
            t[c][ch * PLANE + y * SIDE + x] = (int) Math.round(128 + colour + grating);
          }
        }
      }
    }
    return t;
  }

  private static void fill(SplittableRandom rng, int[][] templates, byte[] images, byte[] labels) {
    for (int i = 0; i < labels.length; i++) {
      int label = rng.nextInt(Cifar10Reader.NUM_CLASSES);
      labels[i] = (byte) label;
      int[] template = templates[label];
      int shift = rng.nextInt(41) - 20;
      int off = i * Cifar10Data.IMAGE_BYTES;
      for (int j = 0; j < Cifar10Data.IMAGE_BYTES; j++) {
        int v = template[j] + shift + rng.nextInt(97) - 48;
        images[off + j] = (byte) Math.max(0, Math.min(255, v));
      }
    }
  }
}
