package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrialRowTest {
  private static TrialSpec spec() {
    return new TrialSpec(
            "",
            0,
            0,
            0,
            ModelKind.FC,
            List.of(100, 50),
            0,
            0,
            UpdateRule.ADAM,
            1e-3,
            2e-2,
            0.5,
            Normalization.BATCHNORM,
            0,
            50,
            10,
            0.95,
            49000)
        .withKeyAndSeed(7, 1, 42);
  }

  @Test
  void hyperparametersOfASpecAreItsColumnsInGridOrder() {
    Map<String, String> h = TrialRow.hyperparametersOf(spec());
    assertEquals(
        List.of(
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
            "num_train"),
        new ArrayList<>(h.keySet()));
    assertEquals("[100,50]", h.get("hidden_dims"));
    assertEquals("adam", h.get("update_rule"));
    assertEquals("0.001", h.get("learning_rate"));
    assertEquals("0.02", h.get("weight_scale"));
    assertEquals("batchnorm", h.get("normalization"));
    assertEquals("50", h.get("batch_size"));
  }

  @Test
  void ofCopiesAResult() {
    TrialSpec spec = spec();
    List<EpochRecord> epochs =
        List.of(new EpochRecord(1, 2.0, 0.3, 0.25), new EpochRecord(2, 1.5, 0.45, 0.3));
    TrialResult result =
        new TrialResult(
            spec,
            TrialStatus.OK,
            null,
            0,
            0.3,
            0.29,
            0.28,
            0.45,
            2,
            9.5,
            "exec-1",
            1000L,
            2000L,
            epochs,
            null);
    TrialRow row = TrialRow.of(result);
    assertEquals(spec.key(), row.trialKey());
    assertEquals(7, row.trialIndex());
    assertEquals(1, row.repeat());
    assertEquals(spec.seed(), row.seed());
    assertEquals(TrialRow.hyperparametersOf(spec), row.hyperparameters());
    assertEquals(0.28, row.testAcc());
    assertEquals(epochs, row.epochs());
    assertEquals(0.45, row.bestTrainAcc());
    assertEquals(1.5, row.finalLoss());
  }

  @Test
  void epochsAreSortedAndHyperparametersOrdered() {
    Map<String, String> h = new HashMap<>();
    h.put("zeta", "1");
    h.put("normalization", "none");
    h.put("alpha", "x");
    h.put("learning_rate", "0.1");
    TrialRow row =
        new TrialRow(
            "k",
            0,
            0,
            0,
            h,
            TrialStatus.OK,
            null,
            0,
            0.5,
            0.5,
            0.5,
            0.5,
            3,
            1,
            null,
            List.of(
                new EpochRecord(3, 1.0, 0.2, 0.2),
                new EpochRecord(1, 3.0, 0.6, 0.1),
                new EpochRecord(2, 2.0, 0.4, 0.3)));
    assertEquals(
        List.of("learning_rate", "normalization", "alpha", "zeta"),
        new ArrayList<>(row.hyperparameters().keySet()));
    assertEquals(List.of(1, 2, 3), row.epochs().stream().map(EpochRecord::epoch).toList());
    assertEquals(1.0, row.finalLoss());
    assertEquals(0.6, row.bestTrainAcc());
  }

  @Test
  void withoutEpochsBestTrainIsFinalTrainAndLossIsMissing() {
    TrialRow row = Rows.failed(0, Rows.hyper("0.1", "none"), TrialStatus.FAILED, "x");
    assertTrue(Double.isNaN(row.finalLoss()));
    assertTrue(Double.isNaN(row.bestTrainAcc()));
  }

  @Test
  void nullHyperparameterValuesAreRejected() {
    Map<String, String> h = new HashMap<>();
    h.put("reg", null);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                new TrialRow(
                    "k", 0, 0, 0, h, TrialStatus.OK, null, 0, 0, 0, 0, 0, 0, 0, null, List.of()));
    assertTrue(e.getMessage().contains("reg=null"), e.getMessage());
  }
}
