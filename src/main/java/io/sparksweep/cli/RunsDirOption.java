package io.sparksweep.cli;

import io.sparksweep.spark.RunStore;
import java.net.URI;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --runs-dir} option of the commands that read runs (for grid names and seeds). */
final class RunsDirOption {
  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      description =
          "Runs folder of 'search' (run.json: grid name and seed); default: the warehouse's"
              + " runs/, where 'search' keeps them.")
  Path runsDir;

  /**
   * The runs folder to read manifests from: {@code --runs-dir}, else {@code <warehouse>/runs} as
   * {@code search} writes it (read here when the warehouse is on the local file system).
   *
   * @param warehouse the command's {@code --warehouse}
   */
  Path resolve(String warehouse) {
    if (runsDir != null) {
      return runsDir;
    }
    URI uri = URI.create(RunStore.defaultLocation(warehouse));
    return "file".equals(uri.getScheme()) ? Path.of(uri) : Path.of(RunStore.DEFAULT_RUNS);
  }
}
