package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.junit.jupiter.api.Test;

class ChartsTest {
  @Test
  void weightScaleFigureHasThreeLabelledLogPanelsAndALegend() {
    List<TrialRow> rows = new RunReport("r", "", Rows.weightScaleSweep()).rows();
    Figure figure = Charts.sweep("t", ChartData.sweep(rows, "weight_scale"));
    assertEquals(3, figure.panels().size());
    List<String> yLabels = new ArrayList<>();
    for (JFreeChart panel : figure.panels()) {
      XYPlot plot = panel.getXYPlot();
      assertInstanceOf(LogAxis.class, plot.getDomainAxis());
      assertEquals("Weight initialization scale", plot.getDomainAxis().getLabel());
      assertEquals(2, plot.getDataset().getSeriesCount());
      yLabels.add(plot.getRangeAxis().getLabel());
    }
    assertEquals(
        List.of("Best val accuracy", "Best training accuracy", "Final training loss"), yLabels);
    assertEquals(
        "Best val accuracy vs. weight initialization scale",
        figure.panels().get(0).getTitle().getText());
    assertNotNull(figure.legend());
    assertEquals(2, figure.legend().getSources()[0].getLegendItems().getItemCount());
  }

  @Test
  void topTrialsAreColouredByRankAndTheRestGrey() {
    List<TrialRow> rows = new RunReport("r", "", Rows.weightScaleSweep()).rows();
    ChartData.Curves curves = ChartData.learningCurves(rows, new RunAxes(rows));
    Figure figure = Charts.learningCurves("t", curves);
    for (JFreeChart panel : figure.panels()) {
      XYPlot plot = panel.getXYPlot();
      // Dataset 0: the top 5 (trials 9, 8, 7, 6, 5 by rank; drawn in trial order 5..9).
      assertEquals(ChartData.TOP_N, plot.getDataset(0).getSeriesCount());
      for (int s = 0; s < ChartData.TOP_N; s++) {
        int rank = ChartData.TOP_N - 1 - s;
        assertEquals(Charts.topColour(rank), plot.getRenderer(0).getSeriesPaint(s));
      }
      // Dataset 1: the other 5, grey.
      assertEquals(5, plot.getDataset(1).getSeriesCount());
      for (int s = 0; s < 5; s++) {
        assertEquals(Charts.GREY, plot.getRenderer(1).getSeriesPaint(s));
      }
    }
    assertEquals(List.of(-1, -1, -1, -1, -1, 4, 3, 2, 1, 0), curves.ranks());
  }

  @Test
  void aLossSpikeGetsALogAxisAndOrdinaryLossesALinearOne() {
    List<TrialRow> mixed = new RunReport("r", "", Rows.mixedRun()).rows();
    Figure spiky = Charts.learningCurves("t", ChartData.learningCurves(mixed, new RunAxes(mixed)));
    assertInstanceOf(LogAxis.class, spiky.panels().get(0).getXYPlot().getRangeAxis());
    assertInstanceOf(NumberAxis.class, spiky.panels().get(1).getXYPlot().getRangeAxis());
    List<TrialRow> rows = new RunReport("r", "", Rows.weightScaleSweep()).rows();
    Figure calm = Charts.learningCurves("t", ChartData.learningCurves(rows, new RunAxes(rows)));
    // Losses 2.3/3 .. 2.39: less than a decade apart, so linear.
    assertInstanceOf(NumberAxis.class, calm.panels().get(0).getXYPlot().getRangeAxis());
  }

  @Test
  void aLogLossAxisIsTickedAtOneTwoFiveNotAtFractionalPowers() {
    List<TrialRow> mixed = new RunReport("r", "", Rows.mixedRun()).rows();
    Figure spiky = Charts.learningCurves("t", ChartData.learningCurves(mixed, new RunAxes(mixed)));
    org.jfree.chart.axis.ValueAxis axis = spiky.panels().get(0).getXYPlot().getRangeAxis();
    axis.setRange(0.7, 16); // the losses of a run with one diverging trial (as fc-hyperband's)
    BufferedImage image = new BufferedImage(800, 300, BufferedImage.TYPE_INT_ARGB);
    java.awt.Graphics2D g = image.createGraphics();
    List<Double> ticks = new ArrayList<>();
    for (Object tick :
        axis.refreshTicks(
            g,
            new org.jfree.chart.axis.AxisState(),
            new java.awt.geom.Rectangle2D.Double(60, 20, 700, 240),
            org.jfree.chart.ui.RectangleEdge.LEFT)) {
      ticks.add(((org.jfree.chart.axis.ValueTick) tick).getValue());
    }
    g.dispose();
    assertEquals(List.of(1.0, 2.0, 5.0, 10.0), ticks);
  }

