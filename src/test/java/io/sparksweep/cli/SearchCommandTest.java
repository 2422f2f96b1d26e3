package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.spark.FakeTrials;
import io.sparksweep.spark.TestTrials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sparksweep search} with the Spark job wired to {@link FakeTrials}. */
class SearchCommandTest {
  @TempDir Path tmp;

  @Test
  void helpListsTheOptions() {
    QueryCommandTest.Run r = QueryCommandTest.run(Main.commandLine(), "search", "--help");
    assertEquals(0, r.exitCode());
    for (String option :
        List.of(
            "--grid",
            "--data",
            "--master",
            "--warehouse",
            "--runs-dir",
            "--top-k",
            "--conf",
            "--resume")) {
      assertTrue(r.out().contains(option), option + " in\n" + r.out());
    }
  }

  @Test
  void badGridsAndMissingDataAreRefusedBeforeSparkStarts() {
    Path missing = tmp.resolve("nowhere.yaml");
    QueryCommandTest.Run r =
        QueryCommandTest.run(Main.commandLine(), "search", "--grid", missing.toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("nowhere.yaml"), r.err());
    r =
        QueryCommandTest.run(
            Main.commandLine(),
            "search",
            "--grid",
            ProjectFiles.path("conf/grids/default.yaml").toString(),
            "--data",
            tmp.resolve("no-data").toString());
    assertEquals(2, r.exitCode());
    assertTrue(r.err().contains("no-data"), r.err());
    assertTrue(r.err().contains("sparksweep data download"), r.err());
  }

  @Test
  void searchPrintsProgressAndTheTopTrialsAndWritesTablesAndModels() throws Exception {
    List<TrialSpec> specs = new ArrayList<>(TestTrials.okTrials(5));
    specs.add(TestTrials.exploding(5, 1e-3, 0.0));
    Cifar10Data data = TestTrials.randomData(600, 20, 3);
    List<Path> asked = new ArrayList<>();
    SearchCommand.Wiring wiring =
        new SearchCommand.Wiring(
            (grid, force) -> {
              asked.add(grid);
              return specs;
            },
            dir -> {
              asked.add(dir);
              return data;
            },
            new FakeTrials(0));
    Path warehouse = tmp.resolve("warehouse");
    Path runs = tmp.resolve("runs");
    QueryCommandTest.Run r =
        QueryCommandTest.run(
            new CommandLine(new SearchCommand(wiring)),
            "--grid",
            "grid.yaml",
            "--data",
            "cifar",
            "--master",
            "local[2]",
            "--warehouse",
            warehouse.toString(),
            "--runs-dir",
            runs.toString(),
            "--top-k",
            "2",
            "--run-id",
            "cli-run");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertEquals(List.of(Path.of("grid.yaml"), Path.of("cifar")), asked);

    String out = r.out();
    assertTrue(out.contains("run cli-run: 6 trials"), out);
    assertTrue(out.contains("[6/6]"), out);
    assertTrue(out.contains("FAILED"), out);
    assertTrue(out.contains("5 OK, 0 diverged, 1 failed"), out);
    assertTrue(out.contains("top 5 by validation accuracy:"), out);
    // okTrials(5) uses learning rates 1e-5, 10^-4.5, 1e-4, 10^-3.5, 1e-3: the last is best.
    List<String> lines = out.lines().toList();
    int header = lines.indexOf(lines.stream().filter(l -> l.startsWith("rank")).findFirst().get());
    assertTrue(lines.get(header + 2).trim().startsWith("1  " + specs.get(4).key()), out);
    assertTrue(lines.get(header + 3).trim().startsWith("2  " + specs.get(3).key()), out);
    assertTrue(lines.get(header + 2).endsWith(specs.get(4).key() + ".npz"), out);

    try (Stream<Path> models = Files.list(runs.resolve("cli-run").resolve("models"))) {
      assertEquals(2, models.count());
    }
    QueryCommandTest.Run q =
        QueryCommandTest.run(
            Main.commandLine(),
            "query",
            "SELECT count(*) FROM trials WHERE run_id = 'cli-run'",
            "--warehouse",
            warehouse.toString(),
            "--format",
            "csv");
    assertEquals(List.of("count(1)", "6"), q.out().lines().toList());
  }
}
