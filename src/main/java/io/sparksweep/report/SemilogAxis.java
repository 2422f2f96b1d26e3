package io.sparksweep.report;

import java.awt.Graphics2D;
import java.awt.font.TextAttribute;
import java.awt.geom.Rectangle2D;
import java.text.AttributedString;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.LogTick;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.TickType;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;

/**
 * A base-10 log axis (x, or the learning curves' loss y) ticked as matplotlib's {@code semilogx}
 * ticks it: at each power of ten (labelled 10 with a superscript exponent) when the range spans two
 * decades or more, else at 1, 2 and 5 times the powers of ten (labelled {@code 0.002}, {@code
 * 5e-4}), so a narrow range is not left with one tick or with ticks at odd values.
 */
final class SemilogAxis extends LogAxis {
  private static final long serialVersionUID = 1L;

  /** Ranges spanning at least this many decades are ticked at powers of ten only. */
  static final double DECADE_TICKS_FROM = 2.0;

  private static final double[] MANTISSAS = {1, 2, 5};

  /**
   * A new axis.
   *
   * @param label the axis label
   */
  SemilogAxis(String label) {
    super(label);
    setBase(10);
    setSmallestValue(1e-300);
    setLowerMargin(0.04);
    setUpperMargin(0.04);
    DecimalFormat integer = new DecimalFormat("0", DecimalFormatSymbols.getInstance(Locale.ROOT));
    setBaseFormatter(integer);
    setTickUnit(new NumberTickUnit(1.0, integer), false, true);
  }

  @Override
  @SuppressWarnings("rawtypes") // LogAxis returns a raw List
  protected List refreshTicksHorizontal(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    List ticks =
        ticks(RectangleEdge.TOP.equals(edge) ? TextAnchor.BOTTOM_CENTER : TextAnchor.TOP_CENTER);
    return ticks != null ? ticks : super.refreshTicksHorizontal(g2, dataArea, edge);
  }

  @Override
  @SuppressWarnings("rawtypes") // LogAxis returns a raw List
  protected List refreshTicksVertical(Graphics2D g2, Rectangle2D dataArea, RectangleEdge edge) {
    List ticks =
        ticks(RectangleEdge.RIGHT.equals(edge) ? TextAnchor.CENTER_LEFT : TextAnchor.CENTER_RIGHT);
    return ticks != null ? ticks : super.refreshTicksVertical(g2, dataArea, edge);
  }

  /** The 1-2-5 ticks of a range under {@link #DECADE_TICKS_FROM} decades, else null. */
  @SuppressWarnings({"rawtypes", "unchecked"}) // LogAxis's tick lists are raw
  private List ticks(TextAnchor anchor) {
    double low = getLowerBound();
    double high = getUpperBound();
    if (!(low > 0) || Math.log10(high) - Math.log10(low) >= DECADE_TICKS_FROM) {
      return null;
    }
    List ticks = new ArrayList();
    for (int k = (int) Math.floor(Math.log10(low)); k <= (int) Math.ceil(Math.log10(high)); k++) {
      for (double m : MANTISSAS) {
        // m·10^k through a decimal string, so 2e-3 is the double nearest 0.002.
        double v = Double.parseDouble(((int) m) + "e" + k);
        if (v >= low && v <= high) {
          AttributedString label = new AttributedString(Format.compact(v));
          label.addAttribute(TextAttribute.FONT, getTickLabelFont());
          ticks.add(new LogTick(TickType.MAJOR, v, label, anchor));
        }
      }
    }
    return ticks;
  }
}
