package io.sparksweep.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.spark.LocalSpark;
import io.sparksweep.spark.RunStore;
import io.sparksweep.spark.SearchJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills one search's driver with SIGKILL at {@value #KILLS} random moments, resuming it after each,
 * then lets it finish; the tables must end as if it had never been killed: every trial exactly once
 * in {@code trials}, each of its epochs exactly once in {@code epochs}, and a model file for every
 * top-k row.
 *
 * <p>How kills land inside commits and model writes: the drivers run with {@code
 * -Dsparksweep.chaos.pauseMillis} ({@code spark.ChaosPoints}), so each dangerous moment is
 * announced on standard error as {@code CHAOS <point>} and then held open for that long: {@code
 * model-write} (an executor about to write a model), {@code file-written} (a model or manifest
 * written to its temporary name, not yet renamed), {@code commit} (a trial's epochs written, its
 * {@code trials} row not yet). For each kill the test draws a kind of moment and how many such
 * announcements to let pass (seeded, printed), polls the child's standard error every few
 * milliseconds and kills it when the chosen announcement appears, i.e. within its pause. Some kills
 * instead land at a random time (startup, training, between points). The test counts which kinds of
 * moment its kills hit and requires every kind at least once.
 */
@Tag("slow")
class ChaosKillTest {
  private static final int KILLS = 20;
  private static final long SEED = Long.getLong("sparksweep.test.chaosSeed", 20261202L);
  private static final int TRIALS = 32;
  private static final int HOLD_FROM = 30;
  private static final long PAUSE_MILLIS = 400;

  /** How long after the run's start an {@code anytime} kill may come. */
  private static final long CAP_MILLIS = 2500;

  /**
   * How long a kill aimed at a named moment waits for it before it becomes an {@code anytime} kill:
   * long enough for the first trials to finish and commit on a loaded 2-core machine.
   */
  private static final long MOMENT_WAIT_MILLIS = 8000;

  private static final int EPOCHS = 2;
  private static final int TOP_K = 3;
  private static final List<String> KINDS =
      List.of("model-write", "file-written", "commit", "anytime");
  private static final String GRID =
      String.join(
          "\n",
          "name: chaos",
          "seed: 5",
          "hidden_dims: [8]",
          "learning_rate: [1e-3, 3e-3, 1e-2, 3e-2]",
          "weight_scale: [1e-2, 2e-2, 3e-2, 4e-2, 5e-2, 6e-2, 8e-2, 1e-1]",
          "num_train: 40",
          "batch_size: 20",
          "num_epochs: " + EPOCHS,
          "");

