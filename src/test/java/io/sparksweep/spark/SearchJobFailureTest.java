package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When Spark itself fails the job (here: the job group is cancelled after the first trial), the
 * finished trials are kept, the others become FAILED rows, and the outcome carries the job's error.
 */
class SearchJobFailureTest {
  @Test
  void aFailedJobStillRecordsEveryTrial(@TempDir Path tmp) {
    SparkSession spark = LocalSpark.session(tmp.resolve("warehouse").toString());
    AtomicBoolean cancelled = new AtomicBoolean();
    SearchListener cancelAfterFirst =
        new SearchListener() {
          @Override
          public void onTrialFinished(TrialResult result, SearchProgress progress) {
            if (cancelled.compareAndSet(false, true)) {
              spark.sparkContext().cancelJobGroup("cancelled-run");
            }
          }
        };
    SearchOutcome outcome =
        new SearchJob(
                spark,
                new FakeTrials(400),
                SearchOptions.defaults()
                    .withWarehouse(tmp.resolve("warehouse").toString())
                    .withRunsDir(tmp.resolve("runs"))
                    .withRunId("cancelled-run")
                    .withHeartbeat(Duration.ofMillis(50))
                    .withListener(cancelAfterFirst))
            .run(TestTrials.okTrials(8), TestTrials.randomData(50, 10, 1));

    assertNotNull(outcome.jobError());
    assertTrue(
        outcome.jobError().toLowerCase(java.util.Locale.ROOT).contains("cancel"),
        outcome.jobError());
    assertEquals(8, outcome.results().size());
    long ok = outcome.count(TrialStatus.OK);
    assertTrue(ok >= 1 && ok < 8, "some trials finished, not all: " + ok);
    List<TrialResult> notRun =
        outcome.results().stream().filter(r -> r.status() == TrialStatus.FAILED).toList();
    assertEquals(8 - ok, notRun.size());
    for (TrialResult r : notRun) {
      assertTrue(r.error().startsWith("not run: "), r.error());
    }
    assertEquals(
        8L,
        spark.sql("SELECT count(*) FROM trials WHERE run_id = 'cancelled-run'").first().getLong(0));
    assertEquals(
        8 - ok,
        spark
            .sql("SELECT count(*) FROM trials WHERE run_id = 'cancelled-run' AND status = 'FAILED'")
            .first()
            .getLong(0));
  }
}
