package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.junit.jupiter.api.Test;

class ChartDataTest {
  private static final double EPS = 1e-12;

  private static List<TrialRow> sweepRows() {
    return new RunReport("r", "", Rows.weightScaleSweep()).rows();
  }

  @Test
  void weightScaleSweepHasOneSeriesPerNormalizationWithSortedPoints() {
    ChartData.Sweep sweep = ChartData.sweep(sweepRows(), "weight_scale");
    assertEquals("weight_scale", sweep.axis());
    assertTrue(sweep.logScale());
    for (XYSeriesCollection c :
        List.of(sweep.bestValAcc(), sweep.bestTrainAcc(), sweep.finalLoss())) {
      assertEquals(List.of("none", "batchnorm"), keys(c));
      for (int s = 0; s < 2; s++) {
        XYSeries series = c.getSeries(s);
        assertEquals(5, series.getItemCount());
        double[] x = new double[5];
        for (int i = 0; i < 5; i++) {
          x[i] = series.getX(i).doubleValue();
        }
        assertEquals(List.of(1e-4, 1e-3, 1e-2, 1e-1, 1.0), box(x));
      }
    }
  }

  @Test
  void weightScaleSweepValuesAreTheTrialsResults() {
    ChartData.Sweep sweep = ChartData.sweep(sweepRows(), "weight_scale");
    // The fixture's trial i = 5·n + j (n: batchnorm 0, none 1; j: index into WEIGHT_SCALES) has
    // val acc 0.2 + 0.01·i + 0.03·e and train acc 0.2 + 0.01·i + 0.05·e at epoch e = 1..3, and loss
    // (2.3 + 0.01·i)/e.
    for (int n = 0; n < 2; n++) {
      String name = Rows.NORMALIZATIONS[n];
      for (int j = 0; j < 5; j++) {
        int i = 5 * n + j;
        double x = Rows.WEIGHT_SCALES[j];
        assertEquals(0.29 + 0.01 * i, y(sweep.bestValAcc(), name, x), EPS);
        assertEquals(0.35 + 0.01 * i, y(sweep.bestTrainAcc(), name, x), EPS);
        assertEquals((2.3 + 0.01 * i) / 3, y(sweep.finalLoss(), name, x), EPS);
      }
    }
  }

  @Test
  void pointsAverageRepeatsOfTheBestOtherSetting() {
    List<TrialRow> rows = new ArrayList<>();
    // Two learning rates at each of two weight scales, two repeats each.
    double[][] bestVal = {{0.5, 0.3}, {0.45, 0.45}};
    int index = 0;
    for (String ws : List.of("0.01", "0.1")) {
      for (int lr = 0; lr < 2; lr++) {
        for (int rep = 0; rep < 2; rep++) {
          Map<String, String> h = new java.util.LinkedHashMap<>(Rows.hyper(ws, "none"));
          h.put("learning_rate", lr == 0 ? "0.001" : "0.01");
          rows.add(
              RunAxesTest.withRepeat(
                  row(index++, h, bestVal[lr][rep], 0.6 + 0.1 * lr + 0.01 * rep), rep));
        }
      }
    }
    ChartData.Sweep sweep = ChartData.sweep(rows, "weight_scale");
    // lr 0.001 averages 0.4, lr 0.01 averages 0.45: the point is lr 0.01's means.
    assertEquals(0.45, y(sweep.bestValAcc(), "none", 0.01), EPS);
    assertEquals(0.705, y(sweep.bestTrainAcc(), "none", 0.01), EPS);
    assertEquals(2, sweep.bestValAcc().getSeries(0).getItemCount());
  }

  @Test
  void sweepAxesAreTheNumericColumnsOkTrialsVary() {
    List<TrialRow> rows = new ArrayList<>(sweepRows());
    assertEquals(List.of("weight_scale"), ChartData.sweepAxes(rows));

    // A failed trial with another batch size does not make batch size an axis.
    Map<String, String> h = new java.util.LinkedHashMap<>(Rows.hyper("0.01", "none"));
    h.put("batch_size", "500");
    rows.add(Rows.failed(99, h, TrialStatus.FAILED, "out of memory"));
    assertEquals(List.of("weight_scale"), ChartData.sweepAxes(rows));

    // A varying non-numeric column is no axis either.
    Map<String, String> sgd = new java.util.LinkedHashMap<>(Rows.hyper("0.01", "none"));
    sgd.put("update_rule", "sgd");
    rows.add(Rows.ok(100, sgd, 2, 0.1));
    assertEquals(List.of("weight_scale"), ChartData.sweepAxes(rows));

    // An OK trial with another batch size does.
    rows.add(Rows.ok(101, h, 2, 0.1));
    assertEquals(List.of("weight_scale", "batch_size"), ChartData.sweepAxes(rows));
  }

  @Test
  void batchSizeIsLinearAndLearningRateLog() {
    List<TrialRow> rows = new ArrayList<>();
    int i = 0;
    for (String bs : List.of("5", "10", "50")) {
      for (String lr : List.of("0.001", "0.002")) {
        Map<String, String> h = new java.util.LinkedHashMap<>(Rows.hyper("0.02", "batchnorm"));
        h.put("batch_size", bs);
        h.put("learning_rate", lr);
        rows.add(Rows.ok(i++, h, 2, 0.1 + 0.01 * i));
      }
    }
    assertEquals(List.of("learning_rate", "batch_size"), ChartData.sweepAxes(rows));
    assertFalse(ChartData.sweep(rows, "batch_size").logScale());
    assertTrue(ChartData.sweep(rows, "learning_rate").logScale());
    assertEquals(List.of("batchnorm"), keys(ChartData.sweep(rows, "batch_size").bestValAcc()));
  }

