package io.sparksweep.report;

import io.sparksweep.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Objects;

/**
 * Convolutional filters tiled into one image, as the notebooks' {@code visualize_grid} does for
 * {@code model.params['W1'].transpose(0, 2, 3, 1)} followed by {@code astype('uint8')}.
 *
 * <p>Each of the N tiles is min-max normalised on its own to {@code 255·(x − min)/(max − min)}
 * (over all its channels) and truncated to an integer; tiles sit on a {@code ceil(sqrt(N))} square
 * grid, row by row, separated by {@code padding} black pixels; unused cells stay black. A
 * three-channel filter is one RGB tile (channel 0 red); a one-channel filter is a grey tile; a
 * filter with any other channel count C gives C grey tiles, one per channel, in (filter, channel)
 * order. A constant tile (max = min, where numpy would divide by zero) or one holding a non-finite
 * weight is black.
 */
public final class FilterGrid {
  /** The notebooks' {@code visualize_grid} default padding. */
  public static final int DEFAULT_PADDING = 1;

  /** {@link #displayFactor} enlarges a grid's longer side to at most this many pixels. */
  static final int TARGET_SIZE = 400;

  private FilterGrid() {}

  /**
   * The grid image of a filter bank, one pixel per weight.
   *
   * @param w filter weights of shape (F, C, HH, WW)
   * @param padding blank pixels between tiles (&ge; 0)
   * @return an RGB image of height {@code HH·g + padding·(g − 1)} and width {@code WW·g +
   *     padding·(g − 1)}, where {@code g = ceil(sqrt(N))} and N is the number of tiles
   */
  public static BufferedImage grid(Tensor w, int padding) {
    checkWeights(w);
    if (padding < 0) {
      throw new IllegalArgumentException("padding must be >= 0, got " + padding);
    }
    int filters = w.dim(0);
    int channels = w.dim(1);
    int hh = w.dim(2);
    int ww = w.dim(3);
    boolean colour = channels == 3;
    boolean perChannel = channels != 1 && channels != 3;
    int tiles = perChannel ? filters * channels : filters;
    int g = (int) Math.ceil(Math.sqrt(tiles));
    int height = hh * g + padding * (g - 1);
    int width = ww * g + padding * (g - 1);
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    int plane = hh * ww;
    for (int t = 0; t < tiles; t++) {
      // A tile is `span` consecutive planes of W1, starting at plane `first`.
      int first = perChannel ? t : t * channels;
      int span = perChannel ? 1 : channels;
      double low = Double.POSITIVE_INFINITY;
      double high = Double.NEGATIVE_INFINITY;
      for (int i = first * plane; i < (first + span) * plane; i++) {
        double v = w.getFlat(i);
        low = Math.min(low, v);
        high = Math.max(high, v);
      }
      int y0 = (t / g) * (hh + padding);
      int x0 = (t % g) * (ww + padding);
      for (int y = 0; y < hh; y++) {
        for (int x = 0; x < ww; x++) {
          int offset = first * plane + y * ww + x;
          int rgb;
          if (colour) {
            int r = level(w.getFlat(offset), low, high);
            int gr = level(w.getFlat(offset + plane), low, high);
            int b = level(w.getFlat(offset + 2 * plane), low, high);
            rgb = (r << 16) | (gr << 8) | b;
          } else {
            int v = level(w.getFlat(offset), low, high);
            rgb = (v << 16) | (v << 8) | v;
          }
          image.setRGB(x0 + x, y0 + y, rgb);
        }
      }
    }
    return image;
  }

  /**
   * {@code image} enlarged by an integer factor with nearest-neighbour sampling (the notebooks'
   * {@code image.interpolation = 'nearest'}), so each weight stays a sharp square.
   *
   * @param image a grid from {@link #grid}
   * @param factor the enlargement (&ge; 1)
   * @return an image {@code factor} times as wide and as tall
   */
  public static BufferedImage upscale(BufferedImage image, int factor) {
    Objects.requireNonNull(image, "image");
    if (factor < 1) {
      throw new IllegalArgumentException("factor must be >= 1, got " + factor);
    }
    int w = image.getWidth();
    int h = image.getHeight();
    BufferedImage out = new BufferedImage(w * factor, h * factor, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w * factor];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        Arrays.fill(row, x * factor, (x + 1) * factor, image.getRGB(x, y));
      }
      for (int dy = 0; dy < factor; dy++) {
        out.setRGB(0, y * factor + dy, w * factor, 1, row, 0, w * factor);
      }
    }
    return out;
  }

  /**
   * The factor {@link ReportRenderer} enlarges a grid by: the largest integer keeping its longer
   * side within {@link #TARGET_SIZE} pixels, at least 1.
   *
   * @param image a grid
   * @return the factor (&ge; 1)
   */
  public static int displayFactor(BufferedImage image) {
    return Math.max(1, TARGET_SIZE / Math.max(image.getWidth(), image.getHeight()));
  }

  /** The 8-bit level of {@code v} in a tile spanning [low, high]: numpy's {@code astype}. */
  private static int level(double v, double low, double high) {
    if (!(high > low)) {
      return 0;
    }
    // astype('uint8') truncates toward zero; the value is within [0, 255] up to rounding.
    int level = (int) (255.0 * (v - low) / (high - low));
    return Math.max(0, Math.min(255, level));
  }

  static void checkWeights(Tensor w) {
    Objects.requireNonNull(w, "weights");
    if (w.rank() != 4 || w.size() == 0) {
      throw new IllegalArgumentException(
          "filter weights w must have shape (F, C, HH, WW) with every dimension > 0, got "
              + w.shapeString());
    }
  }
}