  @Test
  @Timeout(value = 20, unit = TimeUnit.MINUTES)
  void everyTrialEndsRecordedExactlyOnceWithItsModels(@TempDir Path tmp) throws Exception {
    Path data = SyntheticCifar.writeFolder(tmp, TestSearchMain.RECORDS_PER_FILE, 3);
    Path grid = Files.writeString(tmp.resolve("grid.yaml"), GRID);
    String warehouse = tmp.resolve("warehouse").toUri().toString();
    List<String> spark =
        List.of(
            "--warehouse",
            warehouse,
            "--master",
            "local[2]",
            "--heartbeat",
            "1",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            SearchJob.LEASE_TTL_CONF + "=1s",
            // One trial per batch: many commits for the kills to land in.
            "--conf",
            SearchJob.COMMIT_TRIALS_CONF + "=1");
    List<String> start =
        new ArrayList<>(
            List.of(
                "--grid",
                grid.toString(),
                "--data",
                data.toString(),
                "--run-id",
                "chaos",
                "--top-k",
                "" + TOP_K));
    start.addAll(spark);
    List<String> resume = new ArrayList<>(List.of("--resume", "chaos", "--data", data.toString()));
    resume.addAll(spark);

    Random random = new Random(SEED);
    Map<String, Integer> hits = new TreeMap<>();
    List<String> log = new ArrayList<>();
    boolean started = false;
    int kills = 0;
    int launches = 0;
    // The first kills aim at every kind of moment once (in a random order, while most trials are
    // still to run, so each moment comes); the rest are drawn at random.
    List<String> firstKinds = new ArrayList<>(KINDS);
    Collections.shuffle(firstKinds, random);
    while (kills < KILLS) {
      String kind =
          kills < firstKinds.size()
              ? firstKinds.get(kills)
              : KINDS.get(random.nextInt(KINDS.size()));
      int after = 1 + random.nextInt(2);
      long anytimeMillis = random.nextInt((int) CAP_MILLIS);
      ChildJvm driver =
          ChildJvm.start(
              tmp,
              "driver-" + launches++,
              TestSearchMain.class,
              List.of(
                  "sparksweep.chaos.pauseMillis=" + PAUSE_MILLIS,
                  "sparksweep.test.trialDelayMillis=300",
                  "sparksweep.test.holdFrom=" + HOLD_FROM),
              started ? resume : start);
      String hit = awaitMoment(driver, kind, after, anytimeMillis);
      if (hit == null) { // it exited first: refused while the old lease lives
        String err = driver.stderr();
        assertTrue(err.contains("is being run by another search"), driver.stdout() + err);
        Thread.sleep(300);
        continue;
      }
      driver.kill();
      started = true;
      kills++;
      String hitKind = hit.startsWith("CHAOS ") ? hit.substring(6).split(" ")[0] : "anytime";
      hits.merge(hitKind, 1, Integer::sum);
      log.add("kill " + kills + ": " + hit);
    }
    // Finish the run.
    for (int attempt = 0; ; attempt++) {
      ChildJvm last =
          ChildJvm.start(tmp, "driver-final-" + attempt, TestSearchMain.class, List.of(), resume);
      assertTrue(last.process.waitFor(5, TimeUnit.MINUTES), "the last resume did not finish");
      if (last.process.exitValue() == 2
          && last.stderr().contains("is being run by another search")
          && attempt < 30) {
        Thread.sleep(300);
        continue;
      }
      assertEquals(0, last.process.exitValue(), last.stdout() + last.stderr());
      break;
    }
    System.err.println(
        "chaos seed " + SEED + ", moments hit " + hits + "\n" + String.join("\n", log));
    assertEquals(KILLS, kills, "kills before the run finished: " + log);
    for (String k : List.of("model-write", "file-written", "commit")) {
      assertTrue(hits.getOrDefault(k, 0) > 0, "no kill during " + k + ": " + hits);
    }

    SparkSession session = LocalSpark.session(tmp.resolve("test-warehouse").toString());
    List<Row> trials =
        LocalSpark.table(session, warehouse, "trials").where("run_id = 'chaos'").collectAsList();
    assertEquals(TRIALS, trials.size(), "rows in trials");
    assertEquals(
        TRIALS,
        trials.stream().map(r -> r.getAs("trial_key") + "/" + r.getAs("repeat")).distinct().count(),
        "each trial once");
    List<Row> epochs =
        LocalSpark.table(session, warehouse, "epochs").where("run_id = 'chaos'").collectAsList();
    assertEquals(
        epochs.size(),
        epochs.stream()
            .map(r -> r.getAs("trial_key") + "/" + r.getAs("repeat") + "/" + r.getAs("epoch"))
            .distinct()
            .count(),
        "each epoch once");
    int expectedEpochs = 0;
    for (Row r : trials) {
      expectedEpochs += r.<Integer>getAs("epochs_run");
    }
    assertEquals(expectedEpochs, epochs.size(), "every trial's epochs, nothing else");
    List<String> modelPaths =
        trials.stream().map(r -> r.<String>getAs("model_path")).filter(p -> p != null).toList();
    long ok = trials.stream().filter(r -> "OK".equals(r.getAs("status"))).count();
    assertEquals(Math.min(TOP_K, ok), modelPaths.size(), "top-k rows");
    for (String p : modelPaths) {
      assertTrue(RunStore.isFile(p), "the model file of a top-k row: " + p);
    }
  }

  /**
   * Waits until the driver reaches the chosen moment and returns its announcement; for {@code
   * anytime} (within {@value #CAP_MILLIS} ms), or when the moment does not come within {@value
   * #MOMENT_WAIT_MILLIS} ms of the run's start (only hanging trials are left, or no trial beats the
   * top-k any more), a moment that long after the run started. Null if the driver exited first.
   */
  private static String awaitMoment(ChildJvm driver, String kind, int after, long anytimeMillis)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    long runStart = 0;
    while (System.nanoTime() < deadline) {
      if (!driver.process.isAlive()) {
        return null;
      }
      List<String> all = driver.stderr().lines().filter(l -> l.startsWith("CHAOS ")).toList();
      int started = -1;
      for (int i = 0; i < all.size() && started < 0; i++) {
        if (all.get(i).startsWith("CHAOS run-start")) {
          started = i;
        }
      }
      if (runStart == 0 && started >= 0) {
        runStart = System.nanoTime();
      }
      if (runStart != 0) {
        // Only the moments of this run (not the manifest's writes before it).
        List<String> lines = all.subList(started + 1, all.size());
        long since = (System.nanoTime() - runStart) / 1_000_000L;
        List<String> seen = lines.stream().filter(l -> l.startsWith("CHAOS " + kind)).toList();
        if (!kind.equals("anytime") && seen.size() >= after) {
          return seen.get(after - 1);
        }
        if (since >= (kind.equals("anytime") ? anytimeMillis : MOMENT_WAIT_MILLIS)) {
          return "anytime " + since + " ms after the run started";
        }
      }
      Thread.sleep(5);
    }
    throw new AssertionError("the driver never reached " + kind + ": " + driver.stderr());
  }
}
