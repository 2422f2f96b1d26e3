package io.sparksweep.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 im2col of stride-1 convolutions from a zero-padded copy of the image, on the incubating
 * Vector API: with the padding in the copy, every row of the column matrix is {@code W'}
 * consecutive floats of one padded row, copied in whole vectors, with no edge cases and no zeroing
 * pass ({@link Im2Col#im2colRows} copies the valid runs and zeroes the rest, row by row). The
 * padded copy also feeds {@link VectorPatchGrad#strips}.
 */
public final class VectorIm2Col {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /**
   * Whether the kernels run here: at least 256-bit float vectors, in the preferred shape (see
   * {@link VectorPool2x2#AVAILABLE} on why one shape).
   */
  public static final boolean AVAILABLE = L >= 8;

  /** Floats a column buffer needs past its C·HH·WW × rows·W' matrix: the last copy's over-write. */
  public static final int SLACK = L;

  private VectorIm2Col() {}

  /** Floats of the zero-padded image buffer of {@link #pad}, with room for over-reads. */
  public static int paddedSize(Im2Col.Geometry g) {
    return g.channels() * (g.height() + 2 * g.pad()) * (g.width() + 2 * g.pad()) + L;
  }

  /**
   * Copies one image (C, H, W) into the interior of the zero-padded image {@code xp} (C, H + 2·pad,
   * W + 2·pad); the border is not written, so {@code xp} must hold zeros there (fill it once, then
   * pad image after image).
   */
  public static void pad(Im2Col.Geometry g, float[] x, int xOff, float[] xp) {
    int h = g.height();
    int w = g.width();
    int pad = g.pad();
    int ph = h + 2 * pad;
    int pw = w + 2 * pad;
    for (int c = 0; c < g.channels(); c++) {
      for (int ih = 0; ih < h; ih++) {
        System.arraycopy(x, xOff + (c * h + ih) * w, xp, (c * ph + ih + pad) * pw + pad, w);
      }
    }
  }

  /**
   * The rows {@code oh0 … oh1 − 1} of a stride-1 image's column matrix, as {@link
   * Im2Col#im2colRows} writes them (a (C·HH·WW, (oh1 − oh0)·W') band from index 0), read from its
   * padded copy {@code xp}: row (c, kh, kw), column (oh − oh0)·W' + ow is {@code xp[c, oh + kh, ow
   * + kw]}. Written in increasing order in whole vectors; the lanes past a row's end are
   * overwritten by the next row, the last ones land in the {@link #SLACK}.
   *
   * @param cols at least C·HH·WW·(oh1 − oh0)·W' + {@link #SLACK} floats
   */
  public static void im2colRows(Im2Col.Geometry g, float[] xp, float[] cols, int oh0, int oh1) {
    int ph = g.height() + 2 * g.pad();
    int pw = g.width() + 2 * g.pad();
    int outW = g.outWidth();
    int d = 0;
    for (int c = 0; c < g.channels(); c++) {
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          for (int oh = oh0, src = (c * ph + oh0 + kh) * pw + kw; oh < oh1; oh++, src += pw) {
            copyRow(xp, src, cols, d, outW);
            d += outW;
          }
        }
      }
    }
  }

  private static void copyRow(float[] xp, int src, float[] cols, int d, int n) {
    for (int t = 0; t < n; t += L) {
      FloatVector.fromArray(F, xp, src + t).intoArray(cols, d + t);
    }
  }
}
