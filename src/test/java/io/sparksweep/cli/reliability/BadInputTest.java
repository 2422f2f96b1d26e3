package io.sparksweep.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.cli.SearchCommand;
import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.search.GridSpec;
import io.sparksweep.spark.FakeTrials;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every bad input to {@code sparksweep search} is refused before Spark starts: exit status 2 and
 * one message ({@code error: …}) naming the file or option, the field, the bad value and what is
 * allowed. The command's session opener fails the test if it is ever reached; the real grid parser
 * and CIFAR reader do the checking (on small synthetic data: 20 records per batch file).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
  private static final int RECORDS_PER_FILE = 20;

  /** Thrown by the session opener: reaching it means every check passed. */
  static final class SparkWouldStart extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SparkWouldStart() {
      super("Spark would start here");
    }
  }

  /** What one run of the command printed and returned, and whether it reached Spark. */
  record Outcome(int exitCode, String out, String err, int sessionsOpened) {}

  /** One bad input: how to make it, the extra arguments, what the message must say. */
  record Case(String name, Setup setup, List<String> args, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** Prepares a case's files in its own folder; may return extra arguments. */
  @FunctionalInterface
  interface Setup {
    List<String> prepare(Path dir) throws IOException;
  }

  @TempDir Path tmp;
  private Path goodData;

  @BeforeAll
  void writeData(@TempDir Path shared) {
    goodData = SyntheticCifar.writeFolder(shared, RECORDS_PER_FILE, 3);
  }

  /** A grid that passes every check (num_train 50 of the 80 training images kept). */
  private static final String GOOD_GRID =
      String.join(
          "\n",
          "name: good",
          "seed: 1",
          "hidden_dims: [10]",
          "learning_rate: [1e-3, 1e-2]",
          "num_train: 50",
          "batch_size: 10",
          "num_epochs: 1",
          "");

  private static Setup grid(String yaml) {
    return dir -> {
      Files.writeString(dir.resolve("grid.yaml"), yaml);
      return List.of();
    };
  }

  private static Setup goodGridAnd(Setup more) {
    return dir -> {
      Files.writeString(dir.resolve("grid.yaml"), GOOD_GRID);
      return more.prepare(dir);
    };
  }

  /** A copy of the good data with one batch file changed. */
  private Setup damagedData(String file, Damage damage) {
    return goodGridAnd(
        dir -> {
          Path data = dir.resolve("data");
          Files.createDirectories(data);
          try (Stream<Path> files = Files.list(goodData)) {
            for (Path f : files.toList()) {
              Files.copy(f, data.resolve(f.getFileName()));
            }
          }
          if (damage == null) {
            Files.delete(data.resolve(file));
          } else {
            byte[] bytes = Files.readAllBytes(data.resolve(file));
            Files.write(data.resolve(file), damage.apply(bytes));
          }
          return List.of("--data", data.toString());
        });
  }

  @FunctionalInterface
  interface Damage {
    byte[] apply(byte[] bytes);
  }

  Stream<Case> badInputs() {
    List<Case> cases = new ArrayList<>();
    // ---- data
    cases.add(
        new Case(
            "missing data folder",
            goodGridAnd(dir -> List.of("--data", dir.resolve("nowhere").toString())),
            List.of(),
            List.of("nowhere: does not exist", "sparksweep data download")));
    cases.add(
        new Case(
            "data is a file but not a tarball",
            goodGridAnd(
                dir -> {
                  Files.writeString(dir.resolve("cifar.txt"), "not data");
                  return List.of("--data", dir.resolve("cifar.txt").toString());
                }),
            List.of(),
            List.of("cifar.txt: is a file, but not a .tar.gz archive")));
    cases.add(
        new Case(
            "tarball that is not gzip",
            goodGridAnd(
                dir -> {
                  Files.writeString(dir.resolve("cifar-10-binary.tar.gz"), "not gzip at all");
                  return List.of("--data", dir.resolve("cifar-10-binary.tar.gz").toString());
                }),
            List.of(),
            List.of("cifar-10-binary.tar.gz")));
    cases.add(
        new Case(
            "truncated tarball",
            goodGridAnd(
                dir -> {
                  Path whole =
                      SyntheticCifar.writeTarGz(dir.resolve("whole.tar.gz"), RECORDS_PER_FILE, 3);
                  byte[] bytes = Files.readAllBytes(whole);
                  Path cut = dir.resolve("cut.tar.gz");
                  Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
                  return List.of("--data", cut.toString());
                }),
            List.of(),
            List.of("cut.tar.gz", "damaged or incomplete")));
    long fileBytes = (long) RECORDS_PER_FILE * Cifar10Reader.RECORD_BYTES;
    cases.add(
        new Case(
            "truncated batch file",
            damagedData("data_batch_3.bin", b -> Arrays.copyOf(b, b.length - 1)),
            List.of(),
            List.of(
                "data_batch_3.bin: " + (fileBytes - 1) + " bytes",
                "expected " + fileBytes,
                "damaged or incomplete")));
    cases.add(
        new Case(
            "batch file of the wrong size",
            damagedData("test_batch.bin", b -> Arrays.copyOf(b, b.length + 3073)),
            List.of(),
            List.of("test_batch.bin: " + (fileBytes + 3073) + " bytes", "expected " + fileBytes)));
    cases.add(
        new Case(
            "label outside 0-9",
            damagedData(
                "data_batch_2.bin",
                b -> {
                  b[3 * Cifar10Reader.RECORD_BYTES] = 10; // the label byte of record 3
                  return b;
                }),
            List.of(),
            List.of("data_batch_2.bin", "record 3 has label 10, expected 0–9")));
    cases.add(
        new Case(
            "missing batch file",
            damagedData("data_batch_5.bin", null),
            List.of(),
            List.of("lacks data_batch_5.bin")));
    // ---- grid
    cases.add(
        new Case(
            "missing grid file",
            dir -> List.of("--grid", dir.resolve("nogrid.yaml").toString()),
            List.of(),
            List.of("nogrid.yaml", "no such file")));
    cases.add(
        new Case(
            "grid that is not valid YAML",
            grid("learning_rate: [1e-3, 1e-4\nnum_epochs: 2\n"),
            List.of(),
            List.of("grid.yaml:", "(yaml)")));
    cases.add(
        new Case(
            "unknown key",
            grid(GOOD_GRID + "learnig_rate: 1e-3\n"),
            List.of(),
            List.of("grid.yaml:8:1", "learnig_rate", "did you mean 'learning_rate'?")));
    cases.add(
        new Case(
            "wrong type",
            grid(GOOD_GRID.replace("num_epochs: 1", "num_epochs: ten")),
            List.of(),
            List.of("grid.yaml:7:13", "num_epochs", "got 'ten'", "allowed: an integer >= 1")));
    cases.add(
        new Case(
            "learning rate 0",
            grid(GOOD_GRID.replace("[1e-3, 1e-2]", "[1e-3, 0]")),
            List.of(),
            List.of("grid.yaml:4:23", "learning_rate[1]", "got 0", "allowed: a number > 0")));
    cases.add(
        new Case(
            "negative weight scale",
            grid(GOOD_GRID + "weight_scale: -1e-2\n"),
            List.of(),
            List.of("grid.yaml:8:", "weight_scale", "got -1e-2", "allowed:")));
    cases.add(
        new Case(
            "keep ratio above 1",
            grid(GOOD_GRID + "dropout_keep_ratio: 1.5\n"),
            List.of(),
            List.of("dropout_keep_ratio", "got 1.5", "allowed:")));
    cases.add(
        new Case(
            "keep ratio 0",
            grid(GOOD_GRID + "dropout_keep_ratio: 0\n"),
            List.of(),
            List.of("dropout_keep_ratio", "got 0", "allowed:")));
    cases.add(
        new Case(
            "batch size 0",
            grid(GOOD_GRID.replace("batch_size: 10", "batch_size: 0")),
            List.of(),
            List.of("batch_size", "got 0", "allowed:")));
    cases.add(
        new Case(
            "batch size above the training size",
            grid(GOOD_GRID.replace("batch_size: 10", "batch_size: 60")),
            List.of(),
            List.of("batch_size", "60", "num_train", "50")));
    cases.add(
        new Case(
            "zero epochs",
            grid(GOOD_GRID.replace("num_epochs: 1", "num_epochs: 0")),
            List.of(),
            List.of("num_epochs", "got 0", "allowed:")));
    cases.add(
        new Case(
            "unknown normalization",
            grid(GOOD_GRID + "normalization: groupnorm\n"),
            List.of(),
            List.of("normalization", "groupnorm", "allowed:")));
    cases.add(
        new Case(
            "unknown update rule",
            grid(GOOD_GRID + "update_rule: adamw\n"),
            List.of(),
            List.of("update_rule", "adamw", "allowed:")));
    cases.add(
        new Case(
            "unknown model",
            grid(GOOD_GRID + "model: rnn\n"),
            List.of(),
            List.of("model", "rnn", "allowed:")));
    cases.add(
        new Case(
            "empty axis",
            grid(GOOD_GRID.replace("[1e-3, 1e-2]", "[]")),
            List.of(),
            List.of("learning_rate", "allowed:")));
    cases.add(
        new Case(
            "grid larger than max_trials",
            grid(GOOD_GRID + "max_trials: 1\n"),
            List.of(),
            List.of("max_trials", "2 trials", "force")));
    cases.add(
        new Case(
            "num_train above the data's training images",
            grid(GOOD_GRID.replace("num_train: 50", "num_train: 5000")),
            List.of(),
            List.of("grid.yaml", "num_train 5000", "exceeds the 80 training images", "allowed")));
    // ---- folders and options
    cases.add(
        new Case(
            "warehouse that is a file",
            goodGridAnd(
                dir -> {
                  Files.writeString(dir.resolve("wh"), "a file");
                  return List.of("--warehouse", dir.resolve("wh").toString());
                }),
            List.of(),
            List.of("--warehouse", "wh: cannot be written", "is a file, not a folder", "allowed")));
    cases.add(
        new Case(
            "warehouse below a file",
            goodGridAnd(
                dir -> {
                  Files.writeString(dir.resolve("blocker"), "a file");
                  return List.of("--warehouse", dir.resolve("blocker/wh").toString());
                }),
            List.of(),
            List.of("--warehouse", "blocker is a file, not a folder")));
    cases.add(
        new Case(
            "runs folder that is a file",
            goodGridAnd(
                dir -> {
                  Files.writeString(dir.resolve("runs-file"), "a file");
                  return List.of("--runs-dir", dir.resolve("runs-file").toString());
                }),
            List.of(),
            List.of("--runs-dir", "is a file, not a folder")));
    cases.add(
        new Case(
            "negative top-k",
            goodGridAnd(dir -> List.of()),
            List.of("--top-k", "-1"),
            List.of("--top-k is -1", "allowed: 0 or more")));
    cases.add(
        new Case(
            "bad run id",
            goodGridAnd(dir -> List.of()),
            List.of("--run-id", "my run"),
            List.of("--run-id is 'my run'", "allowed:")));
    cases.add(
        new Case(
            "run id already used",
            goodGridAnd(
                dir -> {
                  Files.createDirectories(dir.resolve("runs/taken"));
                  Files.writeString(dir.resolve("runs/taken/run.json"), "{}");
                  return List.of("--run-id", "taken");
                }),
            List.of(),
            List.of("--run-id taken", "already used", "--resume taken")));
    cases.add(
        new Case(
            "resume of an unknown run",
            dir -> List.of(),
            List.of("--resume", "nosuch"),
            List.of("run.json: no such file", "no run 'nosuch'")));
    cases.add(
        new Case(
            "resume with a damaged manifest",
            dir -> {
              Files.createDirectories(dir.resolve("runs/broken"));
              Files.writeString(dir.resolve("runs/broken/run.json"), "{\"format\": 1, \"run_");
              return List.of("--resume", "broken");
            },
            List.of(),
            List.of("broken/run.json: not valid JSON", "cannot be resumed")));
    cases.add(
        new Case(
            "resume with a grid",
            goodGridAnd(dir -> List.of("--resume", "any")),
            List.of("--grid", "grid.yaml"),
            List.of("--grid cannot be combined with --resume")));
    return cases.stream();
  }

  private SearchCommand.Wiring wiring(AtomicInteger opened) {
    return new SearchCommand.Wiring(
        (file, force) -> GridSpec.parse(file).expand(force),
        dir -> Cifar10Reader.withRecordsPerFile(RECORDS_PER_FILE).read(dir),
        new FakeTrials(0),
        settings -> {
          opened.incrementAndGet();
          throw new SparkWouldStart();
        });
  }

  private Outcome search(Path dir, List<String> args) {
    AtomicInteger opened = new AtomicInteger();
    CommandLine cmd =
        new CommandLine(new SearchCommand(wiring(opened))).setOverwrittenOptionsAllowed(true);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>();
    if (!args.contains("--resume")) {
      all.addAll(List.of("--grid", dir.resolve("grid.yaml").toString()));
    }
    all.addAll(
        List.of(
            "--data",
            goodData.toString(),
            "--warehouse",
            dir.resolve("warehouse").toString(),
            "--runs-dir",
            dir.resolve("runs").toString()));
    all.addAll(args); // the last value of a repeated option wins
    int code = cmd.execute(all.toArray(String[]::new));
    return new Outcome(code, out.toString(), err.toString(), opened.get());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badInputs")
  void isRefusedWithOneMessageBeforeSparkStarts(Case c) throws IOException {
    Path dir = Files.createDirectories(tmp.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "-")));
    List<String> args = new ArrayList<>(c.setup().prepare(dir));
    args.addAll(c.args());
    Outcome o = search(dir, args);
    assertEquals(0, o.sessionsOpened(), "Spark must not start: " + o.err());
    assertEquals(2, o.exitCode(), o.err() + o.out());
    assertTrue(o.err().startsWith("error: "), o.err());
    for (String part : c.expected()) {
      assertTrue(o.err().contains(part), "'" + part + "' in: " + o.err());
    }
    assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    assertFalse(Files.exists(dir.resolve("warehouse")), "nothing is created in the warehouse");
  }

  @Test
  void theGoodInputsPassEveryCheckAndReachSpark() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("good"));
    Files.writeString(dir.resolve("grid.yaml"), GOOD_GRID);
    Outcome o = search(dir, List.of());
    assertEquals(1, o.sessionsOpened(), o.err());
    assertTrue(o.out().contains("2 trials"), o.out());
  }

  @Test
  void forceLiftsTheTrialLimit() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("forced"));
    Files.writeString(dir.resolve("grid.yaml"), GOOD_GRID + "max_trials: 1\n");
    Outcome o = search(dir, List.of("--force"));
    assertEquals(1, o.sessionsOpened(), o.err());
  }

  /**
   * A folder no file can be created in, for any user. An ordinary user gets a folder without write
   * permission; root, who ignores permissions, gets an immutable folder ({@code chattr +i},
   * ext2/3/4, xfs, btrfs) or, where the file system has no such attribute, a read-only bind mount.
   * Each way is checked to really refuse a file before the test relies on it.
   */
  @Test
  void unwritableFoldersAreRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("readonly"));
    Files.writeString(dir.resolve("grid.yaml"), GOOD_GRID);
    Path locked = Files.createDirectories(dir.resolve("locked"));
    try (UnwritableFolder how = UnwritableFolder.make(locked)) {
      Outcome o = search(dir, List.of("--warehouse", locked.resolve("wh").toString()));
      assertEquals(0, o.sessionsOpened(), how + ": " + o.err());
      assertEquals(2, o.exitCode(), how + ": " + o.err());
      assertTrue(o.err().contains("--warehouse " + locked.resolve("wh")), o.err());
      assertTrue(o.err().contains("cannot be created in " + locked), o.err());
      assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    }
  }

  @Test
  void aFileWhereTheWarehouseFolderShouldBeIsRefused() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("file-not-folder"));
    Files.writeString(dir.resolve("grid.yaml"), GOOD_GRID);
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    Outcome o = search(dir, List.of("--warehouse", file.resolve("wh").toString()));
    assertEquals(0, o.sessionsOpened(), o.err());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("--warehouse " + file.resolve("wh")), o.err());
    assertTrue(o.err().contains(file + " is a file, not a folder"), o.err());
  }
}
