package io.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Cifar10ReaderTest {
  private static final int PER_FILE = 4;
  private static final long SEED = 42;
  private static final Cifar10Reader READER = Cifar10Reader.withRecordsPerFile(PER_FILE);

  @TempDir Path tmp;

  private static void assertSameData(Cifar10Data expected, Cifar10Data actual) {
    assertArrayEquals(expected.trainLabels(), actual.trainLabels());
    assertArrayEquals(expected.trainImages(), actual.trainImages());
    assertArrayEquals(expected.testLabels(), actual.testLabels());
    assertArrayEquals(expected.testImages(), actual.testImages());
  }

  private static Cifar10Data expected() {
    return SyntheticCifar.generate(5 * PER_FILE, PER_FILE, SEED);
  }

  private static DataException assertRefused(Runnable read, String... fragments) {
    DataException e = assertThrows(DataException.class, read::run);
    for (String fragment : fragments) {
      assertTrue(
          e.getMessage().contains(fragment),
          () -> "message lacks '" + fragment + "': " + e.getMessage());
    }
    assertTrue(e.getMessage().contains("sparksweep data download"), e::getMessage);
    return e;
  }

  // ---------------------------------------------------------------- reading

  @Test
  void readsTheFolderItsParentAndTheTarball() {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    Path tarball = SyntheticCifar.writeTarGz(tmp.resolve("x.tar.gz"), PER_FILE, SEED);
    Cifar10Data expected = expected();
    assertSameData(expected, READER.read(folder));
    assertSameData(expected, READER.read(tmp));
    assertSameData(expected, READER.read(tarball));
    assertSameData(expected, READER.readFolder(folder));
    assertSameData(expected, READER.readTarGz(tarball));
  }

  @Test
  void readsTheTarballInAParentFolder() {
    SyntheticCifar.writeTarGz(tmp.resolve(Cifar10Reader.TARBALL_NAME), PER_FILE, SEED);
    assertSameData(expected(), READER.read(tmp));
  }

  /** Records written by hand here, not by SyntheticCifar: the layout itself is under test. */
  @Test
  void decodesLabelThenRedGreenBluePlanesOfEachRecord() throws IOException {
    Path folder = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
    String[] names = {
      "data_batch_1.bin",
      "data_batch_2.bin",
      "data_batch_3.bin",
      "data_batch_4.bin",
      "data_batch_5.bin",
      "test_batch.bin"
    };
    for (int k = 0; k < 6; k++) {
      byte[] file = new byte[2 * 3073];
      for (int r = 0; r < 2; r++) {
        file[r * 3073] = (byte) ((k * 2 + r) % 10);
        for (int j = 0; j < 3072; j++) {
          file[r * 3073 + 1 + j] = (byte) (k + 3 * r + j);
        }
      }
      Files.write(folder.resolve(names[k]), file);
    }
    Cifar10Data data = Cifar10Reader.withRecordsPerFile(2).read(folder);
    assertEquals(10, data.numTrain());
    assertEquals(2, data.numTest());
    assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, data.trainLabels());
    assertArrayEquals(new byte[] {0, 1}, data.testLabels());
    // Training image 7 is record 1 of data_batch_4 (k = 3): pixel j = 3 + 3 + j.
    for (int j = 0; j < 3072; j++) {
      assertEquals((byte) (6 + j), data.trainImages()[7 * 3072 + j]);
      assertEquals((byte) (5 + 3 + j), data.testImages()[3072 + j]);
    }
  }

  /** GNU tar's own archives: plain names, GNU long names ('L'), pax long names ('x'). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "gnu-tar-2-per-file.tar.gz",
        "gnu-tar-long-names.tar.gz",
        "pax-tar-long-names.tar.gz"
      })
  void readsTarballsWrittenByGnuTar(String resource) throws IOException {
    Path tarball = tmp.resolve(resource);
    try (InputStream in = getClass().getResourceAsStream(resource)) {
      Files.copy(in, tarball);
    }
    Cifar10Data data = Cifar10Reader.withRecordsPerFile(2).read(tarball);
    // See make_gnu_tarball.sh: file k, record r has label (3k + r) % 10, pixel j (31k + 7r + j).
    for (int k = 0; k < 6; k++) {
      for (int r = 0; r < 2; r++) {
        byte[] labels = k < 5 ? data.trainLabels() : data.testLabels();
        byte[] images = k < 5 ? data.trainImages() : data.testImages();
        int i = k < 5 ? 2 * k + r : r;
        assertEquals((3 * k + r) % 10, labels[i]);
        for (int j = 0; j < 3072; j += 97) {
          assertEquals((byte) ((31 * k + 7 * r + j) % 256), images[i * 3072 + j]);
        }
      }
    }
  }

  @Test
  void limitsKeepOnlyTheFirstImages() {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    Path tarball = SyntheticCifar.writeTarGz(tmp.resolve("x.tar.gz"), PER_FILE, SEED);
    Cifar10Data all = expected();
    for (Path source : new Path[] {folder, tarball}) {
      Cifar10Data some = READER.withLimits(7, 3).read(source);
      assertArrayEquals(Arrays.copyOf(all.trainLabels(), 7), some.trainLabels());
      assertArrayEquals(Arrays.copyOf(all.trainImages(), 7 * 3072), some.trainImages());
      assertArrayEquals(Arrays.copyOf(all.testLabels(), 3), some.testLabels());
      assertArrayEquals(Arrays.copyOf(all.testImages(), 3 * 3072), some.testImages());
      assertSameData(all, READER.withLimits(1000, 1000).read(source));
    }
  }

  @Test
  void tarMemberNamesAreMatchedWithOrWithoutPrefix() {
    assertEquals(0, Cifar10Reader.batchIndex("data_batch_1.bin"));
    assertEquals(1, Cifar10Reader.batchIndex("cifar-10-batches-bin/data_batch_2.bin"));
    assertEquals(5, Cifar10Reader.batchIndex("./cifar-10-batches-bin/test_batch.bin"));
    assertEquals(4, Cifar10Reader.batchIndex("x/cifar-10-batches-bin/data_batch_5.bin"));
    assertEquals(-1, Cifar10Reader.batchIndex("other/data_batch_1.bin"));
    assertEquals(-1, Cifar10Reader.batchIndex("cifar-10-batches-bin/batches.meta.txt"));
  }

  // ---------------------------------------------------------------- refusals: folders

  @Test
  void refusesAMissingFolder() {
    Path missing = tmp.resolve("nowhere");
    assertRefused(() -> READER.read(missing), missing.toString(), "does not exist");
    assertRefused(() -> READER.readFolder(missing), missing.toString(), "does not exist");
  }

  @Test
  void refusesAFolderWithoutData() {
    assertRefused(() -> READER.read(tmp), tmp.toString(), "holds neither");
  }

  @Test
  void refusesAFolderMissingAFile() throws IOException {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    Files.delete(folder.resolve("data_batch_3.bin"));
    Files.delete(folder.resolve("test_batch.bin"));
    assertRefused(
        () -> READER.read(folder), folder.toString(), "lacks data_batch_3.bin, test_batch.bin");
  }

  @Test
  void refusesATruncatedFile() throws IOException {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    Path file = folder.resolve("data_batch_2.bin");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 1));
    assertRefused(
        () -> READER.read(folder),
        file.toString(),
        "12291 bytes, expected 12292 = 4 records × 3073 bytes",
        "damaged or incomplete");
  }

  @Test
  void refusesAFileCutAtARecordBoundary() throws IOException {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    Path file = folder.resolve("test_batch.bin");
    Files.write(file, Arrays.copyOf(Files.readAllBytes(file), 3 * 3073));
    assertRefused(() -> READER.read(folder), file.toString(), "9219 bytes, expected 12292");
  }

  @Test
  void refusesExtraBytes() throws IOException {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    Path file = folder.resolve("data_batch_5.bin");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length + 5));
    assertRefused(() -> READER.read(folder), file.toString(), "12297 bytes, expected 12292");
  }

  @Test
  void theOfficialReaderWantsTenThousandRecordsPerFile() {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    assertRefused(
        () -> Cifar10Reader.official().read(folder),
        "data_batch_1.bin",
        "12292 bytes, expected 30730000 = 10000 records × 3073 bytes");
  }

  @Test
  void refusesABadLabel() throws IOException {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    Path file = folder.resolve("data_batch_2.bin");
    byte[] bytes = Files.readAllBytes(file);
    bytes[2 * 3073] = 17;
    Files.write(file, bytes);
    assertRefused(
        () -> READER.read(folder),
        file.toString(),
        "record 2 has label 17, expected 0–9",
        "not CIFAR-10 binary data");
    bytes[2 * 3073] = (byte) 200; // ≥ 128: a signed-byte reader would miss it
    Files.write(file, bytes);
    assertRefused(() -> READER.read(folder), "record 2 has label 200, expected 0–9");
  }

  // ---------------------------------------------------------------- refusals: archives

  @Test
  void refusesAFileThatIsNotGzip() throws IOException {
    Path file = tmp.resolve("cifar-10-binary.tar.gz");
    byte[] junk = new byte[4096];
    new SplittableRandom(3).nextBytes(junk);
    Files.write(file, junk);
    assertRefused(() -> READER.read(file), file.toString(), "is not a valid gzip file");
  }

  @Test
  void refusesATruncatedGzip() throws IOException {
    Path tarball = SyntheticCifar.writeTarGz(tmp.resolve("x.tar.gz"), PER_FILE, SEED);
    byte[] bytes = Files.readAllBytes(tarball);
    Files.write(tarball, Arrays.copyOf(bytes, bytes.length / 2));
    assertRefused(() -> READER.read(tarball), tarball.toString(), "is not a valid gzip file");
  }

  @Test
  void refusesAGzipWithADamagedTrailer() throws IOException {
    Path tarball = SyntheticCifar.writeTarGz(tmp.resolve("x.tar.gz"), PER_FILE, SEED);
    byte[] bytes = Files.readAllBytes(tarball);
    bytes[bytes.length - 6] ^= 0x55; // inside the CRC-32 of the uncompressed data
    Files.write(tarball, bytes);
    assertRefused(() -> READER.read(tarball), tarball.toString(), "is not a valid gzip file");
  }

  @Test
  void refusesAGzipThatIsNotTar() throws IOException {
    Path file = tmp.resolve("x.tar.gz");
    byte[] junk = new byte[4096];
    new SplittableRandom(4).nextBytes(junk);
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(junk);
    }
    assertRefused(() -> READER.read(file), file.toString(), "not a valid tar archive");
  }

  @Test
  void refusesATarballWithoutTheBatches() throws IOException {
    Path file = tmp.resolve("x.tar.gz");
    writeTarGz(file, "cifar-10-batches-bin/batches.meta.txt", new byte[60]);
    assertRefused(
        () -> READER.read(file),
        file.toString(),
        "holds no cifar-10-batches-bin/data_batch_1.bin",
        "cifar-10-batches-bin/test_batch.bin");
  }

  @Test
  void refusesATarballMemberOfTheWrongSize() throws IOException {
    Path file = tmp.resolve("x.tar.gz");
    writeTarGz(file, "cifar-10-batches-bin/data_batch_1.bin", new byte[3073 * 3]);
    assertRefused(
        () -> READER.read(file),
        "member cifar-10-batches-bin/data_batch_1.bin",
        "9219 bytes, expected 12292");
  }

  @Test
  void refusesATarballCutInsideAMember() throws IOException {
    Path folder = SyntheticCifar.writeFolder(tmp, PER_FILE, SEED);
    ByteArrayOutputStream tar = new ByteArrayOutputStream();
    TarWriter writer = new TarWriter(tar);
    writer.file(
        "cifar-10-batches-bin/data_batch_1.bin",
        Files.readAllBytes(folder.resolve("data_batch_1.bin")));
    byte[] cut = Arrays.copyOf(tar.toByteArray(), 512 + 5000);
    Path file = tmp.resolve("cut.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(cut);
    }
    assertRefused(() -> READER.read(file), file.toString(), "ends in the middle of a member");
  }

  @Test
  void refusesAFileThatIsNotAnArchive() throws IOException {
    Path file = Files.write(tmp.resolve("data.bin"), new byte[10]);
    assertRefused(() -> READER.read(file), file.toString(), "not a .tar.gz archive");
  }

  private static void writeTarGz(Path file, String member, byte[] data) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      TarWriter tar = new TarWriter(out);
      tar.folder("cifar-10-batches-bin/");
      tar.file(member, data);
      tar.finish();
    }
  }
}
