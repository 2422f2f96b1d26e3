package io.sparksweep.cli;

import io.sparksweep.search.TrialResult;
import io.sparksweep.spark.RunReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep best RUN_ID [--export yaml|train]}: a run's best trial (by best validation
 * accuracy), as a summary, as a one-trial grid file that {@code search} expands to the same trial,
 * or as a {@code train} command line that repeats it.
 */
@Command(
    name = "best",
    mixinStandardHelpOptions = true,
    description = {
      "A run's best trial: its summary, or --export yaml (a grid file of that one trial: the same"
          + " trial key, and the same seed when the run's seed is known) or --export train (a"
          + " 'jobs/sparksweep train' command with its hyperparameters and seed).",
      "Example: sparksweep best latest --export yaml --out best.yaml",
      "         sparksweep best 20261202-031500-ab12 --export train"
    })
public final class BestCommand implements Callable<Integer> {
  /** What {@code --export} writes. */
  enum Export {
    yaml,
    train
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;
  @Mixin SparkOptions sparkOptions = new SparkOptions();
  @Mixin RunsDirOption runs = new RunsDirOption();

  @Parameters(index = "0", paramLabel = "RUN_ID", description = "A run id, or 'latest'.")
  String runId;

  @Option(
      names = "--export",
      paramLabel = "FORMAT",
      description = "yaml (a grid file) or train (a command line); default: a summary.")
  Export export;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write the export to FILE instead of standard output.")
  Path outFile;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description = "The --data to put into the train command (default: the run's own data).")
  String data;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (outFile != null && Files.isDirectory(outFile)) {
      throw new IllegalArgumentException("--out " + outFile + ": is a folder; allowed: a file");
    }
    if (outFile != null && export == null) {
      throw new IllegalArgumentException("--out needs --export yaml or --export train");
    }
    SparkSession spark = sparkOptions.session("sparksweep best");
    String id = RunsCommand.resolve(spark, runId, sparkOptions.warehouse);
    List<RunReader.StoredTrial> stored = RunReader.read(spark, sparkOptions.warehouse, id);
    List<TrialResult> ranking = RunsCommand.ranking(stored);
    if (ranking.isEmpty()) {
      throw new IllegalArgumentException(
          "run " + id + " has no OK trial, so no best one; see: jobs/sparksweep runs show " + id);
    }
    TrialResult best = ranking.get(0);
    String text;
    if (export == null) {
      java.util.function.Function<TrialResult, String> models = RunsCommand.modelPaths(stored);
      out.printf(
          "best trial of run %s: #%d %s, best val acc %s, test acc %s%n",
          id,
          best.spec().index(),
          best.spec().key(),
          TopTable.accuracy(best.bestValAcc()),
          TopTable.accuracy(best.testAcc()));
      out.print(
          TopTable.render(
              stored.stream().map(t -> t.result().spec()).toList(),
              List.of(best),
              r -> SearchOutput.modelUri(models.apply(r))));
      out.println("export: jobs/sparksweep best " + id + " --export yaml|train");
      out.flush();
      return 0;
    }
    if (export == Export.yaml) {
      Long seed = RunNames.runSeed(runs.resolve(sparkOptions.warehouse), id);
      if (seed != null && !BestExport.seedMatches(best.spec(), seed)) {
        seed = null;
      }
      text =
          BestExport.yaml(
              best.spec(),
              id,
              RunNames.gridName(runs.resolve(sparkOptions.warehouse), id),
              seed,
              best.bestValAcc());
    } else {
      String dataDir =
          data != null ? data : RunNames.dataPath(runs.resolve(sparkOptions.warehouse), id);
      text = BestExport.trainCommand(best.spec(), dataDir) + "\n";
    }
    if (outFile == null) {
      out.print(text);
    } else {
      Path parent = outFile.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(outFile, text, StandardCharsets.UTF_8);
      out.println("wrote " + outFile);
    }
    out.flush();
    return 0;
  }
}
