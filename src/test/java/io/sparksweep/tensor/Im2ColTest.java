package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Im2ColTest {

  static Stream<Im2Col.Geometry> geometries() {
    return Stream.of(
        new Im2Col.Geometry(3, 5, 5, 3, 3, 1, 1),
        new Im2Col.Geometry(2, 7, 6, 3, 2, 1, 0),
        new Im2Col.Geometry(3, 10, 7, 5, 2, 3, 2),
        new Im2Col.Geometry(2, 3, 3, 2, 2, 1, 3),
        new Im2Col.Geometry(3, 31, 31, 3, 3, 2, 1),
        new Im2Col.Geometry(4, 4, 6, 1, 1, 1, 0),
        new Im2Col.Geometry(1, 4, 4, 4, 4, 1, 0),
        // Stride 1 with W' = W takes the contiguous-copy path: the convnet's 7×7 "same" filter,
        // filters larger than the image, and a filter whose height differs from its width.
        new Im2Col.Geometry(3, 32, 32, 7, 7, 1, 3),
        new Im2Col.Geometry(2, 6, 5, 5, 5, 1, 2),
        new Im2Col.Geometry(1, 2, 2, 5, 5, 1, 2),
        new Im2Col.Geometry(2, 5, 6, 1, 3, 1, 1),
        new Im2Col.Geometry(1, 3, 1, 3, 3, 1, 1));
  }

  /** im2col by its definition: entry (row (c, kh, kw), column (oh, ow)) = padded x at the tap. */
  private static double[] definition(Im2Col.Geometry g, double[] x) {
    int outH = g.outHeight();
    int outW = g.outWidth();
    double[] cols = new double[g.patchSize() * outH * outW];
    for (int c = 0; c < g.channels(); c++) {
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          int row = (c * g.filterHeight() + kh) * g.filterWidth() + kw;
          for (int oh = 0; oh < outH; oh++) {
            for (int ow = 0; ow < outW; ow++) {
              int ih = oh * g.stride() - g.pad() + kh;
              int iw = ow * g.stride() - g.pad() + kw;
              boolean inside = ih >= 0 && ih < g.height() && iw >= 0 && iw < g.width();
              cols[(row * outH + oh) * outW + ow] =
                  inside ? x[(c * g.height() + ih) * g.width() + iw] : 0.0;
            }
          }
        }
      }
    }
    return cols;
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void im2colMatchesItsDefinitionInBothPrecisions(Im2Col.Geometry g) {
    SplittableRandom rng = new SplittableRandom(7);
    int offset = 3; // a second image's worth of offset is exercised by a non-zero start
    double[] x = new double[offset + g.imageSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble() - 0.5;
    }
    double[] image = Arrays.copyOfRange(x, offset, x.length);
    double[] expected = definition(g, image);

    double[] cols64 = new double[5 + expected.length];
    Arrays.fill(cols64, Double.NaN); // every entry must be written
    Im2Col.im2col(g, x, offset, cols64, 5);
    float[] x32 = new float[x.length];
    for (int i = 0; i < x.length; i++) {
      x32[i] = (float) x[i];
    }
    float[] cols32 = new float[expected.length];
    Arrays.fill(cols32, Float.NaN);
    Im2Col.im2col(g, x32, offset, cols32, 0);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], cols64[5 + i], 0.0, "float64 entry " + i);
      assertEquals((float) expected[i], cols32[i], 0.0f, "float32 entry " + i);
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void im2colRowsIsTheBandOfTheWholeMatrix(Im2Col.Geometry g) {
    SplittableRandom rng = new SplittableRandom(9);
    float[] x = new float[2 + g.imageSize()];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (rng.nextDouble() - 0.5);
    }
    int outW = g.outWidth();
    int p = g.outPixels();
    float[] whole = new float[g.patchSize() * p];
    Im2Col.im2col(g, x, 2, whole, 0);
    for (int oh0 = 0; oh0 < g.outHeight(); oh0++) {
      for (int oh1 = oh0 + 1; oh1 <= g.outHeight(); oh1++) {
        int band = (oh1 - oh0) * outW;
        float[] cols = new float[3 + g.patchSize() * band];
        Arrays.fill(cols, Float.NaN); // every entry must be written
        Im2Col.im2colRows(g, x, 2, cols, 3, oh0, oh1);
        for (int r = 0; r < g.patchSize(); r++) {
          for (int j = 0; j < band; j++) {
            assertEquals(
                whole[r * p + oh0 * outW + j],
                cols[3 + r * band + j],
                0f,
                "rows " + oh0 + "–" + oh1 + ": entry (" + r + ", " + j + ")");
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("geometries")
  void col2imIsTheAdjointOfIm2col(Im2Col.Geometry g) {
    // <im2col(x), c> = <x, col2im(c)> for every x and c characterises col2im as im2col's transpose.
    SplittableRandom rng = new SplittableRandom(11);
    double[] x = new double[g.imageSize()];
    double[] c = new double[g.patchSize() * g.outPixels()];
    for (int i = 0; i < x.length; i++) {
      x[i] = rng.nextDouble() - 0.5;
    }
    for (int i = 0; i < c.length; i++) {
      c[i] = rng.nextDouble() - 0.5;
    }
    double[] cols = definition(g, x);
    double lhs = 0;
    for (int i = 0; i < c.length; i++) {
      lhs += cols[i] * c[i];
    }
    double[] back = new double[x.length];
    Im2Col.col2imAdd(g, c, 0, back, 0);
    double rhs = 0;
    for (int i = 0; i < x.length; i++) {
      rhs += x[i] * back[i];
    }
    assertEquals(lhs, rhs, 1e-12 * Math.max(1, Math.abs(lhs)));

    float[] c32 = new float[c.length];
    for (int i = 0; i < c.length; i++) {
      c32[i] = (float) c[i];
    }
    float[] back32 = new float[x.length];
    Im2Col.col2imAdd(g, c32, 0, back32, 0);
    for (int i = 0; i < x.length; i++) {
      assertEquals(back[i], back32[i], 1e-5, "float32 col2im entry " + i);
    }
  }

  @Test
  void col2imAccumulatesIntoItsOutput() {
    Im2Col.Geometry g = new Im2Col.Geometry(1, 3, 3, 2, 2, 1, 0);
    double[] c = new double[g.patchSize() * g.outPixels()];
    Arrays.fill(c, 1.0);
    double[] dx = new double[9];
    Arrays.fill(dx, 10.0);
    Im2Col.col2imAdd(g, c, 0, dx, 0);
    // Each pixel receives one per window covering it: corners 1, edges 2, centre 4.
    double[] expected = {11, 12, 11, 12, 14, 12, 11, 12, 11};
    for (int i = 0; i < 9; i++) {
      assertEquals(expected[i], dx[i], 0.0);
    }
  }

  @Test
  void geometryRejectsNonIntegralOutputAndOversizedFilters() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new Im2Col.Geometry(1, 4, 4, 3, 3, 2, 0));
    assertTrue(e.getMessage().contains("stride"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new Im2Col.Geometry(1, 4, 4, 7, 3, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new Im2Col.Geometry(0, 4, 4, 1, 1, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> new Im2Col.Geometry(1, 4, 4, 1, 1, 0, 0));
  }

  @Test
  void identityGeometryIsDetected() {
    assertTrue(new Im2Col.Geometry(3, 4, 4, 1, 1, 1, 0).isIdentity());
    assertTrue(!new Im2Col.Geometry(3, 5, 5, 1, 1, 2, 0).isIdentity());
    assertTrue(!new Im2Col.Geometry(3, 4, 4, 1, 1, 1, 1).isIdentity());
  }
}