  @Test
  void learningCurvesHaveOneSeriesPerOkTrial() {
    List<TrialRow> rows = new ArrayList<>();
    rows.add(Rows.ok(0, Rows.hyper("0.001", "none"), 2.0, 0.1));
    rows.add(Rows.ok(1, Rows.hyper("0.01", "none"), 2.1, 0.2));
    rows.add(Rows.failed(2, Rows.hyper("0.1", "none"), TrialStatus.DIVERGED, "loss is NaN"));
    rows.add(Rows.failed(3, Rows.hyper("1", "none"), TrialStatus.FAILED, "boom"));
    ChartData.Curves curves = ChartData.learningCurves(rows, new RunAxes(rows));
    assertEquals(2, curves.seriesCount());
    assertEquals(List.of("ws=0.001", "ws=0.01"), keys(curves.loss()));
    assertEquals(List.of("ws=0.001", "ws=0.01"), keys(curves.valAcc()));
    XYSeries loss = curves.loss().getSeries(1);
    XYSeries val = curves.valAcc().getSeries(1);
    XYSeries train = curves.trainAcc().getSeries(1);
    for (int e = 1; e <= 3; e++) {
      assertEquals(e, loss.getX(e - 1).intValue());
      assertEquals(2.1 / e, loss.getY(e - 1).doubleValue(), EPS);
      assertEquals(0.2 + 0.03 * e, val.getY(e - 1).doubleValue(), EPS);
      assertEquals(0.2 + 0.05 * e, train.getY(e - 1).doubleValue(), EPS);
    }
  }

  @Test
  void trialsStoppedEarlyAreDrawnAndMarkedButNeverRankedTop() {
    TrialRow full = Rows.ok(0, Rows.hyper("0.001", "none"), 2.0, 0.1);
    TrialRow early = Rows.ok(1, Rows.hyper("0.01", "none"), 2.0, 0.6);
    TrialRow stopped =
        new TrialRow(
            early.trialKey(),
            early.trialIndex(),
            early.repeat(),
            early.seed(),
            early.hyperparameters(),
            TrialStatus.STOPPED,
            null,
            0,
            early.bestValAcc(),
            early.valAcc(),
            Double.NaN,
            early.finalTrainAcc(),
            1,
            early.trainSeconds(),
            early.executor(),
            early.epochs().subList(0, 1));
    List<TrialRow> rows = List.of(full, stopped);
    ChartData.Curves curves = ChartData.learningCurves(rows, new RunAxes(rows));
    assertEquals(2, curves.seriesCount());
    assertEquals(List.of(false, true), curves.stopped());
    assertEquals(0, curves.rank(0), "the full-budget trial ranks first");
    assertEquals(-1, curves.rank(1), "a stopped trial, better on paper, is not a top trial");
    assertEquals(1, curves.loss().getSeries(1).getItemCount(), "it ends where it stopped");
    Charts.learningCurves("curves", curves).render(); // draws
  }

  @Test
  void learningCurvesKeepDuplicateLabelsApart() {
    List<TrialRow> rows =
        List.of(
            Rows.ok(0, Rows.hyper("0.001", "none"), 2.0, 0.1),
            Rows.ok(1, Rows.hyper("0.001", "none"), 2.0, 0.1),
            Rows.ok(2, Rows.hyper("0.01", "none"), 2.0, 0.1));
    ChartData.Curves curves = ChartData.learningCurves(rows, new RunAxes(rows));
    assertEquals(List.of("ws=0.001", "ws=0.001 (2)", "ws=0.01"), keys(curves.loss()));
  }

  @Test
  void nonFiniteEpochValuesAreLeftOut() {
    List<EpochRecord> epochs =
        List.of(new EpochRecord(1, 2.0, 0.1, 0.1), new EpochRecord(2, Double.NaN, 0.2, 0.2));
    TrialRow r = Rows.ok(0, Rows.hyper("0.001", "none"), 2.0, 0.1);
    TrialRow odd =
        new TrialRow(
            r.trialKey(),
            0,
            0,
            0,
            r.hyperparameters(),
            TrialStatus.OK,
            null,
            0,
            0.2,
            0.2,
            0.2,
            0.2,
            2,
            1,
            null,
            epochs);
    ChartData.Curves curves = ChartData.learningCurves(List.of(odd), new RunAxes(List.of(odd)));
    assertEquals(1, curves.loss().getSeries(0).getItemCount());
    assertEquals(2, curves.valAcc().getSeries(0).getItemCount());
  }

  private static TrialRow row(int index, Map<String, String> h, double bestVal, double bestTrain) {
    List<EpochRecord> epochs = List.of(new EpochRecord(1, 1.0, bestTrain, bestVal));
    return new TrialRow(
        "k" + index,
        index,
        0,
        index,
        h,
        TrialStatus.OK,
        null,
        0,
        bestVal,
        bestVal,
        bestVal,
        bestTrain,
        1,
        1,
        null,
        epochs);
  }

  private static double y(XYSeriesCollection c, String series, double x) {
    XYSeries s = c.getSeries(series);
    int i = s.indexOf(x);
    assertTrue(i >= 0, "no point at x = " + x + " in " + series);
    return s.getY(i).doubleValue();
  }

  private static List<String> keys(XYSeriesCollection c) {
    List<String> keys = new ArrayList<>();
    for (int s = 0; s < c.getSeriesCount(); s++) {
      keys.add(c.getSeriesKey(s).toString());
    }
    return keys;
  }

  private static List<Double> box(double[] x) {
    List<Double> list = new ArrayList<>();
    for (double v : x) {
      list.add(v);
    }
    return list;
  }
}
