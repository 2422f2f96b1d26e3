package io.sparksweep.report;

import java.awt.Graphics2D;
import java.awt.font.TextAttribute;
import java.awt.geom.Rectangle2D;
import java.text.AttributedString;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * The rung chart's log x axis, ticked at the rungs' epoch budgets (1, 3, 9, 27 for η 3), the only x
 * values its points take, instead of at a log axis's fractional steps (1.259, 1.585, …).
 */
final class RungAxis extends LogAxis {
  private static final long serialVersionUID = 1L;

  private final List<Integer> epochs;

  /**
   * A new axis.
   *
   * @param label the axis label
   * @param epochs the rungs' epoch budgets, each ≥ 1
   */
  RungAxis(String label, SortedSet<Integer> epochs) {
    super(label);
    this.epochs = List.copyOf(epochs);
    setBase(10);
    setSmallestValue(1);
    setLowerMargin(0.05);
    setUpperMargin(0.05);
  }

  /** The epoch budgets ticked, in increasing order. */
  List<Integer> tickedEpochs() {
    return epochs;
  }

  @Override
  @SuppressWarnings({"rawtypes", "unchecked"}) // LogAxis returns a raw List
  protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    TextAnchor anchor =
        RectangleEdge.TOP.equals(edge) ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER;
    List ticks = new ArrayList();
    for (int e : epochs) {
      AttributedString label = new AttributedString(Integer.toString(e));
      label.addAttribute(TextAttribute.FONT, getTickLabelFont());
      ticks.add(new LogTick(TickType.MAJOR, e, label, anchor));
    }
    return ticks;
  }
}
