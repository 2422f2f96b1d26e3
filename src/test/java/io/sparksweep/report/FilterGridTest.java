package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class FilterGridTest {
  private static int rgb(int r, int g, int b) {
    return (r << 16) | (g << 8) | b;
  }

  private static int px(BufferedImage image, int x, int y) {
    return image.getRGB(x, y) & 0xFFFFFF;
  }

  /**
   * Two RGB 2×2 filters: filter 0 holds c·4 + y·2 + x (0..11), filter 1 its negation. Levels are
   * floor(255·(v − min)/(max − min)), worked out by hand below.
   */
  private static Tensor twoColourFilters() {
    Tensor w = Tensor.zeros(DType.FLOAT64, 2, 3, 2, 2);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 2; y++) {
        for (int x = 0; x < 2; x++) {
          w.set(c * 4 + y * 2 + x, 0, c, y, x);
          w.set(-(c * 4 + y * 2 + x), 1, c, y, x);
        }
      }
    }
    return w;
  }

  @Test
  void colourFiltersAreScaledPerFilterAndTiledWithPadding() {
    BufferedImage grid = FilterGrid.grid(twoColourFilters(), 1);
    // 2 filters: a 2×2 grid of 2×2 tiles with 1 pixel between them.
    assertEquals(5, grid.getWidth());
    assertEquals(5, grid.getHeight());
    // Filter 0, pixel (0, 0): R v=0 → 0, G v=4 → 255·4/11 = 92.7 → 92, B v=8 → 185.45 → 185.
    assertEquals(rgb(0, 92, 185), px(grid, 0, 0));
    // Filter 0, pixel (1, 1): R v=3 → 69.5 → 69, G v=7 → 162.3 → 162, B v=11 → 255.
    assertEquals(rgb(69, 162, 255), px(grid, 1, 1));
    // Filter 1 starts at x = 2 + 1. Pixel (0, 0): v = 0, -4, -8 over [-11, 0] → 255, 162, 69.
    assertEquals(rgb(255, 162, 69), px(grid, 3, 0));
    // Filter 1, pixel (1, 0): v = -1, -5, -9 → 255·10/11 = 231.8, 255·6/11 = 139.1, 255·2/11 =
    // 46.4.
    assertEquals(rgb(231, 139, 46), px(grid, 4, 0));
    // Padding and the unused cell are black.
    assertEquals(0, px(grid, 2, 0));
    assertEquals(0, px(grid, 0, 2));
    assertEquals(0, px(grid, 1, 3));
    assertEquals(0, px(grid, 4, 4));
  }

  @Test
  void levelsAreTruncatedNotRounded() {
    // One grey 1×3 filter [0, 6, 7]: 255·6/7 = 218.57 → 218 (rounding would give 219).
    Tensor w = Tensor.of(DType.FLOAT32, new double[] {0, 6, 7}, 1, 1, 1, 3);
    BufferedImage grid = FilterGrid.grid(w, 1);
    assertEquals(3, grid.getWidth());
    assertEquals(1, grid.getHeight());
    assertEquals(rgb(0, 0, 0), px(grid, 0, 0));
    assertEquals(rgb(218, 218, 218), px(grid, 1, 0));
    assertEquals(rgb(255, 255, 255), px(grid, 2, 0));
  }

  @Test
  void greyFiltersOfFloat32() {
    // Five 1-channel 2×3 filters 0..5 (+ f): levels 51·k, on a 3×3 grid (ceil(sqrt 5) = 3).
    Tensor w = Tensor.zeros(DType.FLOAT32, 5, 1, 2, 3);
    for (int f = 0; f < 5; f++) {
      for (int k = 0; k < 6; k++) {
        w.set(k + f, f, 0, k / 3, k % 3);
      }
    }
    BufferedImage grid = FilterGrid.grid(w, 2);
    assertEquals(3 * 3 + 2 * 2, grid.getWidth());
    assertEquals(3 * 2 + 2 * 2, grid.getHeight());
    // Filter 4 sits in row 1, column 1: x0 = 5, y0 = 4. Its pixel (2, 1) holds k = 5 → 255.
    assertEquals(rgb(255, 255, 255), px(grid, 5 + 2, 4 + 1));
    // Its pixel (1, 0) holds k = 1 → 51.
    assertEquals(rgb(51, 51, 51), px(grid, 5 + 1, 4));
  }

  @Test
  void otherChannelCountsGiveOneGreyTilePerChannel() {
    // One filter with 2 channels of 1×2: [0, 1] and [5, 3].
    Tensor w = Tensor.of(DType.FLOAT64, new double[] {0, 1, 5, 3}, 1, 2, 1, 2);
    BufferedImage grid = FilterGrid.grid(w, 1);
    // 2 tiles → 2×2 grid of 1×2 tiles: width 2·2 + 1, height 1·2 + 1.
    assertEquals(5, grid.getWidth());
    assertEquals(3, grid.getHeight());
    assertEquals(rgb(255, 255, 255), px(grid, 1, 0));
    // Channel 1 is tile 1 at x0 = 3: [5, 3] over [3, 5] → 255, 0.
    assertEquals(rgb(255, 255, 255), px(grid, 3, 0));
    assertEquals(0, px(grid, 4, 0));
  }

  @Test
  void constantFiltersAreBlack() {
    Tensor w = Tensor.full(DType.FLOAT64, 0.3, 1, 1, 2, 2);
    BufferedImage grid = FilterGrid.grid(w, 1);
    assertEquals(0, px(grid, 0, 0));
    assertEquals(0, px(grid, 1, 1));
  }

  @Test
  void upscaleRepeatsEachPixel() {
    BufferedImage grid = FilterGrid.grid(twoColourFilters(), 1);
    BufferedImage big = FilterGrid.upscale(grid, 3);
    assertEquals(15, big.getWidth());
    assertEquals(15, big.getHeight());
    for (int y = 0; y < 15; y++) {
      for (int x = 0; x < 15; x++) {
        assertEquals(px(grid, x / 3, y / 3), px(big, x, y), "pixel " + x + "," + y);
      }
    }
    assertEquals(80, FilterGrid.displayFactor(grid));
  }

  @Test
  void weightsMustBeFourDimensional() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> FilterGrid.grid(Tensor.zeros(DType.FLOAT32, 3, 7, 7), 1));
    assertEquals(
        "filter weights w must have shape (F, C, HH, WW) with every dimension > 0, got (3, 7, 7)",
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> FilterGrid.grid(Tensor.zeros(DType.FLOAT32, 1, 1, 2, 2), -1));
  }
}
