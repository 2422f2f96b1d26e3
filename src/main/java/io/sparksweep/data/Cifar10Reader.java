package io.sparksweep.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads CIFAR-10 (Krizhevsky, 2009) in the official <em>binary</em> layout into {@link
 * Cifar10Data}, from the extracted {@code cifar-10-batches-bin/} folder, from a folder holding it
 * (or holding the tarball), or straight from the official {@code cifar-10-binary.tar.gz} (gzip and
 * tar are read on the fly; nothing is extracted).
 *
 * <p>Layout: {@code data_batch_1.bin} … {@code data_batch_5.bin} (training, in that order) and
 * {@code test_batch.bin}, each a sequence of 3073-byte records: 1 label byte (0–9), then 1024 red,
 * 1024 green and 1024 blue bytes, each plane 32×32 row-major from the top-left; no header, no
 * padding. {@code batches.meta.txt} and other members are ignored.
 *
 * <p>Validation is strict, so that a damaged download fails loudly instead of training on garbage:
 * all six files must be present; each must hold <em>exactly</em> {@link #recordsPerFile()} records
 * (10,000 for the official data, i.e. 30,730,000 bytes; a file cut at a record boundary is refused
 * too); every label must be 0–9; the gzip stream's CRC is checked. Any failure throws one {@link
 * DataException} naming the file, what is wrong and how to fix it. Other record counts per file
 * exist only for small synthetic sets ({@link #withRecordsPerFile}, {@link SyntheticCifar}).
 *
 * <p>The real data (≈180 MB) loads in a second or two; {@link #withLimits} keeps only the first
 * images (and for a folder skips reading the rest), for quick runs.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class Cifar10Reader {
  /** Name of the extracted folder, also its prefix inside the tarball. */
  public static final String FOLDER_NAME = "cifar-10-batches-bin";

  /** Name of the official tarball. */
  public static final String TARBALL_NAME = "cifar-10-binary.tar.gz";

  /** The training batch files, in training order. */
  public static final List<String> TRAIN_FILES =
      List.of(
          "data_batch_1.bin",
          "data_batch_2.bin",
          "data_batch_3.bin",
          "data_batch_4.bin",
          "data_batch_5.bin");

  /** The test batch file. */
  public static final String TEST_FILE = "test_batch.bin";

  /** Bytes per record: 1 label byte and {@link Cifar10Data#IMAGE_BYTES} pixel bytes. */
  public static final int RECORD_BYTES = 1 + Cifar10Data.IMAGE_BYTES;

  /** Records in each official batch file. */
  public static final int OFFICIAL_RECORDS_PER_FILE = 10_000;

  /** Most records per file that fit the arrays (5 files × 100,000 × 3072 bytes < 2 GiB). */
  public static final int MAX_RECORDS_PER_FILE = 100_000;

  /** Number of classes. */
  public static final int NUM_CLASSES = 10;

  /** Class names by label, as in {@code batches.meta.txt}. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** The command that fetches the data set, quoted in fixes. */
  public static final String DOWNLOAD_COMMAND = "sparksweep data download";

  private static final String FIX_MISSING =
      "Run `"
          + DOWNLOAD_COMMAND
          + "` to fetch CIFAR-10, or pass the "
          + FOLDER_NAME
          + " folder (data_batch_1.bin … test_batch.bin), its parent folder, or "
          + TARBALL_NAME;
  private static final String FIX_DAMAGED_FILE =
      "The file is damaged or incomplete: delete it and run `" + DOWNLOAD_COMMAND + "` again";
  private static final String FIX_NOT_CIFAR =
      "This is not CIFAR-10 binary data (records of 1 label byte 0–9 and 3072 pixel bytes):"
          + " fetch the binary version with `"
          + DOWNLOAD_COMMAND
          + "`";
  private static final String FIX_DAMAGED_FOLDER =
      "The folder is incomplete: delete it and run `" + DOWNLOAD_COMMAND + "` again";
  static final String FIX_DAMAGED_ARCHIVE =
      "The archive is damaged or incomplete: delete it and run `"
          + DOWNLOAD_COMMAND
          + "` again (it verifies the checksum)";

  /** Records decoded per read: 1,000 records ≈ 3 MB. */
  private static final int CHUNK_RECORDS = 1_000;

  private final int recordsPerFile;
  private final int maxTrain;
  private final int maxTest;

  private Cifar10Reader(int recordsPerFile, int maxTrain, int maxTest) {
    this.recordsPerFile = recordsPerFile;
    this.maxTrain = maxTrain;
    this.maxTest = maxTest;
  }

  /** A reader of the official data: 10,000 records per file, everything loaded. */
  public static Cifar10Reader official() {
    return new Cifar10Reader(OFFICIAL_RECORDS_PER_FILE, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * A reader of a CIFAR-format set with {@code recordsPerFile} records in each of the six files (a
   * small synthetic set, see {@link SyntheticCifar}).
   *
   * @param recordsPerFile records per batch file, ≥ 1
   */
  public static Cifar10Reader withRecordsPerFile(int recordsPerFile) {
    if (recordsPerFile < 1 || recordsPerFile > MAX_RECORDS_PER_FILE) {
      throw new IllegalArgumentException(
          "recordsPerFile is " + recordsPerFile + ", expected 1–" + MAX_RECORDS_PER_FILE);
    }
    return new Cifar10Reader(recordsPerFile, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /**
   * This reader, keeping only the first {@code maxTrain} training and {@code maxTest} test images
   * (all of them when a limit exceeds what the files hold). Sizes are still checked for every file;
   * labels only for the records kept.
   *
   * @param maxTrain training images to keep, ≥ 0
   * @param maxTest test images to keep, ≥ 0
   */
  public Cifar10Reader withLimits(int maxTrain, int maxTest) {
    if (maxTrain < 0) {
      throw new IllegalArgumentException("maxTrain is " + maxTrain + ", expected ≥ 0");
    }
    if (maxTest < 0) {
      throw new IllegalArgumentException("maxTest is " + maxTest + ", expected ≥ 0");
    }
    return new Cifar10Reader(recordsPerFile, maxTrain, maxTest);
  }

  /** Records expected in each batch file. */
  public int recordsPerFile() {
    return recordsPerFile;
  }

  /** Bytes expected in each batch file: {@code recordsPerFile × 3073}. */
  public long fileBytes() {
    return (long) recordsPerFile * RECORD_BYTES;
  }

  /**
   * Reads the data set at {@code source}: the {@code cifar-10-batches-bin} folder itself, a folder
   * that holds it (or, failing that, holds {@code cifar-10-binary.tar.gz}), or a {@code .tar.gz} /
   * {@code .tgz} file.
   *
   * @throws DataException if nothing usable is there or the data is damaged
   */
  public Cifar10Data read(Path source) {
    if (Files.isRegularFile(source)) {
      String name = String.valueOf(source.getFileName());
      if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
        return readTarGz(source);
      }
      throw new DataException(
          source.toString(), "is a file, but not a .tar.gz archive", FIX_MISSING);
    }
    if (!Files.isDirectory(source)) {
      throw new DataException(source.toString(), "does not exist", FIX_MISSING);
    }
    if (holdsAnyBatch(source)) {
      return readFolder(source);
    }
    Path inner = source.resolve(FOLDER_NAME);
    if (Files.isDirectory(inner)) {
      return readFolder(inner);
    }
    Path tarball = source.resolve(TARBALL_NAME);
    if (Files.isRegularFile(tarball)) {
      return readTarGz(tarball);
    }
    throw new DataException(
        source.toString(),
        "holds neither the batch files (data_batch_1.bin … test_batch.bin), nor a "
            + FOLDER_NAME
            + " folder, nor "
            + TARBALL_NAME,
        FIX_MISSING);
  }

  /**
   * Reads the extracted folder holding {@code data_batch_1.bin} … {@code test_batch.bin}.
   *
   * @throws DataException if the folder or a file is missing or damaged
   */
  public Cifar10Data readFolder(Path folder) {
    if (!Files.isDirectory(folder)) {
      throw new DataException(
          folder.toString(),
          Files.exists(folder) ? "is not a folder" : "does not exist",
          FIX_MISSING);
    }
    List<String> names = allFiles();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (!Files.isRegularFile(folder.resolve(name))) {
        missing.add(name);
      }
    }
    if (!missing.isEmpty()) {
      throw new DataException(
          folder.toString(), "lacks " + String.join(", ", missing), FIX_DAMAGED_FOLDER);
    }
    // Check every size before reading anything, so a damaged file fails fast.
    for (String name : names) {
      Path file = folder.resolve(name);
      checkSize(file.toString(), sizeOf(file));
    }
    Target target = new Target();
    for (int k = 0; k < names.size(); k++) {
      int keep = target.keep(k);
      if (keep == 0) {
        continue;
      }
      Path file = folder.resolve(names.get(k));
      String source = file.toString();
      try (InputStream in = Files.newInputStream(file)) {
        decode(
            (b, off, len) -> {
              if (in.readNBytes(b, off, len) < len) {
                throw new DataException(
                    source, "ended while being read", "Do not modify the files while reading them");
              }
            },
            source,
            keep,
            target,
            k);
      } catch (IOException e) {
        throw unreadable(source, e);
      }
    }
    return target.data();
  }

  /**
   * Reads the official tarball (or one of the same layout) directly: gzip, then tar; members are
   * matched by name ({@code cifar-10-batches-bin/data_batch_1.bin} …; a leading {@code ./} or
   * missing folder prefix is accepted), in any order.
   *
   * @throws DataException if the file is missing, is not gzip or tar, lacks a batch file, or a
   *     batch is damaged
   */
  public Cifar10Data readTarGz(Path tarball) {
    String archive = tarball.toString();
    if (!Files.isRegularFile(tarball)) {
      throw new DataException(
          archive, Files.exists(tarball) ? "is not a file" : "does not exist", FIX_MISSING);
    }
    Target target = new Target();
    List<String> names = allFiles();
    boolean[] seen = new boolean[names.size()];
    try (InputStream raw = Files.newInputStream(tarball);
        GZIPInputStream gz = new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
      TarReader tar = new TarReader(gz, archive);
      for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
        int k = e.isFile() ? batchIndex(e.name()) : -1;
        if (k < 0) {
          continue;
        }
        String source = archive + " (member " + e.name() + ")";
        if (seen[k]) {
          throw new DataException(source, "appears twice in the archive", FIX_DAMAGED_ARCHIVE);
        }
        seen[k] = true;
        checkSize(source, e.size());
        decode(tar::readFully, source, target.keep(k), target, k);
      }
      // Read to the end so that the gzip trailer (CRC-32 and length) is verified.
      gz.transferTo(OutputStream.nullOutputStream());
    } catch (ZipException | EOFException e) {
      throw new DataException(
          archive, "is not a valid gzip file (" + e.getMessage() + ")", FIX_DAMAGED_ARCHIVE, e);
    } catch (IOException e) {
      throw unreadable(archive, e);
    }
    List<String> missing = new ArrayList<>();
    for (int k = 0; k < names.size(); k++) {
      if (!seen[k]) {
        missing.add(FOLDER_NAME + "/" + names.get(k));
      }
    }
    if (!missing.isEmpty()) {
      throw new DataException(
          archive, "holds no " + String.join(", ", missing), FIX_DAMAGED_ARCHIVE);
    }
    return target.data();
  }

  // ---------------------------------------------------------------- decoding

  /**
   * Where decoded records go: training files 0–4 fill the training arrays, file 5 the test ones.
   */
  private final class Target {
    final int numTrain = (int) Math.min(maxTrain, 5L * recordsPerFile);
    final int numTest = Math.min(maxTest, recordsPerFile);
    final byte[] trainImages = new byte[numTrain * Cifar10Data.IMAGE_BYTES];
    final byte[] trainLabels = new byte[numTrain];
    final byte[] testImages = new byte[numTest * Cifar10Data.IMAGE_BYTES];
    final byte[] testLabels = new byte[numTest];

    /** Records to keep from file {@code k}. */
    int keep(int k) {
      if (k == TRAIN_FILES.size()) {
        return numTest;
      }
      return Math.max(0, Math.min(recordsPerFile, numTrain - k * recordsPerFile));
    }

    /** Index, in its split, of the first record of file {@code k}. */
    int first(int k) {
      return k == TRAIN_FILES.size() ? 0 : k * recordsPerFile;
    }

    Cifar10Data data() {
      return new Cifar10Data(trainImages, trainLabels, testImages, testLabels);
    }
  }

  /** Reads exactly {@code len} bytes or throws. */
  @FunctionalInterface
  private interface ByteSource {
    void readFully(byte[] b, int off, int len) throws IOException;
  }

  /** Decodes the first {@code keep} records of file {@code k} into {@code target}. */
  private static void decode(ByteSource in, String source, int keep, Target target, int k)
      throws IOException {
    boolean test = k == TRAIN_FILES.size();
    byte[] images = test ? target.testImages : target.trainImages;
    byte[] labels = test ? target.testLabels : target.trainLabels;
    int first = target.first(k);
    byte[] chunk = new byte[Math.min(keep, CHUNK_RECORDS) * RECORD_BYTES];
    for (int done = 0; done < keep; ) {
      int n = Math.min(keep - done, CHUNK_RECORDS);
      in.readFully(chunk, 0, n * RECORD_BYTES);
      for (int r = 0; r < n; r++) {
        int off = r * RECORD_BYTES;
        int label = chunk[off] & 0xFF;
        if (label >= NUM_CLASSES) {
          throw new DataException(
              source,
              "record " + (done + r) + " has label " + label + ", expected 0–9",
              FIX_NOT_CIFAR);
        }
        int i = first + done + r;
        labels[i] = (byte) label;
        System.arraycopy(chunk, off + 1, images, i * Cifar10Data.IMAGE_BYTES, RECORD_BYTES - 1);
      }
      done += n;
    }
  }

  // ---------------------------------------------------------------- helpers

  private void checkSize(String source, long size) {
    long expected = fileBytes();
    if (size != expected) {
      String detail =
          size % RECORD_BYTES == 0
              ? ""
              : " ("
                  + size / RECORD_BYTES
                  + " whole records and "
                  + size % RECORD_BYTES
                  + " bytes)";
      throw new DataException(
          source,
          size
              + " bytes, expected "
              + expected
              + " = "
              + recordsPerFile
              + " records × "
              + RECORD_BYTES
              + " bytes"
              + detail,
          FIX_DAMAGED_FILE);
    }
  }

  private static long sizeOf(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw unreadable(file.toString(), e);
    }
  }

  private static DataException unreadable(String source, IOException e) {
    if (e instanceof NoSuchFileException) {
      return new DataException(source, "does not exist", FIX_MISSING, e);
    }
    return new DataException(
        source,
        "cannot be read (" + e + ")",
        "Check that the file exists and is readable by this user",
        e);
  }

  private static List<String> allFiles() {
    List<String> names = new ArrayList<>(TRAIN_FILES);
    names.add(TEST_FILE);
    return names;
  }

  private static boolean holdsAnyBatch(Path folder) {
    for (String name : allFiles()) {
      if (Files.exists(folder.resolve(name))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Index (0–4 training, 5 test) of a tar member named {@code [./][…/]cifar-10-batches-bin/<file>}
   * or {@code [./]<file>}, or -1.
   */
  static int batchIndex(String memberName) {
    String name = memberName;
    while (name.startsWith("./")) {
      name = name.substring(2);
    }
    int slash = name.lastIndexOf('/');
    String base = name.substring(slash + 1);
    if (slash >= 0) {
      String parent = name.substring(0, slash);
      if (!parent.equals(FOLDER_NAME) && !parent.endsWith("/" + FOLDER_NAME)) {
        return -1;
      }
    }
    return allFiles().indexOf(base);
  }
}
