package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.train.SolverListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real search in Spark local mode: a grid file parsed by {@link GridSpec}, synthetic CIFAR-format
 * files read by {@link Cifar10Reader}, every trial trained by {@link TrialRunner} — one divergent
 * point among them — then the tables read back by {@code query} and a saved model by {@code
 * evaluate}.
 */
class SearchEndToEndTest {
  @TempDir Path tmp;

  @Test
  void gridToTablesToModels() throws Exception {
    Path data = SyntheticCifar.writeFolder(tmp, 100, 9);
    Path grid = tmp.resolve("grid.yaml");
    Files.writeString(
        grid,
        String.join(
            "\n",
            "name: e2e",
            "seed: 5",
            "model: fc",
            "hidden_dims: [[30, 30, 30, 30, 30, 30, 30]]",
            "learning_rate: 1e-3",
            "weight_scale: [1e-2, 1e4]",
            "normalization: [none, batchnorm]",
            "num_train: 300",
            "num_epochs: 2",
            "batch_size: 50",
            ""));
    SearchCommand.Wiring wiring =
        new SearchCommand.Wiring(
            (file, force) -> GridSpec.parse(file).expand(force),
            dir -> Cifar10Reader.withRecordsPerFile(100).read(dir),
            (spec, cifar) -> TrialRunner.run(spec, cifar, "task", SolverListener.silent()));
    Path warehouse = tmp.resolve("warehouse");
    Path runs = tmp.resolve("runs");
    QueryCommandTest.Run r =
        QueryCommandTest.run(
            new CommandLine(new SearchCommand(wiring)),
            "--grid",
            grid.toString(),
            "--data",
            data.toString(),
            "--master",
            "local[2]",
            "--warehouse",
            warehouse.toString(),
            "--runs-dir",
            runs.toString(),
            "--top-k",
            "2",
            "--run-id",
            "e2e");
    assertEquals(0, r.exitCode(), r.err() + r.out());
    assertTrue(r.out().contains("3 OK, 1 diverged, 0 failed"), r.out());

    QueryCommandTest.Run q =
        QueryCommandTest.run(
            Main.commandLine(),
            "query",
            "SELECT normalization, weight_scale, status, epochs_run, diverged_epoch FROM trials"
                + " WHERE run_id = 'e2e' ORDER BY trial_index",
            "--warehouse",
            warehouse.toString(),
            "--format",
            "csv");
    assertEquals(0, q.exitCode(), q.err());
    List<String> rows = q.out().lines().toList();
    assertEquals(5, rows.size(), q.out());
    assertTrue(rows.contains("none,10000.0,DIVERGED,0,1"), "diverged in epoch 1: " + q.out());
    assertEquals(3, rows.stream().filter(l -> l.endsWith(",OK,2,0")).count(), q.out());

    QueryCommandTest.Run epochs =
        QueryCommandTest.run(
            Main.commandLine(),
            "query",
            "SELECT count(*) FROM epochs WHERE run_id = 'e2e'",
            "--warehouse",
            warehouse.toString(),
            "--format",
            "csv");
    assertEquals(List.of("count(1)", "6"), epochs.out().lines().toList());

    Path model;
    try (Stream<Path> models = Files.list(runs.resolve("e2e").resolve("models"))) {
      List<Path> files = models.sorted().toList();
      assertEquals(2, files.size());
      model = files.get(0);
    }
    QueryCommandTest.Run eval =
        QueryCommandTest.run(
            Main.commandLine(),
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--records-per-file",
            "100");
    assertEquals(0, eval.exitCode(), eval.err());
    assertTrue(eval.out().contains("val_acc: "), eval.out());

    // The report is built from the tables alone (this JVM keeps no state of the search).
    Path report = tmp.resolve("report");
    QueryCommandTest.Run rep =
        QueryCommandTest.run(
            Main.commandLine(),
            "report",
            "--run",
            "latest",
            "--warehouse",
            warehouse.toString(),
            "--out",
            report.toString());
    assertEquals(0, rep.exitCode(), rep.err());
    String html = Files.readString(report.resolve("index.html"));
    assertEquals(
        4, html.split("<tr class=\"row-", -1).length - 1, "one trials-table row per trial");
    assertTrue(html.contains("DIVERGED"), "the divergent trial is listed");
    assertTrue(Files.size(report.resolve("learning_curves.png")) > 0);
    assertTrue(Files.size(report.resolve("weight_scale.png")) > 0);
    QueryCommandTest.Run missing =
        QueryCommandTest.run(
            Main.commandLine(), "report", "--run", "nope", "--warehouse", warehouse.toString());
    assertEquals(2, missing.exitCode());
    assertTrue(missing.err().contains("'nope'") && missing.err().contains("e2e"), missing.err());
  }
}
