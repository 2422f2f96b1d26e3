package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Download;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparksweep data download}: fetches and verifies the official CIFAR-10 binary release. */
@Command(
    name = "data",
    mixinStandardHelpOptions = true,
    description = "Manages the CIFAR-10 data set.",
    subcommands = {DataCommand.Download.class})
public final class DataCommand implements Runnable {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The {@code download} subcommand. */
  @Command(
      name = "download",
      mixinStandardHelpOptions = true,
      description =
          "Downloads cifar-10-binary.tar.gz from its official address, verifies its MD5 and"
              + " extracts cifar-10-batches-bin/ into DIR.")
  public static final class Download implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(
        names = "--dir",
        paramLabel = "DIR",
        defaultValue = "data",
        description = "Target folder (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(
        names = "--url",
        paramLabel = "URL",
        description = "Another address of the same tarball (a mirror).")
    URI url;

    @Option(
        names = "--checksum",
        paramLabel = "ALGO:HEX",
        description = "Expected digest, md5:… or sha256:… (default: the official MD5).")
    String checksum;

    @Option(
        names = "--records-per-file",
        hidden = true,
        defaultValue = "10000",
        description = "Records per batch file (10000 in the official release).")
    int recordsPerFile;

    @Override
    public Integer call() {
      PrintWriter err = spec.commandLine().getErr();
      Cifar10Download download = Cifar10Download.official();
      if (url != null || checksum != null || recordsPerFile != 10_000) {
        download =
            new Cifar10Download(
                url != null ? url : Cifar10Download.OFFICIAL_URL,
                checksum != null
                    ? Cifar10Download.Checksum.parse(checksum)
                    : Cifar10Download.OFFICIAL_MD5,
                recordsPerFile == 10_000
                    ? io.sparksweep.data.Cifar10Reader.official()
                    : io.sparksweep.data.Cifar10Reader.withRecordsPerFile(recordsPerFile));
      }
      Path folder = download.download(dir, new ProgressBar(err));
      err.println();
      spec.commandLine().getOut().println("CIFAR-10 is ready in " + folder);
      return 0;
    }
  }

  /** A one-line progress bar per stage on standard error. */
  static final class ProgressBar implements Cifar10Download.Listener {
    private final PrintWriter err;
    private Cifar10Download.Stage current;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void progress(Cifar10Download.Stage stage, long done, long total) {
      if (stage != current) {
        if (current != null) {
          err.println();
        }
        current = stage;
      }
      int width = 40;
      int filled = total > 0 ? (int) Math.min(width, width * done / total) : 0;
      err.printf(
          Locale.ROOT,
          "\r%-11s [%s%s] %7.1f / %s MB",
          stage.name().toLowerCase(Locale.ROOT),
          "#".repeat(filled),
          " ".repeat(width - filled),
          done / 1e6,
          total > 0 ? String.format(Locale.ROOT, "%.1f", total / 1e6) : "?");
      err.flush();
    }
  }
}
