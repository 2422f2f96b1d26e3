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

  /**
   * Whether {@link #forward} computes this geometry's convolution: stride 1, and output rows of
   * whole micro-tiles (W' a multiple of 2L) on 512-bit vectors (the 8-row micro-kernel's 16
   * accumulators need 32 registers).
   */
  public static boolean implicit(Im2Col.Geometry g) {
    return AVAILABLE && L >= 16 && g.stride() == 1 && g.outWidth() % (2 * L) == 0;
  }

  /**
   * {@code offsets[(c·HH + kh)·WW + kw]}: where row (c, kh, kw) of the column matrix starts in the
   * padded image, for output position (0, 0); position (oh, ow) is {@code oh·(W + 2·pad) + ow}
   * further on.
   *
   * @param offsets at least C·HH·WW ints, overwritten
   */
  public static void rowOffsets(Im2Col.Geometry g, int[] offsets) {
    int ph = g.height() + 2 * g.pad();
    int pw = g.width() + 2 * g.pad();
    int k = 0;
    for (int c = 0; c < g.channels(); c++) {
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          offsets[k++] = (c * ph + kh) * pw + kw;
        }
      }
    }
  }

  /**
   * One image's convolution without a column matrix (an implicit GEMM): {@code out[jf, oh·W' + ow]
   * = b[jf] + Σ_k w[jf, k] · xp[offsets[k] + oh·(W + 2·pad) + ow]}, for a geometry that {@link
   * #implicit} accepts. Each micro-tile keeps 8 filters × 2L columns of one output row in
   * registers, starting from the bias, and reads its B vectors straight from the padded image
   * (which stays in L1), as {@code VectorSgemm}'s 8-row kernel reads a plain B; filters past the
   * last multiple of 8 run one at a time.
   *
   * @param w the filters (F, C·HH·WW), row-major
   * @param offsets {@link #rowOffsets} of the geometry
   * @param out the image's (F, H'·W') output from {@code outOff}, overwritten
   */
  public static void forward(
      Im2Col.Geometry g,
      int f,
      float[] w,
      float[] b,
      float[] xp,
      int[] offsets,
      float[] out,
      int outOff) {
    int k = g.patchSize();
    int p = g.outPixels();
    int outW = g.outWidth();
    int pw = g.width() + 2 * g.pad();
    int jf = 0;
    for (; jf + 8 <= f; jf += 8) {
      for (int oh = 0; oh < g.outHeight(); oh++) {
        for (int ow = 0; ow < outW; ow += 2 * L) {
          rows8(
              k,
              w,
              jf * k,
              b,
              jf,
              xp,
              offsets,
              oh * pw + ow,
              out,
              outOff + jf * p + oh * outW + ow,
              p);
        }
      }
    }
    for (; jf < f; jf++) {
      for (int oh = 0; oh < g.outHeight(); oh++) {
        for (int ow = 0; ow < outW; ow += 2 * L) {
          row1(
              k,
              w,
              jf * k,
              b[jf],
              xp,
              offsets,
              oh * pw + ow,
              out,
              outOff + jf * p + oh * outW + ow);
        }
      }
    }
  }

  private static void rows8(
      int k,
      float[] w,
      int wOff,
      float[] b,
      int jf,
      float[] xp,
      int[] offsets,
      int at,
      float[] out,
      int o,
      int ldc) {
    FloatVector c00 = FloatVector.broadcast(F, b[jf]);
    FloatVector c01 = c00;
    FloatVector c10 = FloatVector.broadcast(F, b[jf + 1]);
    FloatVector c11 = c10;
    FloatVector c20 = FloatVector.broadcast(F, b[jf + 2]);
    FloatVector c21 = c20;
    FloatVector c30 = FloatVector.broadcast(F, b[jf + 3]);
    FloatVector c31 = c30;
    FloatVector c40 = FloatVector.broadcast(F, b[jf + 4]);
    FloatVector c41 = c40;
    FloatVector c50 = FloatVector.broadcast(F, b[jf + 5]);
    FloatVector c51 = c50;
    FloatVector c60 = FloatVector.broadcast(F, b[jf + 6]);
    FloatVector c61 = c60;
    FloatVector c70 = FloatVector.broadcast(F, b[jf + 7]);
    FloatVector c71 = c70;
    for (int q = 0, ai = wOff; q < k; q++, ai++) {
      int bi = offsets[q] + at;
      FloatVector b0 = FloatVector.fromArray(F, xp, bi);
      FloatVector b1 = FloatVector.fromArray(F, xp, bi + L);
      FloatVector av = FloatVector.broadcast(F, w[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(F, w[ai + k]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(F, w[ai + 2 * k]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(F, w[ai + 3 * k]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(F, w[ai + 4 * k]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(F, w[ai + 5 * k]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
      av = FloatVector.broadcast(F, w[ai + 6 * k]);
      c60 = av.fma(b0, c60);
      c61 = av.fma(b1, c61);
      av = FloatVector.broadcast(F, w[ai + 7 * k]);
      c70 = av.fma(b0, c70);
      c71 = av.fma(b1, c71);
    }
    c00.intoArray(out, o);
    c01.intoArray(out, o + L);
    c10.intoArray(out, o + ldc);
    c11.intoArray(out, o + ldc + L);
    c20.intoArray(out, o + 2 * ldc);
    c21.intoArray(out, o + 2 * ldc + L);
    c30.intoArray(out, o + 3 * ldc);
    c31.intoArray(out, o + 3 * ldc + L);
    c40.intoArray(out, o + 4 * ldc);
    c41.intoArray(out, o + 4 * ldc + L);
    c50.intoArray(out, o + 5 * ldc);
    c51.intoArray(out, o + 5 * ldc + L);
    c60.intoArray(out, o + 6 * ldc);
    c61.intoArray(out, o + 6 * ldc + L);
    c70.intoArray(out, o + 7 * ldc);
    c71.intoArray(out, o + 7 * ldc + L);
  }

  private static void row1(
      int k,
      float[] w,
      int wOff,
      float bias,
      float[] xp,
      int[] offsets,
      int at,
      float[] out,
      int o) {
    FloatVector c0 = FloatVector.broadcast(F, bias);
    FloatVector c1 = c0;
    for (int q = 0; q < k; q++) {
      int bi = offsets[q] + at;
      FloatVector av = FloatVector.broadcast(F, w[wOff + q]);
      c0 = av.fma(FloatVector.fromArray(F, xp, bi), c0);
      c1 = av.fma(FloatVector.fromArray(F, xp, bi + L), c1);
    }
    c0.intoArray(out, o);
    c1.intoArray(out, o + L);
  }
}
