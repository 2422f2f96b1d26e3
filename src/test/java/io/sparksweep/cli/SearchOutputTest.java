package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.spark.HumanDuration;
import io.sparksweep.spark.JobDescriptions;
import io.sparksweep.spark.SearchProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The search's console output without Spark: the top-k columns and the progress counters. */
class SearchOutputTest {
  private static final String GRID =
      String.join(
          "\n",
          "name: bs-decay",
          "batch_size: [50, 100]",
          "lr_decay: [1, 0.9]",
          "num_train: 500",
          "num_epochs: 2",
          "");

  private static TrialResult result(TrialSpec spec, TrialStatus status, double acc) {
    return new TrialResult(
        spec,
        status,
        status == TrialStatus.OK ? null : "boom",
        0,
        acc,
        acc,
        acc,
        acc,
        2,
        8.058374699,
        "exec-1",
        1L,
        2L,
        List.of(new EpochRecord(1, 2.0, acc, acc)),
        null);
  }

  @Test
  void topTableShowsEveryVariedAxisAndNoConstantOne() {
    List<TrialSpec> trials = GridSpec.parse(GRID, "bs-decay.yaml").expand(false);
    assertEquals(4, trials.size());
    assertEquals(List.of("batch_size", "lr_decay"), TopTable.variedColumns(trials));
    List<TrialResult> top = new ArrayList<>();
    for (TrialSpec t : trials) {
      top.add(result(t, TrialStatus.OK, 0.3)); // all alike: only the axes tell them apart
    }
    String table = TopTable.render(trials, top, r -> "file:///m/" + r.spec().key() + ".npz");
    List<String> lines = table.lines().toList();
    assertTrue(
        lines
            .get(0)
            .matches(
                "rank\\s+trial_key\\s+batch_size\\s+lr_decay\\s+best_val_acc\\s+test_acc"
                    + "\\s+train_time\\s+model"),
        table);
    List<String> settings = new ArrayList<>();
    for (String row : lines.subList(2, 6)) {
      String[] cells = row.trim().split("\\s+");
      settings.add(cells[2] + "/" + cells[3]);
      assertEquals("8.1", cells[6], "human duration, not PT8.058374699S: " + row);
      assertEquals("s", cells[7]);
      assertTrue(cells[8].startsWith("file:///m/"), row);
    }
    assertEquals(List.of("50/1", "50/0.9", "100/1", "100/0.9"), settings);
  }

  @Test
  void progressCountsStatusesApartAndCapsRunningAtTheSlots() {
    List<TrialSpec> trials = GridSpec.parse(GRID, "bs-decay.yaml").expand(false);
    SearchOutput.Counts counts =
        new SearchOutput.Counts(2, () -> List.of(trials.get(3).key() + "/r0 1/2"));
    counts.add(result(trials.get(0), TrialStatus.OK, 0.4));
    counts.add(result(trials.get(1), TrialStatus.DIVERGED, Double.NaN));
    counts.add(result(trials.get(2), TrialStatus.FAILED, Double.NaN));
    // Spark's tracker may briefly count 3 active tasks on 2 slots; 1 trial is left anyway.
    SearchProgress p =
        new SearchProgress(3, 4, 3, 2, 0.4, Duration.ofMillis(72_400), Duration.ofSeconds(24));
    String line = counts.line(p);
    assertEquals(
        "running 1, ok 1, diverged 1, failed 1, best val 0.4000, elapsed 1 min 12 s, eta 24.0 s"
            + " | epochs "
            + trials.get(3).key()
            + "/r0 1/2",
        line);
    SearchProgress early = new SearchProgress(0, 4, 3, 0, Double.NaN, Duration.ZERO, null);
    assertEquals(2, counts.running(early), "never more than the slots");
  }

  @Test
  void humanDurationsAndPlurals() {
    assertEquals("8.1 s", HumanDuration.of(Duration.ofNanos(8_058_374_699L)));
    assertEquals("1 min 05 s", HumanDuration.of(Duration.ofSeconds(65)));
    assertEquals("2 h 05 min", HumanDuration.of(Duration.ofMinutes(125)));
    assertEquals("1 trial", SearchOutput.trials(1));
    assertEquals("8 trials", SearchOutput.trials(8));
  }

  @Test
  void jobDescriptionsNameTheTrials() {
    List<TrialSpec> trials = GridSpec.parse(GRID, "bs-decay.yaml").expand(false);
    String d = JobDescriptions.of("run-1", trials);
    assertTrue(d.startsWith("sparksweep run run-1: 4 trials: " + trials.get(0).key() + "/r0, "), d);
    for (TrialSpec t : trials) {
      assertTrue(d.contains(t.key() + "/r0"), d);
    }
  }

  @Test
  void modelLocationsAreFullUris() {
    assertEquals("hdfs://nn:8020/w/m.npz", SearchOutput.modelUri("hdfs://nn:8020/w/m.npz"));
    assertTrue(SearchOutput.modelUri("runs/r/models/k.npz").startsWith("file:///"));
    assertTrue(SearchOutput.modelUri("runs/r/models/k.npz").endsWith("/runs/r/models/k.npz"));
    assertEquals("", SearchOutput.modelUri(null));
  }
}
