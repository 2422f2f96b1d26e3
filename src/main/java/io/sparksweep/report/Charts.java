package io.sparksweep.report;

import io.sparksweep.search.GridAxis;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.LegendItemSource;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.chart.util.ShapeUtils;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
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
   * The learning-curve figure (the notebooks' {@code plot_training_history}): training loss (on a
   * log axis when the losses are positive and span a decade, so one trial whose loss spikes to 1e8
   * does not flatten the others), training accuracy and validation accuracy per epoch, one line per
   * trial. The top {@value ChartData#TOP_N} trials by best validation accuracy are drawn on top in
   * their rank's colour, with a legend; the others are thin grey lines under them, one legend entry
   * for all.
   *
   * @param title the figure's title
   * @param curves the datasets, one series per trial
   * @return three panels and a legend of the top trials
   */
  static Figure learningCurves(String title, ChartData.Curves curves) {
    int maxEpochs = 0;
    for (int s = 0; s < curves.seriesCount(); s++) {
      maxEpochs = Math.max(maxEpochs, curves.loss().getSeries(s).getItemCount());
    }
    boolean markers = maxEpochs <= MAX_MARKED_EPOCHS;
    JFreeChart loss =
        curvePanel(
            "Training loss", lossAxis("Loss", curves.loss()), curves.loss(), curves, markers);
    JFreeChart train =
        curvePanel("Training accuracy", plainAxis("Accuracy"), curves.trainAcc(), curves, markers);
    JFreeChart val =
        curvePanel("Validation accuracy", plainAxis("Accuracy"), curves.valAcc(), curves, markers);
    LegendItemCollection items = new LegendItemCollection();
    int others = 0;
    int stopped = 0;
    for (int s = 0; s < curves.seriesCount(); s++) {
      if (curves.rank(s) < 0 && curves.stopped(s)) {
        stopped++;
      } else if (curves.rank(s) < 0) {
        others++;
      }
    }
    for (int rank = 0; rank < curves.seriesCount(); rank++) {
      for (int s = 0; s < curves.seriesCount(); s++) {
        if (curves.rank(s) == rank) {
          items.add(
              legendItem(
                  "#" + (rank + 1) + " " + curves.loss().getSeriesKey(s), topColour(rank), true));
        }
      }
    }
    if (others > 0) {
      items.add(legendItem(others + (others == 1 ? " other trial" : " other trials"), GREY, false));
    }
    if (stopped > 0) {
      LegendItem item =
          legendItem(
              stopped + (stopped == 1 ? " trial" : " trials") + " stopped early (dashed)",
              STOPPED,
              false);
      item.setLineStroke(STOPPED_STROKE);
      items.add(item);
    }
    LegendTitle legend = curves.seriesCount() == 0 ? null : legend(() -> items);
    return new Figure(title, List.of(loss, train, val), legend, CURVE_PANEL_HEIGHT);
  }

  /**
   * The rung chart of an adaptive search: validation accuracy against epochs trained (log scale
   * when the rungs span a decade) at every rung decision, one point per trial and rung coloured by
   * the decision (promoted, stopped, completed), each trial's rungs joined by a thin grey line.
   *
   * @param title the figure's title
   * @param points the rung decisions
   * @return one panel with a legend of the decisions
   */
  static Figure rungs(String title, List<RungPoint> points) {
    List<String> decisions = List.of("promoted", "stopped", "completed");
    List<Color> colours = List.of(PALETTE[2], STOPPED_SOLID, PALETTE[0]);
    XYSeriesCollection marks = new XYSeriesCollection();
    for (String d : decisions) {
      marks.addSeries(new XYSeries(d, true, true));
    }
    java.util.Map<String, XYSeries> paths = new java.util.LinkedHashMap<>();
    int minEpochs = Integer.MAX_VALUE;
    int maxEpochs = 0;
    for (RungPoint p : points) {
      if (!Double.isFinite(p.valAcc())) {
        continue;
      }
      int i = decisions.indexOf(p.decision());
      if (i >= 0) {
        marks.getSeries(i).add(p.epochs(), p.valAcc());
      }
      paths
          .computeIfAbsent(p.trialKey() + "/" + p.repeat(), k -> new XYSeries(k, true, false))
          .add(p.epochs(), p.valAcc());
      minEpochs = Math.min(minEpochs, p.epochs());
      maxEpochs = Math.max(maxEpochs, p.epochs());
    }
    ValueAxis x;
    if (maxEpochs >= 10L * Math.max(1, minEpochs)) {
      java.util.SortedSet<Integer> rungEpochs = new java.util.TreeSet<>();
      for (RungPoint p : points) {
        rungEpochs.add(p.epochs());
      }
      x = new RungAxis("Epochs trained (log)", rungEpochs);
    } else {
      NumberAxis n = new NumberAxis("Epochs trained");
      n.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
      x = n;
    }
    JFreeChart chart =
        panel("Validation accuracy at each rung", x, plainAxis("Accuracy"), marks, true);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
    renderer.setDefaultLinesVisible(false);
    LegendItemCollection items = new LegendItemCollection();
    for (int s = 0; s < decisions.size(); s++) {
      renderer.setSeriesLinesVisible(s, false);
      renderer.setSeriesPaint(s, colours.get(s));
      renderer.setSeriesShape(s, SHAPES[0]);
      items.add(
          legendItem(
              marks.getSeries(s).getItemCount() + " " + decisions.get(s), colours.get(s), true));
    }
    XYSeriesCollection lines = new XYSeriesCollection();
    paths.values().forEach(lines::addSeries);
    XYLineAndShapeRenderer grey = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < lines.getSeriesCount(); s++) {
      grey.setSeriesPaint(s, GREY);
      grey.setSeriesStroke(s, new BasicStroke(1f));
    }
    plot.setDataset(1, lines);
    plot.setRenderer(1, grey);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
    return new Figure(title, List.of(chart), legend(() -> items), CURVE_PANEL_HEIGHT);
  }

  /** The colour of the trial ranked {@code rank} (0 = best) in every chart. */
  static Color topColour(int rank) {
    return PALETTE[rank % PALETTE.length];
  }

  /** Grey of the trials that are not among the top ones. */
  static final Color GREY = new Color(150, 150, 150, 110);

  /** The opaque colour of a stopped trial's rung decision. */
  static final Color STOPPED_SOLID = new Color(205, 120, 60);

  /** Colour of the trials an adaptive scheduler stopped early (drawn dashed, under the others). */
  static final Color STOPPED = new Color(205, 120, 60, 120);

  private static final BasicStroke STOPPED_STROKE =
      new BasicStroke(
          1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {4f, 3f}, 0f);

  private static LegendItem legendItem(String label, Color colour, boolean top) {
    LegendItem item =
        new LegendItem(
            label,
            null,
            null,
            null,
            new Line2D.Double(-9, 0, 9, 0),
            new BasicStroke(top ? 3f : 1.5f),
            colour);
    item.setLabelFont(LEGEND_FONT);
    return item;
  }

  /**
   * A learning-curve panel: the grey trials as one dataset under the top trials' dataset (XYPlot
   * draws dataset 0 last, so on top).
   */
  private static JFreeChart curvePanel(
      String title,
      ValueAxis yAxis,
      XYSeriesCollection data,
      ChartData.Curves curves,
      boolean markers) {
    XYSeriesCollection top = new XYSeriesCollection();
    XYSeriesCollection grey = new XYSeriesCollection();
    List<Integer> topRanks = new java.util.ArrayList<>();
    List<Boolean> greyStopped = new java.util.ArrayList<>();
    for (int s = 0; s < data.getSeriesCount(); s++) {
      if (curves.rank(s) >= 0) {
        top.addSeries(data.getSeries(s));
        topRanks.add(curves.rank(s));
      } else {
        grey.addSeries(data.getSeries(s));
        greyStopped.add(curves.stopped(s));
      }
    }
    JFreeChart chart = panel(title, epochAxis(), yAxis, top, markers);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) plot.getRenderer();
    for (int s = 0; s < topRanks.size(); s++) {
      renderer.setSeriesPaint(s, topColour(topRanks.get(s)));
      renderer.setSeriesShape(s, SHAPES[0]);
      renderer.setSeriesStroke(
          s, new BasicStroke(3f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
    XYLineAndShapeRenderer greyRenderer = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < grey.getSeriesCount(); s++) {
      boolean early = greyStopped.get(s);
      greyRenderer.setSeriesPaint(s, early ? STOPPED : GREY);
      greyRenderer.setSeriesStroke(s, early ? STOPPED_STROKE : new BasicStroke(1.2f));
    }
    plot.setDataset(1, grey);
    plot.setRenderer(1, greyRenderer);
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.REVERSE);
    return chart;
  }

  /** Loss axes whose values span at least this ratio are drawn on a log scale. */
  static final double LOG_LOSS_SPAN = 10;

  /**
   * A y axis for losses: log scale when every finite value is positive and they span at least a
   * decade ({@link #LOG_LOSS_SPAN}: one divergent trial then no longer flattens the others), linear
   * otherwise.
   */
  static ValueAxis lossAxis(String label, XYSeriesCollection data) {
    boolean positive = true;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int s = 0; s < data.getSeriesCount(); s++) {
      for (int i = 0; i < data.getItemCount(s); i++) {
        double y = data.getYValue(s, i);
        if (Double.isFinite(y)) {
          positive &= y > 0;
          min = Math.min(min, y);
          max = Math.max(max, y);
        }
      }
    }
    if (!positive || !(max / min >= LOG_LOSS_SPAN)) {
      return plainAxis(label);
    }
    // Ticked at 1, 2, 5, 10, … (not at a log axis's 1.585, 2.512, 3.981, …).
    SemilogAxis axis = new SemilogAxis(label + " (log)");
    axis.setFixedDimension(Y_AXIS_WIDTH);
    return axis;
  }

  private static ValueAxis plainAxis(String label) {
    NumberAxis axis = new NumberAxis(label);
    axis.setAutoRangeIncludesZero(false);
    axis.setFixedDimension(Y_AXIS_WIDTH);
    return axis;
  }

  /**
   * A strip chart of a categorical column: best validation accuracy of every OK trial above its
   * value (grey), the top trials in their colours, each value's mean as a black bar.
   *
   * @param title the figure's title
   * @param strip the data
   * @return one panel with a legend
   */
  static Figure strip(String title, ChartData.Strip strip) {
    String[] labels = new String[strip.categories().size()];
    for (int c = 0; c < labels.length; c++) {
      labels[c] = strip.categories().get(c) + " (" + strip.counts().get(c) + ")";
    }
    SymbolAxis x = new SymbolAxis(axisTitle(strip.axis()), labels);
    x.setGridBandsVisible(false);
    x.setLowerMargin(0);
    x.setUpperMargin(0);
    x.setRange(-0.6, labels.length - 0.4);
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(strip.means());
    strip.top().forEach(data::addSeries);
    data.addSeries(strip.others());
    JFreeChart chart =
        panel(
            "Best val accuracy by " + strip.axis(), x, plainAxis("Best val accuracy"), data, true);
    XYLineAndShapeRenderer renderer = (XYLineAndShapeRenderer) chart.getXYPlot().getRenderer();
    renderer.setDefaultLinesVisible(false);
    for (int s = 0; s < data.getSeriesCount(); s++) {
      renderer.setSeriesLinesVisible(s, false);
    }
    renderer.setSeriesPaint(0, Color.BLACK);
    renderer.setSeriesShape(0, new Rectangle2D.Double(-22, -1.5, 44, 3));
    for (int i = 0; i < strip.top().size(); i++) {
      renderer.setSeriesPaint(1 + i, topColour(i));
      renderer.setSeriesShape(1 + i, new Ellipse2D.Double(-6, -6, 12, 12));
    }
    int last = data.getSeriesCount() - 1;
    renderer.setSeriesPaint(last, new Color(120, 120, 120, 150));
    renderer.setSeriesShape(last, new Ellipse2D.Double(-4, -4, 8, 8));
    return new Figure(title, List.of(chart), legend(chart.getXYPlot()), STRIP_PANEL_HEIGHT);
  }

  /** Height of a strip chart's panel. */
  static final int STRIP_PANEL_HEIGHT = 380;

  /**
   * The axis-importance bar chart: one horizontal bar per axis, its {@link Importance#fraction()}.
   *
   * @param title the figure's title
   * @param importances most important first
   * @return one panel, no legend
   */
  static Figure importance(String title, List<Importance> importances) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Importance i : importances) {
      data.addValue(i.fraction(), "variance explained", i.axis());
    }
    CategoryAxis axis = new CategoryAxis("Hyperparameter");
    NumberAxis value = new NumberAxis("Fraction of the variance explained (η², see the caption)");
    value.setRange(0, 1.08);
    value.setTickUnit(new NumberTickUnit(0.1));
    BarRenderer renderer = new BarRenderer();
    renderer.setMaximumBarWidth(0.12);
    renderer.setDefaultItemLabelGenerator(
        new StandardCategoryItemLabelGenerator(
            "{2}", new DecimalFormat("0.000", DecimalFormatSymbols.getInstance(Locale.ROOT))));
    renderer.setDefaultItemLabelsVisible(true);
    renderer.setDefaultItemLabelFont(TICK_FONT);
    renderer.setDefaultPositiveItemLabelPosition(
        new ItemLabelPosition(ItemLabelAnchor.OUTSIDE3, TextAnchor.CENTER_LEFT));
    CategoryPlot plot = new CategoryPlot(data, axis, value, renderer);
    plot.setOrientation(PlotOrientation.HORIZONTAL);
    plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
    JFreeChart chart =
        new JFreeChart("η² of each varied axis (OK trials)", PANEL_TITLE_FONT, plot, false);
    theme().apply(chart);
    renderer.setSeriesPaint(0, PALETTE[0]);
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(GRID);
    plot.setOutlinePaint(Color.DARK_GRAY);
    chart.getTitle().setFont(PANEL_TITLE_FONT);
    chart.setPadding(new RectangleInsets(4, 8, 8, 16));
    int height = Math.max(220, 90 + 46 * importances.size());
    return new Figure(title, List.of(chart), null, height);
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
            plainAxis("Best val accuracy"),
            sweep.bestValAcc(),
            true);
    JFreeChart train =
        panel(
            "Best train accuracy vs. " + lower,
            xAxis(x, sweep.logScale()),
            plainAxis("Best training accuracy"),
            sweep.bestTrainAcc(),
            true);
    JFreeChart loss =
        panel(
            "Final training loss vs. " + lower,
            xAxis(x, sweep.logScale()),
            lossAxis("Final training loss", sweep.finalLoss()),
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
      String title, ValueAxis xAxis, ValueAxis yAxis, XYSeriesCollection data, boolean markers) {
    // Every y axis has the same width (plainAxis, lossAxis), so the stacked plot areas line up.
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
  private static LegendTitle legend(LegendItemSource source) {
    LegendTitle legend = new LegendTitle(source);
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
