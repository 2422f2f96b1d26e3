package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.spark.FakeTrials;
import io.sparksweep.spark.TestTrials;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code runs list|show|compare}, {@code best --export}, {@code report --compare} and {@code search
 * --dry-run} over two real searches (grid files parsed by {@link GridSpec}, Spark local mode,
 * {@link FakeTrials} instead of training): "alpha" varies learning rate (one value diverges) and
 * reg; "beta" varies batch_size × lr_decay only, so its four trials score alike and only those two
 * columns tell them apart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RunManagementTest {
  private Path tmp;
  private Path warehouse;
  private Path runs;
  private Path alphaGrid;
  private Path betaGrid;
  private QueryCommandTest.Run alphaSearch;
  private QueryCommandTest.Run betaSearch;

  @BeforeAll
  void twoSearches(@TempDir Path dir) throws Exception {
    tmp = dir;
    warehouse = tmp.resolve("warehouse");
    runs = warehouse.resolve("runs"); // where search keeps them without --runs-dir
    alphaGrid = tmp.resolve("alpha.yaml");
    Files.writeString(
        alphaGrid,
        String.join(
            "\n",
            "name: alpha",
            "seed: 77",
            "learning_rate: [1e-3, 1e-4, 10]",
            "reg: [0, 0.01]",
            "num_train: 100",
            "num_epochs: 2",
            ""));
    betaGrid = tmp.resolve("beta.yaml");
    Files.writeString(
        betaGrid,
        String.join(
            "\n",
            "name: beta",
            "batch_size: [50, 100]",
            "lr_decay: [1, 0.9]",
            "num_train: 100",
            "num_epochs: 2",
            ""));
    alphaSearch = search(alphaGrid, "run-alpha");
    assertEquals(0, alphaSearch.exitCode(), alphaSearch.err() + alphaSearch.out());
    betaSearch = search(betaGrid, "run-beta");
    assertEquals(0, betaSearch.exitCode(), betaSearch.err() + betaSearch.out());
  }

  private QueryCommandTest.Run search(Path grid, String runId) {
    Cifar10Data data = TestTrials.randomData(300, 20, 3);
    SearchCommand.Wiring wiring =
        new SearchCommand.Wiring(
            (file, force) -> GridSpec.parse(file).expand(force), d -> data, new FakeTrials(0));
    return QueryCommandTest.run(
        new CommandLine(new SearchCommand(wiring)),
        "--grid",
        grid.toString(),
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
        runId);
  }

  private QueryCommandTest.Run cli(String... args) {
    List<String> all = new ArrayList<>(Arrays.asList(args));
    all.addAll(
        List.of(
            "--warehouse",
            warehouse.toString(),
            "--runs-dir",
            runs.toString(),
            "--master",
            "local[2]"));
    return QueryCommandTest.run(Main.commandLine(), all.toArray(String[]::new));
  }

  @Test
  void withoutRunsDirTheWarehousesRunsFolderIsRead() {
    // The manifests (grid names) are where search keeps them by default: <warehouse>/runs.
    QueryCommandTest.Run r =
        QueryCommandTest.run(
            Main.commandLine(),
            "runs",
            "list",
            "--warehouse",
            warehouse.toString(),
            "--master",
            "local[2]");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().lines().anyMatch(l -> l.matches("run-alpha\\s+alpha\\s+.*")), r.out());
    QueryCommandTest.Run show =
        QueryCommandTest.run(
            Main.commandLine(),
            "runs",
            "show",
            "run-beta",
            "--warehouse",
            warehouse.toString(),
            "--master",
            "local[2]");
    assertEquals(0, show.exitCode(), show.err());
    assertTrue(show.out().contains("grid beta"), show.out());
  }

  @Test
  void runsListShowsEveryRunWithGridCountsAndBest() {
    QueryCommandTest.Run r = cli("runs", "list");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(
        lines.get(0).matches("run_id\\s+grid\\s+started\\s+trials\\s+ok\\s+diverged\\s+failed.*"),
        r.out());
    // Most recent first: beta ran after alpha.
    String beta = lines.get(2);
    String alpha = lines.get(3);
    assertTrue(beta.matches("run-beta\\s+beta\\s+\\S+Z\\s+4\\s+4\\s+0\\s+0\\s+0\\.9000"), beta);
    // alpha: 6 trials, the two with learning rate 10 diverge; best = lr 1e-3, reg 0: 0.9.
    assertTrue(alpha.matches("run-alpha\\s+alpha\\s+\\S+Z\\s+6\\s+4\\s+2\\s+0\\s+0\\.9000"), alpha);
    assertEquals("(2 runs)", lines.get(lines.size() - 1));
  }

  @Test
  void runsShowListsVariedFixedTopAndNextCommands() {
    QueryCommandTest.Run r = cli("runs", "show", "run-alpha");
    assertEquals(0, r.exitCode(), r.err());
    String out = r.out();
    assertTrue(out.contains("run      run-alpha   grid alpha"), out);
    assertTrue(out.contains("trials   6 trials: 4 OK, 2 DIVERGED, 0 FAILED"), out);
    assertTrue(out.contains("varied   learning_rate, reg\n"), out);
    assertTrue(out.contains("fixed    model=fc, hidden_dims=[100,100]"), out);
    assertTrue(out.contains("top 4 by validation accuracy:"), out);
    assertTrue(out.contains("jobs/sparksweep report --run run-alpha --out "), out);
    assertTrue(out.contains("jobs/sparksweep best run-alpha --export yaml"), out);
    // The best model is named by a full URI.
    assertTrue(out.contains("file:/"), out);
    QueryCommandTest.Run latest = cli("runs", "show", "latest");
    assertEquals(0, latest.exitCode(), latest.err());
    assertTrue(latest.out().startsWith("run      run-beta"), latest.out());
  }

  @Test
  void runsShowOfAnUnknownRunIsOneLine() {
    QueryCommandTest.Run r = cli("runs", "show", "nope");
    assertEquals(2, r.exitCode());
    assertTrue(r.err().startsWith("error: run 'nope' has no rows"), r.err());
    assertTrue(r.err().contains("run-alpha"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void runsCompareNamesTheBestTrialsDifferences() {
    QueryCommandTest.Run r = cli("runs", "compare", "run-alpha", "run-beta");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    // The best trials differ in batch_size (alpha: the default 100; beta's ties go to index 0: 50).
    assertTrue(lines.get(0).contains("best_key"), r.out());
    assertTrue(lines.get(0).endsWith("batch_size"), r.out());
    assertTrue(
        lines.get(2).matches("run-alpha\\s+alpha\\s+6\\s+4\\s+2\\s+0\\s+0\\.9000.*\\s100"),
        r.out());
    assertTrue(
        lines.get(3).matches("run-beta\\s+beta\\s+4\\s+4\\s+0\\s+0\\s+0\\.9000.*\\s50"), r.out());
    assertEquals(2, cli("runs", "compare", "run-alpha", "run-alpha").exitCode());
  }

  @Test
  void bestExportYamlIsAGridOfThatTrial() throws Exception {
    Path file = tmp.resolve("best.yaml");
    QueryCommandTest.Run r = cli("best", "run-alpha", "--export", "yaml", "--out", file.toString());
    assertEquals(0, r.exitCode(), r.err());
    String yaml = Files.readString(file);
    List<TrialSpec> again = GridSpec.parse(file).expand(false);
    assertEquals(1, again.size(), yaml);
    // The best of alpha: learning rate 1e-3, reg 0 (FakeTrials peaks there).
    TrialSpec best =
        GridSpec.parse(alphaGrid).expand(false).stream()
            .filter(t -> t.learningRate() == 1e-3 && t.reg() == 0)
            .findFirst()
            .orElseThrow();
    assertEquals(best.key(), again.get(0).key(), yaml);
    assertEquals(best.seed(), again.get(0).seed(), "the run's seed 77 is in the file:\n" + yaml);
    assertTrue(yaml.contains("seed: 77"), yaml);
  }

  @Test
  void bestExportTrainIsACommandWithTheSameHyperparametersAndSeed() {
    QueryCommandTest.Run r = cli("best", "run-alpha", "--export", "train", "--data", "DATA DIR");
    assertEquals(0, r.exitCode(), r.err());
    String line = r.out().strip();
    assertTrue(line.startsWith("jobs/sparksweep train "), line);
    assertTrue(line.endsWith("--data 'DATA DIR'"), line);
    String[] args =
        line.substring("jobs/sparksweep train ".length()).replace("'DATA DIR'", "DATA").split(" ");
    TrainCommand train = new TrainCommand();
    CommandLine.ParseResult p = new CommandLine(train).parseArgs(args);
    TrialSpec parsed = train.trial(); // the train command's own validation and defaults
    TrialSpec best =
        GridSpec.parse(alphaGrid).expand(false).stream()
            .filter(t -> t.learningRate() == 1e-3 && t.reg() == 0)
            .findFirst()
            .orElseThrow();
    assertEquals(best.canonicalString(), parsed.canonicalString());
    assertEquals(best.seed(), (long) p.matchedOptionValue("--seed", 0L));
    assertEquals(best.seed(), parsed.seed());
    assertEquals(best.key(), parsed.key());
  }

  @Test
  void searchTopTableShowsTheVariedAxesSoRowsDiffer() {
    // beta: batch_size × lr_decay, all four with the same accuracy.
    List<String> lines = betaSearch.out().lines().toList();
    int header = -1;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).startsWith("rank")) {
        header = i;
      }
    }
    assertTrue(header >= 0, betaSearch.out());
    assertTrue(
        lines
            .get(header)
            .matches(
                "rank\\s+trial_key\\s+batch_size\\s+lr_decay\\s+best_val_acc\\s+test_acc\\s+train_time\\s+model"),
        lines.get(header));
    List<String> rows = lines.subList(header + 2, header + 6);
    List<String> settings = new ArrayList<>();
    for (String row : rows) {
      String[] cells = row.trim().split("\\s+");
      settings.add(cells[2] + "/" + cells[3]);
    }
    assertEquals(4, settings.stream().distinct().count(), betaSearch.out());
    // No constant column (learning_rate, model, …) in the table.
    assertFalse(lines.get(header).contains("learning_rate"));
    // Next steps are copy-pasteable, with the launcher's real name.
    assertTrue(betaSearch.out().contains("jobs/sparksweep query \"SELECT"), betaSearch.out());
    assertTrue(
        betaSearch.out().contains("jobs/sparksweep report --run run-beta --out"), betaSearch.out());
  }

  @Test
  void reportCompareWritesAPageOfBothRuns() throws Exception {
    Path out = tmp.resolve("compare");
    QueryCommandTest.Run r =
        cli("report", "--compare", "run-alpha", "run-beta", "--out", out.toString());
    assertEquals(0, r.exitCode(), r.err());
    String html = Files.readString(out.resolve("index.html"));
    assertTrue(html.contains("Comparison of 2 runs"), html);
    assertTrue(html.contains("<td>alpha</td>") && html.contains("<td>beta</td>"), html);
    assertTrue(Files.size(out.resolve("compare_val_acc.png")) > 5000);
    Path single = tmp.resolve("single");
    QueryCommandTest.Run one = cli("report", "--run", "run-alpha", "--out", single.toString());
    assertEquals(0, one.exitCode(), one.err());
    String page = Files.readString(single.resolve("index.html"));
    assertTrue(page.contains("<h1 id=\"heading\">alpha</h1>"), "grid name in the header");
  }

  @Test
  void dryRunListsTheTrialsWithoutSpark() {
    List<TrialSpec> expected = GridSpec.parse(alphaGrid).expand(false);
    SearchCommand.Wiring wiring =
        new SearchCommand.Wiring(
            (file, force) -> GridSpec.parse(file).expand(force),
            d -> {
              throw new AssertionError("a dry run reads no data");
            },
            new FakeTrials(0),
            settings -> {
              throw new AssertionError("a dry run starts no Spark");
            });
    QueryCommandTest.Run r =
        QueryCommandTest.run(
            new CommandLine(new SearchCommand(wiring)),
            "--grid",
            alphaGrid.toString(),
            "--dry-run");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertTrue(
        lines.get(0).matches("index\\s+trial_key\\s+repeat\\s+seed\\s+learning_rate\\s+reg"),
        r.out());
    for (int i = 0; i < expected.size(); i++) {
      String[] cells = lines.get(2 + i).trim().split("\\s+");
      assertEquals(Integer.toString(i), cells[0]);
      assertEquals(expected.get(i).key(), cells[1]);
      assertEquals(Long.toString(expected.get(i).seed()), cells[3]);
    }
    assertTrue(r.out().contains(alphaGrid + ": 6 trials (dry run"), r.out());
    QueryCommandTest.Run bad =
        QueryCommandTest.run(
            new CommandLine(new SearchCommand(wiring)),
            "--grid",
            tmp.resolve("missing.yaml").toString(),
            "--dry-run");
    assertEquals(2, bad.exitCode());
    assertTrue(bad.err().startsWith("error: "), bad.err());
  }
}
