package io.sparksweep.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --runs-dir} option of the commands that read runs (for grid names and seeds). */
final class RunsDirOption {
  @Option(
      names = "--runs-dir",
      paramLabel = "DIR",
      defaultValue = "runs",
      description =
          "Runs folder of 'search' (run.json: grid name and seed); default: ${DEFAULT-VALUE}.")
  Path runsDir = Path.of("runs");
}
