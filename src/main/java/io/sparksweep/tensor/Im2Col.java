package io.sparksweep.tensor;

import java.util.Arrays;

/**
 * The im2col and col2im kernels that turn a convolution into one matrix product per image, in both
 * precisions (paired {@code float}/{@code double} loops, as {@code java.util.Arrays} does).
 *
 * <p>For one image {@code x} of shape (C, H, W), a filter of (HH, WW), a stride and a zero padding,
 * {@link #im2col} writes the matrix {@code cols} of shape (C·HH·WW, H'·W'), row-major: row {@code
 * (c·HH + kh)·WW + kw}, column {@code oh·W' + ow} holds {@code x[c, oh·stride − pad + kh, ow·stride
 * − pad + kw]}, or 0 where that position falls in the padding. With filters {@code w} of shape (F,
 * C·HH·WW) the convolution of the image is then {@code w·cols}, of shape (F, H'·W') — exactly the
 * image's slice of an (N, F, H', W') output, so no transposition is needed. {@link #col2imAdd} is
 * the adjoint (transpose) of {@code im2col}: it adds every entry of a (C·HH·WW, H'·W') matrix back
 * to the input position it was read from, which is how {@code dx} is formed from {@code wᵀ·dout}.
 *
 * <p>Both kernels work on flat arrays with offsets and allocate nothing; the rows are written in
 * the order the input is stored, and for stride 1 the interior of each row is one {@code
 * System.arraycopy}. Arguments are validated once, in {@link Geometry}; the loops check nothing.
 */
public final class Im2Col {
  private Im2Col() {}

  /**
   * The shape of one image's convolution: input (C, H, W), filter (HH, WW), stride, zero padding.
   *
   * @param channels C, at least 1
   * @param height H, at least 1
   * @param width W, at least 1
   * @param filterHeight HH, at least 1, at most H + 2·pad
   * @param filterWidth WW, at least 1, at most W + 2·pad
   * @param stride at least 1, dividing H + 2·pad − HH and W + 2·pad − WW
   * @param pad zero padding on every side, at least 0
   */
  public record Geometry(
      int channels, int height, int width, int filterHeight, int filterWidth, int stride, int pad) {

    /** Validates the geometry (the layers validate earlier, with their own argument names). */
    public Geometry {
      if (channels < 1 || height < 1 || width < 1 || filterHeight < 1 || filterWidth < 1) {
        throw new IllegalArgumentException("geometry dimensions must be at least 1: " + this);
      }
      if (stride < 1 || pad < 0) {
        throw new IllegalArgumentException("stride must be at least 1 and pad at least 0: " + this);
      }
      int spanH = height + 2 * pad - filterHeight;
      int spanW = width + 2 * pad - filterWidth;
      if (spanH < 0 || spanW < 0 || spanH % stride != 0 || spanW % stride != 0) {
        throw new IllegalArgumentException(
            "filter does not fit the padded input an integral number of strides: " + this);
      }
    }

    /** H' = 1 + (H + 2·pad − HH) / stride. */
    public int outHeight() {
      return 1 + (height + 2 * pad - filterHeight) / stride;
    }

    /** W' = 1 + (W + 2·pad − WW) / stride. */
    public int outWidth() {
      return 1 + (width + 2 * pad - filterWidth) / stride;
    }

    /** Rows of the column matrix: C·HH·WW. */
    public int patchSize() {
      return channels * filterHeight * filterWidth;
    }

    /** Columns of the column matrix: H'·W'. */
    public int outPixels() {
      return outHeight() * outWidth();
    }

    /** Elements of one input image: C·H·W. */
    public int imageSize() {
      return channels * height * width;
    }

    /**
     * Whether im2col is the identity (1×1 filter, stride 1, no padding): the image itself, viewed
     * as (C, H·W), is then the column matrix.
     */
    public boolean isIdentity() {
      return filterHeight == 1 && filterWidth == 1 && stride == 1 && pad == 0;
    }

    /** First output column whose input column {@code ow·stride − pad + kw} is inside the image. */
    int firstValid(int kw) {
      int lead = pad - kw;
      return lead <= 0 ? 0 : Math.min(outWidth(), (lead + stride - 1) / stride);
    }

    /** One past the last output column whose input column is inside the image. */
    int endValid(int kw, int first) {
      int last = width - 1 + pad - kw;
      int end = last < 0 ? 0 : Math.min(outWidth(), last / stride + 1);
      return Math.max(end, first);
    }
  }

  /**
   * Float32 im2col of one image.
   *
   * @param g the geometry
   * @param x input storage; the image (C, H, W) starts at {@code xOff}
   * @param cols output storage; the (C·HH·WW, H'·W') matrix is written from {@code colsOff}
   */
  public static void im2col(Geometry g, float[] x, int xOff, float[] cols, int colsOff) {
    im2colRows(g, x, xOff, cols, colsOff, 0, g.outHeight());
  }

