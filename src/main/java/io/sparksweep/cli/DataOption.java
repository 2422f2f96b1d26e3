package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Reader;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The {@code --data} option shared by the commands that read CIFAR-10. */
public final class DataOption {
  /** Help text of {@code --data}, also used by {@code search}, which reads the data itself. */
  static final String DESCRIPTION =
      "CIFAR-10: the cifar-10-batches-bin folder, a folder holding it, or"
          + " cifar-10-binary.tar.gz (default: ${DEFAULT-VALUE}, downloaded there if it holds"
          + " none, see --no-download).";

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = DownloadOption.DEFAULT_DATA,
      description = DESCRIPTION)
  Path data;

  @Mixin DownloadOption download = new DownloadOption();

  @Option(
      names = "--records-per-file",
      hidden = true,
      defaultValue = "10000",
      description = "Records per batch file (10000 in the official release; smaller for demos).")
  int recordsPerFile;

  /** Reads and validates the data set, timing it on {@code err}. */
  Cifar10Data load(java.io.PrintWriter err) {
    Cifar10Reader reader =
        recordsPerFile == Cifar10Reader.OFFICIAL_RECORDS_PER_FILE
            ? Cifar10Reader.official()
            : Cifar10Reader.withRecordsPerFile(recordsPerFile);
    download.ensure(data, reader, err);
    long t0 = System.nanoTime();
    Cifar10Data d = reader.read(data);
    err.printf(
        "Loaded CIFAR-10 from %s: %d training and %d test images in %.1f s%n",
        data, d.numTrain(), d.numTest(), (System.nanoTime() - t0) / 1e9);
    err.flush();
    return d;
  }
}
