package io.sparksweep.report;

import io.sparksweep.search.GridAxis;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The figures, drawn with JFreeChart in the notebooks' manner: white panels with grey grid lines,
 * matplotlib's default colour cycle ({@code tab10}), lines with round markers ({@code '-o'}), log x
 * axes where the notebooks call {@code semilogx}.
 */
final class Charts {
  /** Height of one learning-curve panel. */
  static final int CURVE_PANEL_HEIGHT = 300;

  /** Height of one sweep panel. */
  static final int SWEEP_PANEL_HEIGHT = 280;

  /** Above this many trials the learning curves have no legend (the table names them). */
  static final int MAX_LEGEND_ITEMS = 40;

  /** Above this many epochs the learning curves draw lines without markers. */
  static final int MAX_MARKED_EPOCHS = 30;

  /** Width reserved for each panel's y axis (label and tick labels). */
  private static final double Y_AXIS_WIDTH = 80;

  /** matplotlib's tab10 colour cycle. */
  private static final Color[] PALETTE = {
    new Color(0x1f77b4),
    new Color(0xff7f0e),
    new Color(0x2ca02c),
    new Color(0xd62728),
    new Color(0x9467bd),
    new Color(0x8c564b),
    new Color(0xe377c2),
    new Color(0x7f7f7f),
    new Color(0xbcbd22),
    new Color(0x17becf)
  };

  /** Markers; the next one is used each time the colours run out, so series stay distinct. */
  private static final Shape[] SHAPES = {
    new Ellipse2D.Double(-3.5, -3.5, 7, 7),
    new Rectangle2D.Double(-3, -3, 6, 6),
    ShapeUtils.createUpTriangle(4f),
    ShapeUtils.createDiamond(4f),
    ShapeUtils.createDownTriangle(4f)
  };

  private static final Font PANEL_TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font LEGEND_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Color GRID = new Color(0xdddddd);

  /** Axis titles as the notebooks write them; other columns use their name. */
  private static final Map<String, String> AXIS_TITLES =
      Map.ofEntries(
          Map.entry(GridAxis.LEARNING_RATE.id(), "Learning rate"),
          Map.entry(GridAxis.WEIGHT_SCALE.id(), "Weight initialization scale"),
          Map.entry(GridAxis.DROPOUT_KEEP_RATIO.id(), "Dropout keep ratio"),
          Map.entry(GridAxis.REG.id(), "L2 regularization strength"),
          Map.entry(GridAxis.BATCH_SIZE.id(), "Batch size"),
          Map.entry(GridAxis.NUM_EPOCHS.id(), "Epochs"),
          Map.entry(GridAxis.LR_DECAY.id(), "Learning-rate decay"),
          Map.entry(GridAxis.NUM_TRAIN.id(), "Training images"),
          Map.entry(GridAxis.NUM_FILTERS.id(), "Number of filters"),
          Map.entry(GridAxis.FILTER_SIZE.id(), "Filter size"));

  private Charts() {}

  /** The axis title of a column: {@code Weight initialization scale} for {@code weight_scale}. */
  static String axisTitle(String column) {
    return AXIS_TITLES.getOrDefault(column, column);
  }

  /**
   * The learning-curve figure (the notebooks' {@code plot_training_history}): training loss,
   * training accuracy and validation accuracy per epoch, one line per trial.
   *
   * @param title the figure's title
   * @param curves the datasets, one series per trial
   * @return three panels and, for at most {@link #MAX_LEGEND_ITEMS} trials, a legend
   */
  static Figure learningCurves(String title, ChartData.Curves curves) {
    int maxEpochs = 0;
    for (int s = 0; s < curves.seriesCount(); s++) {
      maxEpochs = Math.max(maxEpochs, curves.loss().getSeries(s).getItemCount());
    }
    boolean markers = maxEpochs <= MAX_MARKED_EPOCHS;
    JFreeChart loss = panel("Training loss", epochAxis(), "Loss", curves.loss(), markers);
    JFreeChart train =
        panel("Training accuracy", epochAxis(), "Accuracy", curves.trainAcc(), markers);
    JFreeChart val =
        panel("Validation accuracy", epochAxis(), "Accuracy", curves.valAcc(), markers);
    LegendTitle legend = curves.seriesCount() <= MAX_LEGEND_ITEMS ? legend(loss.getXYPlot()) : null;
    return new Figure(title, List.of(loss, train, val), legend, CURVE_PANEL_HEIGHT);
  }