  @Test
  void batchSizeFigureIsLinear() {
    List<TrialRow> rows = new ArrayList<>();
    int i = 0;
    for (String bs : List.of("5", "10", "50")) {
      Map<String, String> h = new java.util.LinkedHashMap<>(Rows.hyper("0.02", "none"));
      h.put("batch_size", bs);
      rows.add(Rows.ok(i, h, 2, 0.1 + 0.01 * i));
      i++;
    }
    Figure figure = Charts.sweep("t", ChartData.sweep(rows, "batch_size"));
    XYPlot plot = figure.panels().get(0).getXYPlot();
    assertInstanceOf(NumberAxis.class, plot.getDomainAxis());
    assertEquals("Batch size", plot.getDomainAxis().getLabel());
  }

  @Test
  void learningCurveFigureRendersAtItsWidthWithRoomForTheLegend() {
    List<TrialRow> rows = new RunReport("r", "", Rows.weightScaleSweep()).rows();
    Figure figure = Charts.learningCurves("t", ChartData.learningCurves(rows, new RunAxes(rows)));
    assertEquals(
        List.of("Training loss", "Training accuracy", "Validation accuracy"),
        figure.panels().stream().map(p -> p.getTitle().getText()).toList());
    assertEquals("Epoch", figure.panels().get(2).getXYPlot().getDomainAxis().getLabel());
    BufferedImage image = figure.render();
    assertEquals(Figure.WIDTH, image.getWidth());
    assertTrue(image.getHeight() > 3 * Charts.CURVE_PANEL_HEIGHT, "height " + image.getHeight());
  }

  @Test
  void manyTrialsGetALegendOfTheTopOnesAndOneGreyEntry() {
    List<TrialRow> rows = new ArrayList<>();
    for (int i = 0; i < 41; i++) {
      rows.add(Rows.ok(i, Rows.hyper(Double.toString(1e-3 * (i + 1)), "none"), 2, 0.1 + 0.001 * i));
    }
    Figure figure = Charts.learningCurves("t", ChartData.learningCurves(rows, new RunAxes(rows)));
    LegendItemCollection items = figure.legend().getSources()[0].getLegendItems();
    assertEquals(ChartData.TOP_N + 1, items.getItemCount());
    assertEquals("#1 ws=0.041", items.get(0).getLabel());
    assertEquals("36 other trials", items.get(ChartData.TOP_N).getLabel());
  }

  @Test
  void stripChartOfACategoricalAxis() {
    List<TrialRow> rows = new RunReport("r", "", Rows.mixedRun()).rows();
    ChartData.Strip strip = ChartData.strip(rows, "update_rule");
    assertEquals(List.of("adam", "sgd_momentum"), strip.categories());
    assertEquals(List.of("20 OK", "18 OK, 1 div., 1 failed"), strip.counts());
    // Means computed independently from the OK trials of each value.
    for (int c = 0; c < 2; c++) {
      String rule = strip.categories().get(c);
      double mean =
          rows.stream()
              .filter(r -> r.status() == io.sparksweep.search.TrialStatus.OK)
              .filter(r -> rule.equals(r.hyperparameters().get("update_rule")))
              .mapToDouble(TrialRow::bestValAcc)
              .average()
              .orElseThrow();
      assertEquals(mean, strip.means().getY(c).doubleValue(), 1e-12);
    }
    int points = strip.others().getItemCount();
    for (var s : strip.top()) {
      assertEquals(1, s.getItemCount());
      points += s.getItemCount();
    }
    assertEquals(38, points, "one point per OK trial");
    Figure figure = Charts.strip("t", strip);
    assertEquals(Figure.WIDTH, figure.render().getWidth());
    assertEquals(List.of("update_rule", "normalization"), ChartData.categoricalAxes(rows));
  }

  @Test
  void rungChartIsTickedAtTheRungsEpochBudgets() {
    List<RungPoint> points = new ArrayList<>();
    int[] budgets = {1, 3, 9, 27};
    for (int r = 0; r < budgets.length; r++) {
      for (int t = r; t < 4; t++) {
        points.add(
            new RungPoint(
                "k" + t, 0, 0, r, budgets[r], 0.1 * (t + r), r == 3 ? "completed" : "promoted"));
      }
    }
    Figure figure = Charts.rungs("t", points);
    XYPlot plot = figure.panels().get(0).getXYPlot();
    BufferedImage image = new BufferedImage(800, 300, BufferedImage.TYPE_INT_ARGB);
    java.awt.Graphics2D g = image.createGraphics();
    java.awt.geom.Rectangle2D area = new java.awt.geom.Rectangle2D.Double(60, 20, 700, 240);
    List<Double> ticks = new ArrayList<>();
    for (Object tick :
        plot.getDomainAxis()
            .refreshTicks(
                g,
                new org.jfree.chart.axis.AxisState(),
                area,
                org.jfree.chart.ui.RectangleEdge.BOTTOM)) {
      ticks.add(((org.jfree.chart.axis.ValueTick) tick).getValue());
    }
    g.dispose();
    assertEquals(List.of(1.0, 3.0, 9.0, 27.0), ticks);
    assertEquals("Epochs trained (log)", plot.getDomainAxis().getLabel());
  }
}
