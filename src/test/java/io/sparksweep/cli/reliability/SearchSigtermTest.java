package io.sparksweep.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.cli.SearchCommand;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.spark.LocalSpark;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * SIGTERM (what {@link Process#destroy()} sends; Ctrl-C's SIGINT takes the same path) of a real
 * search in a child JVM ({@link TestSearchMain}: the production grid parser and training on
 * synthetic data) once it has recorded a trial: the trials recorded stay in the tables, the search
 * prints the exact {@code --resume} command with the user's other options, and that command,
 * pasted, finishes the run.
 */
@Tag("slow")
class SearchSigtermTest {
  private static final int TRIALS = 4;
  private static final Pattern RECORDED =
      Pattern.compile("(?m)^\\[\\s*\\d+/" + TRIALS + "] (OK|DIVERGED|FAILED)\\s+([0-9a-f]{16}) ");

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void sigtermKeepsTheRecordedTrialsAndPrintsTheResumeCommandThatFinishesTheRun(@TempDir Path tmp)
      throws Exception {
    Path warehouse = tmp.resolve("warehouse");
    Path runs = tmp.resolve("runs");
    Path data = SyntheticCifar.writeFolder(tmp, TestSearchMain.RECORDS_PER_FILE, 5);
    Path grid =
        Files.writeString(
            tmp.resolve("grid.yaml"),
            String.join(
                "\n",
                "name: sigterm-test",
                "hidden_dims: [20]",
                "learning_rate: [1e-3, 3e-3, 1e-2, 3e-2]",
                "num_train: 100",
                "batch_size: 25",
                "num_epochs: 1",
                ""));
    List<String> args =
        List.of(
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
            "--run-id",
            "termed",
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sparksweep.lease.ttl=3s");
    // Trials 0 and 1 train; 2 and 3 hang, so the search is mid-run when the signal comes.
    ChildJvm child =
        ChildJvm.start(
            tmp,
            "termed",
            TestSearchMain.class,
            List.of("sparksweep.test.trialDelayMillis=200", "sparksweep.test.holdFrom=2"),
            args);
    List<String> printedBeforeSignal;
    try {
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
      while (recordedKeys(child.stdout()).isEmpty()) {
        assertTrue(child.process.isAlive(), "the search ended first:\n" + child.stderr());
        assertTrue(System.nanoTime() < deadline, "no trial recorded:\n" + child.stderr());
        Thread.sleep(50);
      }
      printedBeforeSignal = recordedKeys(child.stdout());
      child.process.destroy(); // SIGTERM
      assertTrue(child.process.waitFor(2, TimeUnit.MINUTES), "the search did not stop");
    } finally {
      if (child.process.isAlive()) {
        child.kill();
      }
    }
    assertEquals(128 + 15, child.process.exitValue(), "ended by SIGTERM:\n" + child.stderr());

    String err = child.stderr();
    Matcher hint =
        Pattern.compile(
                "(?m)^interrupted: (\\d+) of "
                    + TRIALS
                    + " trials of run termed are recorded and stay in the tables; finish the run"
                    + " with:\\n  (jobs/sparksweep search --resume termed .*)$")
            .matcher(err);
    assertTrue(hint.find(), "the resume hint in:\n" + err);
    assertFalse(err.contains("\tat "), "no stack trace:\n" + err);
    List<String> resumeWords = shellWords(hint.group(2));
    assertEquals(
        List.of(
            "jobs/sparksweep",
            "search",
            "--resume",
            "termed",
            "--data",
            data.toString(),
            "--master",
            "local[2]",
            "--warehouse",
            warehouse.toString(),
            "--runs-dir",
            runs.toString(),
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.sparksweep.lease.ttl=3s"),
        sorted(resumeWords, args),
        "every option but --grid and --run-id, quoted for a shell: " + hint.group(2));

    SparkSession spark = LocalSpark.session(tmp.resolve("test-warehouse").toString());
    Map<String, Row> kept = LocalSpark.trialRows(spark, warehouse, "termed");
    assertEquals(Integer.parseInt(hint.group(1)), kept.size(), "the count the hint gives");
    for (String key : printedBeforeSignal) {
      assertTrue(kept.containsKey(key + "/0"), key + " was reported recorded: " + kept.keySet());
    }
    assertTrue(kept.size() < TRIALS, "trials 2 and 3 never finished: " + kept.keySet());

    // Paste the printed command (the run's lease lapses 3 s after the driver's last renewal).
    Thread.sleep(4_000);
    StringWriter out = new StringWriter();
    CommandLine resume =
        new CommandLine(new SearchCommand(TestSearchMain.wiring(0, Integer.MAX_VALUE)));
    resume.setOut(new PrintWriter(out, true));
    resume.setErr(new PrintWriter(out, true));
    int exit = resume.execute(resumeWords.subList(2, resumeWords.size()).toArray(String[]::new));
    assertEquals(0, exit, out.toString());
    assertTrue(
        out.toString()
            .contains(
                "resuming; "
                    + kept.size()
                    + " of "
                    + TRIALS
                    + " trials already have results, running the other "
                    + (TRIALS - kept.size())),
        out.toString());
    assertTrue(out.toString().contains("run termed finished"), out.toString());
    Map<String, Row> after = LocalSpark.trialRows(spark, warehouse, "termed");
    assertEquals(TRIALS, after.size());
    for (Map.Entry<String, Row> e : kept.entrySet()) {
      assertEquals(
          e.getValue().<Object>getAs("started_at"),
          after.get(e.getKey()).getAs("started_at"),
          e.getKey() + " was kept, not run again");
    }
  }

  /** The trial keys the search reported as recorded, in order. */
  private static List<String> recordedKeys(String stdout) {
    List<String> keys = new ArrayList<>();
    Matcher m = RECORDED.matcher(stdout);
    while (m.find()) {
      keys.add(m.group(2));
    }
    return keys;
  }

  /**
   * The resume command's words with its options in the order of {@code original} (picocli lists
   * matched options in its own order); the first four words stay first.
   */
  private static List<String> sorted(List<String> words, List<String> original) {
    List<String> out = new ArrayList<>(words.subList(0, 4));
    List<List<String>> pairs = new ArrayList<>();
    for (int i = 4; i + 1 < words.size(); i += 2) {
      pairs.add(List.of(words.get(i), words.get(i + 1)));
    }
    if ((words.size() - 4) % 2 != 0) {
      return words; // not option-value pairs: let the comparison fail and show them
    }
    List<List<String>> originalPairs = new ArrayList<>();
    for (int i = 0; i + 1 < original.size(); i += 2) {
      originalPairs.add(List.of(original.get(i), original.get(i + 1)));
    }
    pairs.sort(
        java.util.Comparator.comparingInt(
            p -> originalPairs.indexOf(p) < 0 ? Integer.MAX_VALUE : originalPairs.indexOf(p)));
    pairs.forEach(out::addAll);
    return out;
  }

  /** Splits a POSIX shell line into words: blanks separate, '…' quotes literally. */
  static List<String> shellWords(String line) {
    List<String> words = new ArrayList<>();
    StringBuilder word = null;
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '\'') {
          quoted = false;
        } else {
          word.append(c);
        }
      } else if (c == '\'') {
        quoted = true;
        word = word == null ? new StringBuilder() : word;
      } else if (c == '\\' && i + 1 < line.length()) {
        word = word == null ? new StringBuilder() : word;
        word.append(line.charAt(++i));
      } else if (c == ' ') {
        if (word != null) {
          words.add(word.toString());
          word = null;
        }
      } else {
        word = word == null ? new StringBuilder() : word;
        word.append(c);
      }
    }
    if (word != null) {
      words.add(word.toString());
    }
    return words;
  }
}
