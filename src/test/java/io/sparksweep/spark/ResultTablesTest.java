package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.model.ModelKind;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.Test;

/** The Java-to-SQL mapping, without Spark running. */
class ResultTablesTest {
  private static final TrialSpec SPEC = TestTrials.spec(4, ModelKind.FC, 2.5e-3, 1e-4);

  private static TrialResult result(TrialStatus status, double bestValAcc, long started) {
    return new TrialResult(
        SPEC,
        status,
        status == TrialStatus.OK ? null : "bad \"config\",\nsecond line",
        0,
        bestValAcc,
        0.51,
        0.49,
        0.6,
        2,
        12.5,
        "3@10.0.0.7",
        started,
        started == 0 ? 0 : started + 12_500,
        List.of(new EpochRecord(1, 1.9, 0.3, 0.31), new EpochRecord(2, Double.NaN, 0.4, 0.41)),
        null);
  }

  @Test
  void trialsColumnsAreTheDocumentedSnakeCaseNamesInOrder() {
    assertEquals(
        List.of(
            "run_id",
            "trial_key",
            "trial_index",
            "repeat",
            "seed",
            "model",
            "hidden_dims",
            "num_filters",
            "filter_size",
            "update_rule",
            "learning_rate",
            "weight_scale",
            "dropout_keep_ratio",
            "normalization",
            "reg",
            "batch_size",
            "num_epochs",
            "lr_decay",
            "num_train",
            "status",
            "error",
            "diverged_epoch",
            "best_val_acc",
            "val_acc",
            "test_acc",
            "final_train_acc",
            "epochs_run",
            "train_seconds",
            "executor",
            "started_at",
            "finished_at",
            "model_path"),
        Arrays.asList(ResultTables.TRIALS.fieldNames()));
    assertEquals(
        DataTypes.createArrayType(DataTypes.IntegerType, false),
        ResultTables.TRIALS.apply("hidden_dims").dataType());
    assertEquals(DataTypes.TimestampType, ResultTables.TRIALS.apply("started_at").dataType());
    assertEquals(DataTypes.LongType, ResultTables.TRIALS.apply("seed").dataType());
  }

  @Test
  void epochsColumnsJoinBackToTrials() {
    assertEquals(
        List.of("run_id", "trial_key", "repeat", "epoch", "loss", "train_acc", "val_acc"),
        Arrays.asList(ResultTables.EPOCHS.fieldNames()));
    assertEquals(List.of("trials", "epochs", "rungs"), List.copyOf(ResultTables.TABLES.keySet()));
  }

  @Test
  void trialRowHoldsSpecAndOutcome() {
    Row r = ResultTables.trialRow("run-1", result(TrialStatus.OK, 0.52, 1_700_000_000_000L), "m");
    assertEquals("run-1", r.getAs("run_id"));
    assertEquals(SPEC.key(), r.getAs("trial_key"));
    assertEquals(4, (int) r.getAs("trial_index"));
    assertEquals(1004L, (long) r.getAs("seed"));
    assertEquals(2.5e-3, (double) r.getAs("learning_rate"));
    assertEquals(1e-4, (double) r.getAs("reg"));
    assertEquals("adam", r.getAs("update_rule"));
    assertEquals("batchnorm", r.getAs("normalization"));
    assertEquals(List.of(100, 50), Arrays.stream((int[]) r.getAs("hidden_dims")).boxed().toList());
    assertEquals("OK", r.getAs("status"));
    assertNull(r.getAs("error"));
    assertEquals(0.52, (double) r.getAs("best_val_acc"));
    assertEquals(0.49, (double) r.getAs("test_acc"));
    assertEquals(2, (int) r.getAs("epochs_run"));
    assertEquals("3@10.0.0.7", r.getAs("executor"));
    assertEquals("m", r.getAs("model_path"));
    assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), r.getAs("started_at"));
    assertEquals(Instant.ofEpochMilli(1_700_000_012_500L), r.getAs("finished_at"));
  }

  @Test
  void missingAccuraciesAndTimesBecomeNull() {
    Row r = ResultTables.trialRow("run-1", result(TrialStatus.FAILED, Double.NaN, 0), null);
    assertNull(r.getAs("best_val_acc"));
    assertNull(r.getAs("started_at"));
    assertNull(r.getAs("model_path"));
    assertEquals(0.51, (double) r.getAs("val_acc"), "only NaN becomes NULL");
  }

  @Test
  void epochRowsFollowTheLearningCurve() {
    List<Row> rows = ResultTables.epochRows("run-1", result(TrialStatus.OK, 0.5, 1));
    assertEquals(2, rows.size());
    assertEquals(1, (int) rows.get(0).getAs("epoch"));
    assertEquals(1.9, (double) rows.get(0).getAs("loss"));
    assertEquals(0.41, (double) rows.get(1).getAs("val_acc"));
    assertTrue(Double.isNaN(rows.get(1).getAs("loss")), "a diverged loss stays NaN");
    assertEquals(SPEC.key(), rows.get(1).getAs("trial_key"));
  }

  @Test
  void appendNamesTheUnknownTable() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ResultTables.append(null, "file:/tmp/w", "models", List.of()));
    assertTrue(e.getMessage().contains("'models'"), e.getMessage());
  }

  @Test
  void locationJoinsWarehouseAndTable() {
    assertEquals("file:/w/trials", ResultTables.location("file:/w", "trials"));
    assertEquals("hdfs://nn/w/epochs", ResultTables.location("hdfs://nn/w/", "epochs"));
  }
}
