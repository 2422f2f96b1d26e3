package io.sparksweep.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.block.LengthConstraintType;
import org.jfree.chart.block.RectangleConstraint;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleInsets;

/**
 * A figure of the notebooks' kind: a title, panels stacked like {@code plt.subplot(n, 1, i)}, each
 * a whole JFreeChart with its own title and labelled axes, and one legend under them that serves
 * every panel (the panels draw their series in the same colours).
 *
 * @param title the figure's title
 * @param panels the panels, top to bottom
 * @param legend the shared legend; null for none
 * @param panelHeight height of each panel in pixels
 */
record Figure(String title, List<JFreeChart> panels, LegendTitle legend, int panelHeight) {
  /** Figure width in pixels. */
  static final int WIDTH = 1000;

  /** Title font of the whole figure. */
  static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 20);

  Figure {
    panels = List.copyOf(panels);
  }

  /**
   * Draws the figure, {@link #WIDTH} pixels wide and as tall as its parts need.
   *
   * @return an RGB image on white
   */
  BufferedImage render() {
    TextTitle header = new TextTitle(title, TITLE_FONT);
    header.setPadding(new RectangleInsets(12, 8, 4, 8));
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D measure = scratch.createGraphics();
    hints(measure);
    RectangleConstraint fullWidth =
        new RectangleConstraint(
            WIDTH, null, LengthConstraintType.FIXED, 0, null, LengthConstraintType.NONE);
    double headerHeight = Math.ceil(header.arrange(measure, fullWidth).getHeight());
    double legendHeight =
        legend == null ? 0 : Math.ceil(legend.arrange(measure, fullWidth).getHeight());
    measure.dispose();

    int height = (int) (headerHeight + panels.size() * panelHeight + legendHeight);
    BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      hints(g);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, height);
      header.draw(g, new Rectangle2D.Double(0, 0, WIDTH, headerHeight));
      double y = headerHeight;
      for (JFreeChart panel : panels) {
        panel.draw(g, new Rectangle2D.Double(0, y, WIDTH, panelHeight));
        y += panelHeight;
      }
      if (legend != null) {
        legend.draw(g, new Rectangle2D.Double(0, y, WIDTH, legendHeight));
      }
    } finally {
      g.dispose();
    }
    return image;
  }

  private static void hints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(
        RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
  }
}