  /**
   * Float32 im2col of the output rows {@code oh0 … oh1 − 1} only: the columns {@code oh·W' + ow} of
   * those rows, written as a (C·HH·WW, (oh1 − oh0)·W') matrix from {@code colsOff} (a band of the
   * full matrix, each of its rows shortened to the band). With a band the column matrix fits in a
   * core's L2 cache; the whole one (602 KB for the convnet's 3×32×32 image and 7×7 filters) does
   * not.
   *
   * @param oh0 first output row, {@code 0 ≤ oh0 < oh1}
   * @param oh1 one past the last output row, at most H'
   */
  public static void im2colRows(
      Geometry g, float[] x, int xOff, float[] cols, int colsOff, int oh0, int oh1) {
    if (g.stride() == 1 && g.outWidth() == g.width()) {
      im2colSame(g, x, xOff, cols, colsOff, oh0, oh1);
      return;
    }
    int h = g.height();
    int w = g.width();
    int s = g.stride();
    int pad = g.pad();
    int outW = g.outWidth();
    int row = colsOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = xOff + c * h * w;
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          int lo = g.firstValid(kw);
          int hi = g.endValid(kw, lo);
          for (int oh = oh0; oh < oh1; oh++) {
            int dst = row + (oh - oh0) * outW;
            int ih = oh * s - pad + kh;
            if (ih < 0 || ih >= h) {
              Arrays.fill(cols, dst, dst + outW, 0f);
              continue;
            }
            Arrays.fill(cols, dst, dst + lo, 0f);
            int src = plane + ih * w - pad + kw;
            if (s == 1) {
              System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
            } else {
              for (int ow = lo; ow < hi; ow++) {
                cols[dst + ow] = x[src + ow * s];
              }
            }
            Arrays.fill(cols, dst + hi, dst + outW, 0f);
          }
          row += (oh1 - oh0) * outW;
        }
      }
    }
  }

  /** Float64 twin of {@link #im2col(Geometry, float[], int, float[], int)}. */
  public static void im2col(Geometry g, double[] x, int xOff, double[] cols, int colsOff) {
    if (g.stride() == 1 && g.outWidth() == g.width()) {
      im2colSame(g, x, xOff, cols, colsOff);
      return;
    }
    int h = g.height();
    int w = g.width();
    int s = g.stride();
    int pad = g.pad();
    int outH = g.outHeight();
    int outW = g.outWidth();
    int row = colsOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = xOff + c * h * w;
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          int lo = g.firstValid(kw);
          int hi = g.endValid(kw, lo);
          for (int oh = 0; oh < outH; oh++) {
            int dst = row + oh * outW;
            int ih = oh * s - pad + kh;
            if (ih < 0 || ih >= h) {
              Arrays.fill(cols, dst, dst + outW, 0.0);
              continue;
            }
            Arrays.fill(cols, dst, dst + lo, 0.0);
            int src = plane + ih * w - pad + kw;
            if (s == 1) {
              System.arraycopy(x, src + lo, cols, dst + lo, hi - lo);
            } else {
              for (int ow = lo; ow < hi; ow++) {
                cols[dst + ow] = x[src + ow * s];
              }
            }
            Arrays.fill(cols, dst + hi, dst + outW, 0.0);
          }
          row += outH * outW;
        }
      }
    }
  }

  /**
   * Stride 1 with W' = W ("same" width): a row of cols for (c, kh, kw) is then the plane shifted by
   * (kh − pad) rows and (kw − pad) columns, with equal row strides, so all its valid output rows
   * are one contiguous copy; the entries that copy brings in from a neighbouring row (the columns
   * outside the valid range, at most pad per side) are zeroed afterwards.
   */
  private static void im2colSame(
      Geometry g, float[] x, int xOff, float[] cols, int colsOff, int oh0, int oh1) {
    int h = g.height();
    int w = g.width();
    int pad = g.pad();
    int outW = g.outWidth();
    int rowSize = (oh1 - oh0) * outW;
    int row = colsOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = xOff + c * h * w;
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        int ohLo = Math.max(oh0, pad - kh);
        int ohHi = Math.min(oh1, h + pad - kh);
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          int lo = g.firstValid(kw);
          int hi = g.endValid(kw, lo);
          if (ohLo >= ohHi || hi <= lo) {
            Arrays.fill(cols, row, row + rowSize, 0f);
            row += rowSize;
            continue;
          }
          int dstStart = row + (ohLo - oh0) * outW + lo;
          int dstEnd = row + (ohHi - 1 - oh0) * outW + hi;
          Arrays.fill(cols, row, dstStart, 0f);
          int srcStart = plane + (ohLo - pad + kh) * w + lo - pad + kw;
          System.arraycopy(x, srcStart, cols, dstStart, dstEnd - dstStart);
          Arrays.fill(cols, dstEnd, row + rowSize, 0f);
          if (lo > 0 || hi < outW) {
            for (int oh = ohLo; oh < ohHi; oh++) {
              int r = row + (oh - oh0) * outW;
              for (int ow = 0; ow < lo; ow++) {
                cols[r + ow] = 0f;
              }
              for (int ow = hi; ow < outW; ow++) {
                cols[r + ow] = 0f;
              }
            }
          }
          row += rowSize;
        }
      }
    }
  }

  /**
   * Float32 col2im: adds each entry of the (C·HH·WW, H'·W') matrix {@code cols} to the image
   * position im2col read it from ({@code dx += col2im(cols)}); padding entries are dropped.
   *
   * @param g the geometry
   * @param cols input storage; the matrix starts at {@code colsOff}
   * @param dx output storage, accumulated into; the image (C, H, W) starts at {@code dxOff}
   */
  public static void col2imAdd(Geometry g, float[] cols, int colsOff, float[] dx, int dxOff) {
    int h = g.height();
    int w = g.width();
    int s = g.stride();
    int pad = g.pad();
    int outH = g.outHeight();
    int outW = g.outWidth();
    int row = colsOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = dxOff + c * h * w;
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          int lo = g.firstValid(kw);
          int hi = g.endValid(kw, lo);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * s - pad + kh;
            if (ih < 0 || ih >= h) {
              continue;
            }
            int src = row + oh * outW;
            int dst = plane + ih * w - pad + kw;
            if (s == 1) {
              for (int ow = lo; ow < hi; ow++) {
                dx[dst + ow] += cols[src + ow];
              }
            } else {
              for (int ow = lo; ow < hi; ow++) {
                dx[dst + ow * s] += cols[src + ow];
              }
            }
          }
          row += outH * outW;
        }
      }
    }
  }

  /**
   * Stride 1 with W' = W ("same" width): a row of cols for (c, kh, kw) is then the plane shifted by
   * (kh − pad) rows and (kw − pad) columns, with equal row strides, so all its valid output rows
   * are one contiguous copy; the entries that copy brings in from a neighbouring row (the columns
   * outside the valid range, at most pad per side) are zeroed afterwards.
   */
  private static void im2colSame(Geometry g, double[] x, int xOff, double[] cols, int colsOff) {
    int h = g.height();
    int w = g.width();
    int pad = g.pad();
    int outH = g.outHeight();
    int outW = g.outWidth();
    int rowSize = outH * outW;
    int row = colsOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = xOff + c * h * w;
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        int ohLo = Math.max(0, pad - kh);
        int ohHi = Math.min(outH, h + pad - kh);
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          int lo = g.firstValid(kw);
          int hi = g.endValid(kw, lo);
          if (ohLo >= ohHi || hi <= lo) {
            Arrays.fill(cols, row, row + rowSize, 0.0);
            row += rowSize;
            continue;
          }
          Arrays.fill(cols, row, row + ohLo * outW + lo, 0.0);
          int dstStart = row + ohLo * outW + lo;
          int dstEnd = row + (ohHi - 1) * outW + hi;
          int srcStart = plane + (ohLo - pad + kh) * w + lo - pad + kw;
          System.arraycopy(x, srcStart, cols, dstStart, dstEnd - dstStart);
          Arrays.fill(cols, dstEnd, row + rowSize, 0.0);
          if (lo > 0 || hi < outW) {
            for (int oh = ohLo; oh < ohHi; oh++) {
              int r = row + oh * outW;
              for (int ow = 0; ow < lo; ow++) {
                cols[r + ow] = 0.0;
              }
              for (int ow = hi; ow < outW; ow++) {
                cols[r + ow] = 0.0;
              }
            }
          }
          row += rowSize;
        }
      }
    }
  }

  /** Float64 twin of {@link #col2imAdd(Geometry, float[], int, float[], int)}. */
  public static void col2imAdd(Geometry g, double[] cols, int colsOff, double[] dx, int dxOff) {
    int h = g.height();
    int w = g.width();
    int s = g.stride();
    int pad = g.pad();
    int outH = g.outHeight();
    int outW = g.outWidth();
    int row = colsOff;
    for (int c = 0; c < g.channels(); c++) {
      int plane = dxOff + c * h * w;
      for (int kh = 0; kh < g.filterHeight(); kh++) {
        for (int kw = 0; kw < g.filterWidth(); kw++) {
          int lo = g.firstValid(kw);
          int hi = g.endValid(kw, lo);
          for (int oh = 0; oh < outH; oh++) {
            int ih = oh * s - pad + kh;
            if (ih < 0 || ih >= h) {
              continue;
            }
            int src = row + oh * outW;
            int dst = plane + ih * w - pad + kw;
            if (s == 1) {
              for (int ow = lo; ow < hi; ow++) {
                dx[dst + ow] += cols[src + ow];
              }
            } else {
              for (int ow = lo; ow < hi; ow++) {
                dx[dst + ow * s] += cols[src + ow];
              }
            }
          }
          row += outH * outW;
        }
      }
    }
  }
}
