package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Download;
import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.data.DataException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --no-download}, shared by the commands that read CIFAR-10 ({@code search}, {@code train},
 * {@code evaluate}, {@code experiment}): when {@code --data} is the default folder ({@code data})
 * and holds no CIFAR-10, the command downloads the official tarball into it first ({@link
 * Cifar10Download}: progress, checksum, atomic), unless {@code --no-download} is given, in which
 * case one line says what to do. Another {@code --data} that holds nothing is an error (a typo
 * should not start a 170 MB download).
 */
public final class DownloadOption {
  /**
   * The default of every {@code --data}: {@code data}, or the system property {@code
   * sparksweep.data} (tests point it at a temporary folder).
   */
  static final String DEFAULT_DATA = "${sys:sparksweep.data:-data}";

  @Option(
      names = "--no-download",
      description =
          "Never download CIFAR-10: when the default data folder holds none, say so and stop"
              + " (by default the official tarball is fetched into it, MD5-checked).")
  boolean noDownload;

  @Option(
      names = "--download-url",
      hidden = true,
      paramLabel = "URL",
      description = "Where to fetch the tarball (tests: a local server).")
  URI url;

  @Option(
      names = "--download-checksum",
      hidden = true,
      paramLabel = "ALGO:HEX",
      description = "The tarball's digest, md5:… or sha256:… (default: the official MD5).")
  String checksum;

  /**
   * The official tarball's address, or {@code -Dsparksweep.download.url} (the build sets it to a
   * closed local port, so that no test reaches the network by accident).
   */
  static URI defaultUrl() {
    String u = System.getProperty("sparksweep.download.url");
    return u == null ? Cifar10Download.OFFICIAL_URL : URI.create(u);
  }

  /** The default data folder: {@code data}, or {@code -Dsparksweep.data}. */
  static Path defaultData() {
    return Path.of(System.getProperty("sparksweep.data", "data"));
  }

  /** Whether {@code dir} holds none of the forms the reader accepts. */
  static boolean holdsNoCifar(Path dir) {
    if (!Files.exists(dir)) {
      return true;
    }
    if (!Files.isDirectory(dir)) {
      return false;
    }
    for (String name :
        new String[] {
          Cifar10Reader.FOLDER_NAME,
          Cifar10Reader.TARBALL_NAME,
          Cifar10Reader.TEST_FILE,
          Cifar10Reader.TRAIN_FILES.get(0)
        }) {
      if (Files.exists(dir.resolve(name))) {
        return false;
      }
    }
    return true;
  }

  /**
   * Makes sure {@code data} can be read: when it is the default folder and holds no CIFAR-10,
   * downloads the tarball into it (progress on {@code err}), or refuses in one line with {@code
   * --no-download}. Any other folder is left to the reader.
   *
   * @param data the {@code --data} path
   * @param reader validates what is downloaded (its records per file)
   * @param err where progress goes
   * @return {@code data}
   * @throws DataException if the download fails or is refused
   */
  Path ensure(Path data, Cifar10Reader reader, PrintWriter err) {
    if (!data.normalize().equals(defaultData().normalize()) || !holdsNoCifar(data)) {
      return data;
    }
    if (noDownload) {
      throw new DataException(
          data.toString(),
          "holds no CIFAR-10 and --no-download forbids fetching it",
          "Run `jobs/sparksweep data download --dir "
              + data
              + "` (or leave out --no-download), or pass --data DIR where it is");
    }
    URI from = url != null ? url : defaultUrl();
    Cifar10Download download =
        new Cifar10Download(
            from,
            checksum != null
                ? Cifar10Download.Checksum.parse(checksum)
                : Cifar10Download.OFFICIAL_MD5,
            reader);
    err.println(
        "no CIFAR-10 in " + data + ": downloading " + from + " into it (--no-download to refuse)");
    err.flush();
    try {
      download.download(data, new DataCommand.ProgressBar(err));
    } finally {
      err.println(); // ends the progress bar's line, so that an error starts its own
      err.flush();
    }
    return data;
  }
}
