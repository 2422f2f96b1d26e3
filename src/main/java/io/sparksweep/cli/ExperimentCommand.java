package io.sparksweep.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep experiment NAME}: one of the notebooks' experiments as one command — the search
 * of {@code conf/grids/NAME.yaml}, then the report of that run (charts + index.html).
 */
@Command(
    name = "experiment",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one of the notebooks' experiments: 'search' over conf/grids/NAME.yaml, then 'report'"
          + " of that run into --out (default docs/experiments/NAME).",
      "Experiments: weight-scale, batch-size-batchnorm, batch-size-layernorm, dropout,"
          + " baseline-vs-improved, convnet (or any grid file name in --grids-dir)."
    })
public final class ExperimentCommand implements Callable<Integer> {
  /** Experiment names whose grid file has another name. */
  static final Map<String, String> ALIASES = Map.of("weight-scale", "weight-scale-sweep");

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "NAME", description = "The experiment (see above).")
  String name;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = DownloadOption.DEFAULT_DATA,
      description =
          "CIFAR-10, as in 'search --data' (default: ${DEFAULT-VALUE}, downloaded there if it"
              + " holds none).")
  String data;

  @Option(
      names = "--no-download",
      description = "As in 'search --no-download': never fetch CIFAR-10.")
  boolean noDownload;

  @Option(
      names = "--grids-dir",
      paramLabel = "DIR",
      defaultValue = "conf/grids",
      description = "Folder of the grid files (default: ${DEFAULT-VALUE}).")
  Path gridsDir;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description = "Report folder (default: docs/experiments/NAME).")
  Path out;

  @Option(
      names = "--master",
      paramLabel = "URL",
      description = "Spark master, as in 'search --master' (default: local[*]).")
  String master;

  @Option(
      names = "--warehouse",
      paramLabel = "DIR|URI",
      defaultValue = "warehouse",
      description = "Results tables (default: ${DEFAULT-VALUE}).")
  String warehouse;

  @Option(
      names = "--runs-dir",
      paramLabel = "DIR|URI",
      description = "Runs folder (default: <warehouse>/runs).")
  String runsDir;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    Path grid = gridsDir.resolve(ALIASES.getOrDefault(name, name) + ".yaml");
    if (!Files.isRegularFile(grid)) {
      throw new IllegalArgumentException(
          "no experiment '" + name + "': " + grid + " does not exist; known: " + known());
    }
    String runId =
        name + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    List<String> common = new ArrayList<>(List.of("--warehouse", warehouse));
    if (master != null) {
      common.addAll(List.of("--master", master));
    }
    List<String> search =
        new ArrayList<>(
            List.of("search", "--grid", grid.toString(), "--data", data, "--run-id", runId));
    if (runsDir != null) {
      search.addAll(List.of("--runs-dir", runsDir));
    }
    if (noDownload) {
      search.add("--no-download");
    }
    search.addAll(common);
    int code = run(search);
    if (code != 0) {
      err.println("error: the search of experiment " + name + " failed; no report written");
      return code;
    }
    Path dir = out != null ? out : Path.of("docs", "experiments", name);
    List<String> report =
        new ArrayList<>(
            List.of("report", "--run", runId, "--out", dir.toString(), "--title", name));
    report.addAll(common);
    return run(report);
  }

  private int run(List<String> args) {
    CommandLine cl = Main.commandLine();
    cl.setOut(spec.commandLine().getOut());
    cl.setErr(spec.commandLine().getErr());
    return cl.execute(args.toArray(String[]::new));
  }

  private String known() throws IOException {
    if (!Files.isDirectory(gridsDir)) {
      return "(no folder " + gridsDir + ")";
    }
    try (Stream<Path> files = Files.list(gridsDir)) {
      return String.join(
          ", ",
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.endsWith(".yaml"))
              .map(n -> n.substring(0, n.length() - 5))
              .sorted()
              .toList());
    }
  }
}