  /**
   * A sweep figure (the notebook's weight-scale cell): best validation accuracy, best training
   * accuracy and final training loss against one hyperparameter, one series per normalization.
   *
   * @param title the figure's title
   * @param sweep the datasets
   * @return three panels sharing one legend
   */
  static Figure sweep(String title, ChartData.Sweep sweep) {
    String x = axisTitle(sweep.axis());
    String lower = Character.toLowerCase(x.charAt(0)) + x.substring(1);
    JFreeChart val =
        panel(
            "Best val accuracy vs. " + lower,
            xAxis(x, sweep.logScale()),
            "Best val accuracy",
            sweep.bestValAcc(),
            true);
    JFreeChart train =
        panel(
            "Best train accuracy vs. " + lower,
            xAxis(x, sweep.logScale()),
            "Best training accuracy",
            sweep.bestTrainAcc(),
            true);
    JFreeChart loss =
        panel(
            "Final training loss vs. " + lower,
            xAxis(x, sweep.logScale()),
            "Final training loss",
            sweep.finalLoss(),
            true);
    return new Figure(
        title, List.of(val, train, loss), legend(val.getXYPlot()), SWEEP_PANEL_HEIGHT);
  }

  private static ValueAxis epochAxis() {
    NumberAxis axis = new NumberAxis("Epoch");
    axis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  private static ValueAxis xAxis(String label, boolean log) {
    if (log) {
      return new SemilogAxis(label);
    }
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    return axis;
  }

  /** One panel: a titled XY line chart with markers, no legend of its own. */
  private static JFreeChart panel(
      String title, ValueAxis xAxis, String yLabel, XYSeriesCollection data, boolean markers) {
    NumberAxis yAxis = new NumberAxis(yLabel);
    yAxis.setAutoRangeIncludesZero(false);
    // The same width for every panel's y axis, so the stacked plot areas line up.
    yAxis.setFixedDimension(Y_AXIS_WIDTH);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, markers);
    XYPlot plot = new XYPlot(data, xAxis, yAxis, renderer);
    JFreeChart chart = new JFreeChart(title, PANEL_TITLE_FONT, plot, false);
    // The theme resets series paints, so colours and markers go on after it.
    theme().apply(chart);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, PALETTE[s % PALETTE.length]);
      renderer.setSeriesShape(s, SHAPES[(s / PALETTE.length) % SHAPES.length]);
      renderer.setSeriesStroke(
          s, new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    chart.getTitle().setFont(PANEL_TITLE_FONT);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(GRID);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlinePaint(Color.DARK_GRAY);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    chart.setPadding(new RectangleInsets(4, 8, 8, 16));
    return chart;
  }

  /** The shared legend: the items of one panel's series, wrapped in rows under the panels. */
  private static LegendTitle legend(XYPlot plot) {
    LegendTitle legend = new LegendTitle(plot);
    legend.setPosition(RectangleEdge.BOTTOM);
    legend.setItemFont(LEGEND_FONT);
    legend.setBackgroundPaint(Color.WHITE);
    legend.setFrame(BlockBorder.NONE);
    legend.setMargin(new RectangleInsets(4, 8, 12, 8));
    legend.setItemLabelPadding(new RectangleInsets(2, 4, 2, 12));
    return legend;
  }

  private static StandardChartTheme theme() {
    StandardChartTheme theme = new StandardChartTheme("sparksweep");
    theme.setExtraLargeFont(PANEL_TITLE_FONT);
    theme.setLargeFont(LABEL_FONT);
    theme.setRegularFont(TICK_FONT);
    theme.setSmallFont(TICK_FONT);
    theme.setChartBackgroundPaint(Color.WHITE);
    theme.setPlotBackgroundPaint(Color.WHITE);
    theme.setDomainGridlinePaint(GRID);
    theme.setRangeGridlinePaint(GRID);
    theme.setAxisLabelPaint(Color.BLACK);
    theme.setTickLabelPaint(Color.BLACK);
    return theme;
  }
}
