package io.sparksweep.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Fetches the official CIFAR-10 binary tarball and extracts it, for the {@code sparksweep data
 * download} command. Prints nothing: progress goes to a {@link Listener}.
 *
 * <p>{@link #download} into a folder {@code dir}:
 *
 * <ol>
 *   <li>if {@code dir/cifar-10-batches-bin/} exists and has its six files at the right sizes, does
 *       nothing else;
 *   <li>unless {@code dir/cifar-10-binary.tar.gz} exists with the right checksum, downloads the URL
 *       to {@code cifar-10-binary.tar.gz.part}, checks its checksum (MD5 {@code
 *       c32a1d4ab5d03f1284b67883e8d87530} for the official file) and only then renames it; a
 *       mismatch deletes the partial file;
 *   <li>extracts the batch files into {@code cifar-10-batches-bin.partial/}, reads them back with
 *       the full validation of {@link Cifar10Reader}, and renames the folder to {@code
 *       cifar-10-batches-bin/}; a failure deletes the partial folder.
 * </ol>
 *
 * <p>So an interrupted or failed run never leaves a folder that looks complete. Two runs on the
 * same folder at once are not supported. Immutable; the tarball is kept (the reader can read it
 * too).
 */
public final class Cifar10Download {
  /** Where the official tarball lives. */
  public static final URI OFFICIAL_URL =
      URI.create("https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz");

  /** The official tarball's MD5, as published on the CIFAR-10 page. */
  public static final Checksum OFFICIAL_MD5 = Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530");

  private static final String PARTIAL = ".partial";
  private static final long REPORT_EVERY = 1 << 20;

  /** What a download is doing, reported to a {@link Listener}. */
  public enum Stage {
    /** Bytes received so far of the total (-1 when the server does not say). */
    DOWNLOADING,
    /** Hashing the tarball (done/total in bytes). */
    VERIFYING,
    /** Bytes of batch files written so far of the total expected. */
    EXTRACTING,
    /** Finished: the folder is ready (done = total = 1). */
    DONE
  }

  /** Receives progress; called on the downloading thread, often (about once per MiB). */
  @FunctionalInterface
  public interface Listener {
    /** A listener that ignores everything. */
    Listener NONE = (stage, done, total) -> {};

    /**
     * @param stage what is being done
     * @param done units (bytes) done so far
     * @param total units expected, or -1 when unknown
     */
    void progress(Stage stage, long done, long total);
  }

  /**
   * An expected digest.
   *
   * @param algorithm a {@link MessageDigest} algorithm name: {@code MD5} or {@code SHA-256}
   * @param hex the digest in lower-case hex
   */
  public record Checksum(String algorithm, String hex) {
    /** Validates the algorithm and the hex length; stores the hex in lower case. */
    public Checksum {
      Objects.requireNonNull(algorithm, "algorithm");
      int bytes =
          switch (algorithm) {
            case "MD5" -> 16;
            case "SHA-256" -> 32;
            default ->
                throw new IllegalArgumentException(
                    "checksum algorithm is " + algorithm + ", expected MD5 or SHA-256");
          };
      hex = hex.toLowerCase(Locale.ROOT);
      if (hex.length() != 2 * bytes || !hex.chars().allMatch(Checksum::isHexDigit)) {
        throw new IllegalArgumentException(
            algorithm + " checksum is '" + hex + "', expected " + 2 * bytes + " hex digits");
      }
    }

    /** An MD5 checksum (32 hex digits). */
    public static Checksum md5(String hex) {
      return new Checksum("MD5", hex);
    }

    /** A SHA-256 checksum (64 hex digits). */
    public static Checksum sha256(String hex) {
      return new Checksum("SHA-256", hex);
    }

    /** Parses {@code md5:<hex>} or {@code sha256:<hex>} (as a command-line option would give). */
    public static Checksum parse(String text) {
      int colon = text.indexOf(':');
      String kind = colon < 0 ? "" : text.substring(0, colon).toLowerCase(Locale.ROOT);
      String hex = text.substring(colon + 1);
      return switch (kind) {
        case "md5" -> md5(hex);
        case "sha256", "sha-256" -> sha256(hex);
        default ->
            throw new IllegalArgumentException(
                "checksum is '"
                    + text
                    + "', expected md5:<32 hex digits> or sha256:<64 hex digits>");
      };
    }

    MessageDigest newDigest() {
      try {
        return MessageDigest.getInstance(algorithm);
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException(algorithm + " is missing from this JVM", e);
      }
    }

    private static boolean isHexDigit(int c) {
      return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    @Override
    public String toString() {
      return algorithm + " " + hex;
    }
  }

  private final URI url;
  private final Checksum checksum;
  private final Cifar10Reader reader;

  /**
   * @param url where to fetch the tarball (http or https)
   * @param checksum its expected digest
   * @param reader validates the extracted folder (its record count per file)
   */
  public Cifar10Download(URI url, Checksum checksum, Cifar10Reader reader) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new IllegalArgumentException("url is " + url + ", expected an http(s) URL");
    }
    this.url = url;
    this.checksum = Objects.requireNonNull(checksum, "checksum");
    this.reader = Objects.requireNonNull(reader, "reader");
  }

  /** The official tarball, its MD5, and the official layout. */
  public static Cifar10Download official() {
    return new Cifar10Download(OFFICIAL_URL, OFFICIAL_MD5, Cifar10Reader.official());
  }

  /**
   * Makes sure {@code dir/cifar-10-batches-bin/} holds the data set, downloading and extracting it
   * if needed (see the class comment).
   *
   * @param dir the folder to download into (created if needed)
   * @param listener receives progress
   * @return the data folder {@code dir/cifar-10-batches-bin}
   * @throws DataException if the download, the checksum, the extraction or the validation fails, or
   *     an existing data folder is damaged
   */
  public Path download(Path dir, Listener listener) {
    Path folder = dir.resolve(Cifar10Reader.FOLDER_NAME);
    if (Files.isDirectory(folder)) {
      reader.withLimits(0, 0).readFolder(folder); // presence and sizes
      listener.progress(Stage.DONE, 1, 1);
      return folder;
    }
    Path tarball = dir.resolve(Cifar10Reader.TARBALL_NAME);
    try {
      Files.createDirectories(dir);
      if (!(Files.isRegularFile(tarball) && checksumOf(tarball, listener).equals(checksum.hex()))) {
        fetch(tarball, listener);
      }
    } catch (IOException e) {
      throw new DataException(
          dir.toString(), "cannot be written (" + e + ")", "Choose a writable folder", e);
    }
    extract(tarball, folder, listener);
    listener.progress(Stage.DONE, 1, 1);
    return folder;
  }

  /** Downloads to {@code tarball.part}, verifies it and renames it to {@code tarball}. */
  private void fetch(Path tarball, Listener listener) throws IOException {
    Path part = tarball.resolveSibling(tarball.getFileName() + ".part");
    String fixByHand =
        "Check the network (and proxy), or download " + url + " by hand and save it as " + tarball;
    HttpClient client =
        HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
    HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(60)).GET().build();
    MessageDigest digest = checksum.newDigest();
    boolean ok = false;
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 200) {
          throw new DataException(
              url.toString(), "the server answered HTTP " + response.statusCode(), fixByHand);
        }
        long total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        try (OutputStream out = Files.newOutputStream(part)) {
          copy(body, out, digest, Stage.DOWNLOADING, total, listener);
        }
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(checksum.hex())) {
        throw new DataException(
            url.toString(),
            "the download's "
                + checksum.algorithm()
                + " is "
                + actual
                + ", expected "
                + checksum.hex(),
            "The download is damaged or the URL serves another file: run the download again, or "
                + "fetch the file by hand and check its checksum");
      }
      move(part, tarball);
      ok = true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataException(url.toString(), "the download was interrupted", "Run it again", e);
    } catch (IOException e) {
      throw new DataException(url.toString(), "cannot be downloaded (" + e + ")", fixByHand, e);
    } finally {
      if (!ok) {
        Files.deleteIfExists(part);
      }
    }
  }

  /** Extracts the batch files to {@code folder.partial}, validates them, renames to folder. */
  private void extract(Path tarball, Path folder, Listener listener) {
    Path partial = folder.resolveSibling(folder.getFileName() + PARTIAL);
    String archive = tarball.toString();
    boolean ok = false;
    try {
      deleteTree(partial);
      Files.createDirectories(partial);
      long total = 6 * reader.fileBytes();
      long[] written = {0};
      try (InputStream raw = Files.newInputStream(tarball);
          GZIPInputStream gz =
              new GZIPInputStream(new BufferedInputStream(raw, 1 << 16), 1 << 16)) {
        TarReader tar = new TarReader(gz, archive);
        byte[] buf = new byte[1 << 16];
        for (TarReader.Entry e = tar.next(); e != null; e = tar.next()) {
          String name = memberFile(e);
          if (name == null) {
            continue;
          }
          try (OutputStream out = Files.newOutputStream(partial.resolve(name))) {
            for (int n = tar.read(buf, 0, buf.length); n >= 0; n = tar.read(buf, 0, buf.length)) {
              out.write(buf, 0, n);
              long before = written[0];
              written[0] += n;
              if (before / REPORT_EVERY != written[0] / REPORT_EVERY) {
                listener.progress(Stage.EXTRACTING, written[0], total);
              }
            }
          }
        }
        gz.transferTo(OutputStream.nullOutputStream()); // verifies the gzip trailer
      } catch (ZipException | EOFException e) {
        throw new DataException(
            archive,
            "is not a valid gzip file (" + e.getMessage() + ")",
            Cifar10Reader.FIX_DAMAGED_ARCHIVE,
            e);
      }
      reader.readFolder(partial); // full validation before the folder gets its real name
      move(partial, folder);
      ok = true;
    } catch (IOException e) {
      throw new DataException(
          folder.toString(), "cannot be extracted (" + e + ")", "Check free disk space", e);
    } finally {
      if (!ok) {
        try {
          deleteTree(partial);
        } catch (IOException e) {
          // The original failure matters more; a stale .partial folder is replaced next time.
        }
      }
    }
  }

  /** The file name to extract a member to, or null to skip it. */
  private static String memberFile(TarReader.Entry e) {
    if (!e.isFile()) {
      return null;
    }
    int k = Cifar10Reader.batchIndex(e.name());
    if (k >= 0) {
      String name = e.name();
      return name.substring(name.lastIndexOf('/') + 1);
    }
    String name = e.name().startsWith("./") ? e.name().substring(2) : e.name();
    String base = name.substring(name.lastIndexOf('/') + 1);
    boolean inFolder = name.equals(Cifar10Reader.FOLDER_NAME + "/" + base);
    // Besides the batches, keep the small metadata files (names are fixed: no path tricks).
    return inFolder && List.of("batches.meta.txt", "readme.html").contains(base) ? base : null;
  }

  private String checksumOf(Path file, Listener listener) throws IOException {
    MessageDigest digest = checksum.newDigest();
    try (InputStream in = Files.newInputStream(file)) {
      copy(
          in, OutputStream.nullOutputStream(), digest, Stage.VERIFYING, Files.size(file), listener);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void copy(
      InputStream in,
      OutputStream out,
      MessageDigest digest,
      Stage stage,
      long total,
      Listener listener)
      throws IOException {
    byte[] buf = new byte[1 << 16];
    long done = 0;
    listener.progress(stage, 0, total);
    for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
      out.write(buf, 0, n);
      digest.update(buf, 0, n);
      long before = done;
      done += n;
      if (before / REPORT_EVERY != done / REPORT_EVERY) {
        listener.progress(stage, done, total);
      }
    }
    listener.progress(stage, done, total);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
              });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
