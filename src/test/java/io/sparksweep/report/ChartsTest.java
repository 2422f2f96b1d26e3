package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
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
  void panelsDrawEachSeriesInTheSameColour() {
    List<TrialRow> rows = new RunReport("r", "", Rows.weightScaleSweep()).rows();
    Figure figure = Charts.learningCurves("t", ChartData.learningCurves(rows, new RunAxes(rows)));
    for (int s = 0; s < 10; s++) {
      Object paint = figure.panels().get(0).getXYPlot().getRenderer().getSeriesPaint(s);
      assertNotNull(paint);
      for (JFreeChart panel : figure.panels()) {
        assertEquals(paint, panel.getXYPlot().getRenderer().getSeriesPaint(s));
      }
    }
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
  void tooManyTrialsForALegendGetNone() {
    List<TrialRow> rows = new ArrayList<>();
    for (int i = 0; i <= Charts.MAX_LEGEND_ITEMS; i++) {
      rows.add(Rows.ok(i, Rows.hyper(Double.toString(1e-3 * (i + 1)), "none"), 2, 0.1));
    }
    Figure figure = Charts.learningCurves("t", ChartData.learningCurves(rows, new RunAxes(rows)));
    assertNull(figure.legend());
  }
}
