package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.GridException;
import io.sparksweep.search.GridProblem;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.TrialSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * {@code train} is validated by the grid validator: for the same bad value, the same problems
 * (message, value, allowed) as a grid file, named by the option; the same defaults; and every
 * argument, {@code --save-model} included, is checked before the data is read (each case passes a
 * {@code --data} that does not exist, so reaching the data would say so instead).
 */
class TrainValidationParityTest {
  @TempDir Path tmp;

  private record Run(int code, String out, String err) {}

  private static Run run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
  }

  private Run train(String... options) {
    List<String> args = new ArrayList<>(List.of("train", "--data", nowhere().toString()));
    args.addAll(List.of(options));
    return run(args);
  }

  private Path nowhere() {
    return tmp.resolve("no-data-here");
  }

  /** Bad train options and the grid file that sets the same axes to the same values. */
  static Stream<Arguments> badValues() {
    return Stream.of(
        Arguments.of(
            List.of("--model", "cnn", "--normalization", "batchnorm"),
            """
            model: cnn
            normalization: batchnorm
            """),
        Arguments.of(
            List.of("--model", "cnn", "--dropout-keep", "0.5"),
            """
            model: cnn
            dropout_keep_ratio: 0.5
            """),
        Arguments.of(
            List.of("--model", "cnn", "--hidden-dims", "100,100"),
            """
            model: cnn
            hidden_dims: [100, 100]
            """),
        Arguments.of(
            List.of("--batch-size", "500", "--num-train", "200"),
            """
            batch_size: 500
            num_train: 200
            """),
        Arguments.of(List.of("--num-train", "50"), "num_train: 50\n"),
        Arguments.of(List.of("--epochs", "0"), "num_epochs: 0\n"),
        Arguments.of(List.of("--epochs", "three"), "num_epochs: three\n"),
        Arguments.of(List.of("--learning-rate", "-1e-3"), "learning_rate: -1e-3\n"),
        Arguments.of(List.of("--learning-rate", "1e400"), "learning_rate: 1e400\n"),
        Arguments.of(List.of("--weight-scale", "0"), "weight_scale: 0\n"),
        Arguments.of(List.of("--dropout-keep", "1.5"), "dropout_keep_ratio: 1.5\n"),
        Arguments.of(List.of("--reg", "-0.1"), "reg: -0.1\n"),
        Arguments.of(List.of("--lr-decay", "0"), "lr_decay: 0\n"),
        Arguments.of(List.of("--num-train", "49001"), "num_train: 49001\n"),
        Arguments.of(List.of("--update-rule", "adamw"), "update_rule: adamw\n"),
        Arguments.of(List.of("--normalization", "groupnorm"), "normalization: groupnorm\n"),
        Arguments.of(List.of("--model", "rnn"), "model: rnn\n"),
        Arguments.of(List.of("--hidden-dims", "100,0"), "hidden_dims: [100, 0]\n"),
        Arguments.of(List.of("--hidden-dims", "100,x"), "hidden_dims: [100, x]\n"),
        Arguments.of(List.of("--num-filters", "8"), "num_filters: 8\n"),
        Arguments.of(
            List.of("--model", "cnn", "--filter-size", "4"),
            """
            model: cnn
            filter_size: 4
            """),
        Arguments.of(
            List.of("--model", "cnn", "--normalization", "layernorm", "--epochs", "0"),
            """
            model: cnn
            normalization: layernorm
            num_epochs: 0
            """));
  }

  @ParameterizedTest
  @MethodSource("badValues")
  void aBadValueGetsTheGridsProblemsNamedByTheOption(List<String> options, String grid) {
    GridException fromGrid =
        assertThrows(GridException.class, () -> GridSpec.parse(grid, "grid.yaml"), grid);
    Run r = train(options.toArray(String[]::new));
    assertEquals(2, r.code(), r.err());
    List<String> lines = r.err().lines().toList();
    List<GridProblem> problems = fromGrid.problems();
    if (problems.size() == 1) {
      assertEquals(1, lines.size(), r.err());
    } else {
      assertEquals(problems.size() + " problems with the options:", lines.get(0).substring(7));
      assertEquals(problems.size() + 1, lines.size(), r.err());
    }
    for (GridProblem p : problems) {
      String axis = p.field().replaceAll("\\[.*", "");
      String option = TrainCommand.OPTIONS.get(io.sparksweep.search.GridAxis.byId(axis).get());
      assertTrue(options.contains(option), option + " is among " + options);
      String expected =
          option
              + p.field().substring(axis.length())
              + ": "
              + p.message()
              + " (got "
              + p.value()
              + "; allowed: "
              + p.allowed()
              + ")";
      assertTrue(
          lines.stream().anyMatch(l -> l.endsWith(expected)),
          "the grid's problem\n  " + p + "\nas\n  " + expected + "\nin\n" + r.err());
    }
    assertFalse(r.err().contains("no-data-here"), "the data was not reached:\n" + r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void printEveryZeroIsRefusedInOneLine() {
    Run r = train("--print-every", "0");
    assertEquals(2, r.code(), r.err());
    assertEquals(
        List.of("error: --print-every: out of range (got 0; allowed: an integer >= 1)"),
        r.err().lines().toList());
  }

  @Test
  void trainsDefaultsAreAGridsDefaults() {
    assertSameTrial(List.of(), "{}");
    assertSameTrial(List.of("--model", "cnn"), "model: cnn\n");
    assertSameTrial(
        List.of("--model", "cnn", "--hidden-dims", "500", "--weight-scale", "1e-3"),
        "model: cnn\nhidden_dims: [500]\nweight_scale: 1e-3\n");
    assertSameTrial(
        List.of("--hidden-dims", "50,50", "--learning-rate", "0.001", "--batch-size", "25"),
        "hidden_dims: [50, 50]\nlearning_rate: 1e-3\nbatch_size: 25\n");
  }

  private static void assertSameTrial(List<String> options, String grid) {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs(options.toArray(String[]::new));
    TrialSpec fromTrain = train.trial();
    TrialSpec fromGrid = GridSpec.parse(grid, "grid.yaml").expand(false).get(0);
    assertEquals(fromGrid.canonicalString(), fromTrain.canonicalString(), options.toString());
    assertEquals(fromGrid.key(), fromTrain.key());
    assertEquals(0L, fromTrain.seed(), "--seed's default, not the grid's derived seed");
  }

  @Test
  void theConvnetsWeightScaleDefaultIsTheGridsAndTheHelpSaysSo() {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs("--model", "cnn");
    assertEquals(1e-2, train.trial().weightScale());
    assertEquals(1e-2, GridSpec.parse("model: cnn\n", "g.yaml").expand(false).get(0).weightScale());
    String help = Main.commandLine().getSubcommands().get("train").getUsageMessage();
    assertTrue(help.replaceAll("\\s+", " ").contains("default 1e-2 for fc and cnn"), help);
  }

  @Test
  void saveModelIntoAFolderIsRefusedBeforeTheData() throws Exception {
    Path folder = Files.createDirectories(tmp.resolve("models"));
    Run r = train("--save-model", folder.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("error: --save-model " + folder + ": is a folder"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void saveModelUnderAFileIsRefusedBeforeTheData() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain.txt"), "not a folder");
    Path model = file.resolve("best.npz");
    Run r = train("--save-model", model.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().startsWith("error: --save-model " + model + ": its folder cannot take the file"),
        r.err());
    assertTrue(r.err().contains(file.toString()), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(r.err().contains("no-data-here"), r.err());
  }

  @Test
  void aGoodSaveModelPathPassesTheCheckAndTheDataIsReachedNext() {
    Path model = tmp.resolve("new/folder/best.npz");
    Run r = train("--save-model", model.toString(), "--epochs", "1");
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("no-data-here: does not exist"), r.err());
    assertTrue(Files.isDirectory(model.getParent()), "the folder was created by the check");
    assertFalse(Files.exists(model), "nothing written before training");
  }
}
