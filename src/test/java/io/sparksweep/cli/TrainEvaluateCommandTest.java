package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.SyntheticCifar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sparksweep train} then {@code evaluate}, end to end on a synthetic CIFAR folder. */
class TrainEvaluateCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  private static double value(String text, String key) {
    Matcher m = Pattern.compile("(?m)^" + key + ": ([0-9.]+)").matcher(text);
    assertTrue(m.find(), key + " missing in:\n" + text);
    return Double.parseDouble(m.group(1));
  }

  @Test
  void trainSavesAModelThatEvaluateReloadsExactly() throws Exception {
    Path data = SyntheticCifar.writeFolder(dir, 120, 5);
    Path model = dir.resolve("models/best.npz");
    Run train =
        run(
            "train",
            "--data",
            data.toString(),
            "--records-per-file",
            "120",
            "--hidden-dims",
            "30",
            "--normalization",
            "batchnorm",
            "--epochs",
            "2",
            "--batch-size",
            "40",
            "--num-train",
            "400",
            "--print-every",
            "5",
            "--save-model",
            model.toString());
    assertEquals(0, train.code(), train.err());
    assertTrue(train.out().contains("(Iteration 1 / 20) loss: "), train.out());
    assertTrue(train.out().contains("(Epoch 2 / 2) train acc: "), train.out());
    assertTrue(Files.size(model) > 0);
    Run eval =
        run(
            "evaluate",
            "--model",
            model.toString(),
            "--data",
            data.toString(),
            "--records-per-file",
            "120");
    assertEquals(0, eval.code(), eval.err());
    assertEquals(value(train.out(), "val_acc"), value(eval.out(), "val_acc"), 1e-9);
    assertEquals(value(train.out(), "test_acc"), value(eval.out(), "test_acc"), 1e-9);
  }

  @Test
  void missingDataSaysHowToGetIt() {
    Run r = run("train", "--data", dir.resolve("nowhere").toString(), "--epochs", "1");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("nowhere"), r.err());
    assertTrue(r.err().contains("sparksweep data download"), r.err());
  }

  @Test
  void badArgumentsFailBeforeTheDataIsRead() {
    Run r =
        run("train", "--data", dir.resolve("nowhere").toString(), "--normalization", "groupnorm");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("groupnorm") && r.err().contains("batchnorm"), r.err());
    r = run("train", "--data", dir.toString(), "--dropout-keep", "1.5");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("1.5"), r.err());
  }

  @Test
  void everyCommandHasHelp() {
    for (String[] cmd :
        new String[][] {
          {"--help"}, {"train", "--help"}, {"evaluate", "--help"}, {"data", "download", "--help"}
        }) {
      Run r = run(cmd);
      assertEquals(0, r.code(), String.join(" ", cmd));
      assertTrue(r.out().contains("Usage:"), r.out());
    }
  }
}
