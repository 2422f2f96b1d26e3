package io.sparksweep.layer;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Gemm;
import io.sparksweep.tensor.Im2Col;
import io.sparksweep.tensor.Kernels;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.VectorIm2Col;
import java.util.Arrays;

/**
 * The fast convolution used in training: per image, {@link Im2Col#im2col} lays the receptive fields
 * out as the columns of a (C·HH·WW, H'·W') matrix and one BLAS gemm with the filters, viewed as (F,
 * C·HH·WW), writes the image's (F, H'·W') output slice in place — the notebooks' {@code
 * conv_forward_fast} ({@code conv_forward_im2col}).
 *
 * <p>Backward, per image {@code n} with column matrix {@code X_n} and upstream gradient {@code D_n}
 * of shape (F, H'·W'):
 *
 * <ul>
 *   <li>{@code dw += D_n · X_nᵀ} (one gemm, accumulated over the batch, computed as its transpose
 *       {@code X_n·D_nᵀ} and transposed once at the end);
 *   <li>{@code dX_n = wᵀ · D_n}, then {@link Im2Col#col2imAdd} scatters dX_n back to dx (the
 *       adjoint of im2col: each input pixel collects the gradients of every window it fell in);
 *   <li>{@code db[f] = Σ_{n, i, j} dout[n, f, i, j]}, accumulated in double.
 * </ul>
 *
 * <p>The column matrices are recomputed in backward rather than cached, so forward and backward
 * each need only one or two image-sized (C·HH·WW × H'·W') scratch buffers, allocated once per call
 * and reused across the batch (they stay in cache; a batch-sized cache would not). A 1×1 filter at
 * stride 1 without padding skips im2col altogether: the image is its own column matrix. Float32
 * uses sgemm, float64 dgemm; the paired loops are otherwise identical.
 */
public final class Im2ColConv2d implements Conv2d {
  /** The single (stateless) instance. */
  public static final Im2ColConv2d INSTANCE = new Im2ColConv2d();

  private Im2ColConv2d() {}

  @Override
  public Forward<ConvCache> forward(Tensor x, Tensor w, Tensor b, ConvSpec spec) {
    Im2Col.Geometry g = ConvChecks.convForward(x, w, b, spec);
    int n = x.dim(0);
    int f = w.dim(0);
    Tensor out = Tensor.zeros(x.dtype(), n, f, g.outHeight(), g.outWidth());
    if (x.dtype() == DType.FLOAT32) {
      forward(g, n, f, x.f32(), w.f32(), b.f32(), out.f32());
    } else {
      forward(g, n, f, x.f64(), w.f64(), b.f64(), out.f64());
    }
    return new Forward<>(out, new ConvCache(x, w, spec));
  }

  @Override
  public ConvGrads backward(Tensor dout, ConvCache cache, boolean computeDx) {
    Im2Col.Geometry g = ConvChecks.convBackward(dout, cache);
    Tensor x = cache.x();
    Tensor w = cache.w();
    int n = x.dim(0);
    int f = w.dim(0);
    Tensor dx = computeDx ? x.zerosLike() : null;
    Tensor dw = w.zerosLike();
    double[] db = new double[f];
    if (x.dtype() == DType.FLOAT32) {
      backward(g, n, f, x.f32(), w.f32(), dout.f32(), computeDx ? dx.f32() : null, dw.f32(), db);
    } else {
      backward(g, n, f, x.f64(), w.f64(), dout.f64(), computeDx ? dx.f64() : null, dw.f64(), db);
    }
    return new ConvGrads(dx, dw, Tensor.of(x.dtype(), db, f));
  }

  // ---------------------------------------------------------------- float32 kernels

  private static void forward(
      Im2Col.Geometry g, int n, int f, float[] x, float[] w, float[] b, float[] out) {
    float[] cols = g.isIdentity() ? null : new float[g.patchSize() * g.outPixels()];
    for (int img = 0; img < n; img++) {
      forwardImage(g, f, x, img * g.imageSize(), w, b, out, img * f * g.outPixels(), cols);
    }
  }

  /**
   * One image's forward: {@code out_n = w·im2col(x_n) + b}.
   *
   * @param cols scratch of C·HH·WW × H'·W' elements (unused, may be null, for an identity geometry)
   */
  static void forwardImage(
      Im2Col.Geometry g,
      int f,
      float[] x,
      int xOff,
      float[] w,
      float[] b,
      float[] out,
      int outOff,
      float[] cols) {
    forwardImage(g, f, x, xOff, w, b, out, outOff, cols, bandRows(g), null, null);
  }

  /**
   * {@link #forwardImage(Im2Col.Geometry, int, float[], int, float[], float[], float[], int,
   * float[])} in bands of {@code rows} output rows (the whole image at once if {@code rows ≥ H'} or
   * the gemm takes no row strides). With {@code xp}, the image's zero-padded copy ({@link
   * VectorIm2Col#pad}, stride 1 only), the columns are copied from it ({@link
   * VectorIm2Col#im2colRows}; cols then needs {@link VectorIm2Col#SLACK} more floats), or, where
   * {@link VectorIm2Col#implicit} accepts the geometry, the convolution reads them in place ({@link
   * VectorIm2Col#forward} with {@code xpOffsets}, its {@link VectorIm2Col#rowOffsets}).
   */
  static void forwardImage(
      Im2Col.Geometry g,
      int f,
      float[] x,
      int xOff,
      float[] w,
      float[] b,
      float[] out,
      int outOff,
      float[] cols,
      int rows,
      float[] xp,
      int[] xpOffsets) {
    int k = g.patchSize();
    int p = g.outPixels();
    if (xp != null && VectorIm2Col.implicit(g)) {
      VectorIm2Col.forward(g, f, w, b, xp, xpOffsets, out, outOff);
      return;
    }
    // out_n starts as the bias broadcast over each filter's row; gemm then adds w·cols (beta=1).
    for (int jf = 0; jf < f; jf++) {
      Arrays.fill(out, outOff + jf * p, outOff + (jf + 1) * p, b[jf]);
    }
    if (g.isIdentity()) {
      Gemm.sgemm(false, false, f, p, k, 1f, w, 0, x, xOff, 1f, out, outOff);
      return;
    }
    if (rows >= g.outHeight() || !Gemm.stridedSgemm()) {
      if (xp != null) {
        VectorIm2Col.im2colRows(g, xp, cols, 0, g.outHeight());
      } else {
        Im2Col.im2col(g, x, xOff, cols, 0);
      }
      Gemm.sgemm(false, false, f, p, k, 1f, w, 0, cols, 0, 1f, out, outOff);
      return;
    }
    // Band by band of output rows: the band's columns (K, rows·W') stay in L2 between im2col and
    // the gemm, which writes the band's columns of out_n (row stride P).
    int outW = g.outWidth();
    for (int oh0 = 0; oh0 < g.outHeight(); oh0 += rows) {
      int oh1 = Math.min(g.outHeight(), oh0 + rows);
      int pb = (oh1 - oh0) * outW;
      if (xp != null) {
        VectorIm2Col.im2colRows(g, xp, cols, oh0, oh1);
      } else {
        Im2Col.im2colRows(g, x, xOff, cols, 0, oh0, oh1);
      }
      Gemm.sgemm(false, false, f, pb, k, 1f, w, 0, k, cols, 0, pb, 1f, out, outOff + oh0 * outW, p);
    }
  }

  /**
   * Float32 column-matrix elements per band of the forward's im2col: 160 KB, within a core's L2
   * (512 KB on Zen 3, 256 KB–2 MB elsewhere) with the gemm's packed panels. Measured on the convnet
   * (K = 147, W' = 32): 8-row bands (150 KB) gave the fastest forward, 16-row bands less, the whole
   * 602 KB matrix least.
   */
  private static final int BAND_ELEMENTS = 40_000;

  /** Output rows per band of the float32 forward (at least 1). */
  static int bandRows(Im2Col.Geometry g) {
    return Math.max(1, BAND_ELEMENTS / (g.patchSize() * g.outWidth()));
  }

  private static void backward(
      Im2Col.Geometry g,
      int n,
      int f,
      float[] x,
      float[] w,
      float[] dout,
      float[] dx,
      float[] dw,
      double[] db) {
    int k = g.patchSize();
    int p = g.outPixels();
    float[] cols = g.isIdentity() ? null : new float[k * p];
    float[] dcols = g.isIdentity() || dx == null ? null : new float[k * p];
    float[] dwT = new float[k * f];
    for (int img = 0; img < n; img++) {
      backwardImage(
          g, f, x, img * g.imageSize(), w, dout, img * f * p, dx, dwT, img == 0, db, cols, dcols);
    }
    transpose(dwT, k, f, dw);
  }

  /**
   * One image's backward, accumulating the weight gradient transposed: {@code dwT (K, F) += cols_n
   * (K, P) · dout_nᵀ (P, F)} (the same product as {@code dout_n·cols_nᵀ}; BLAS runs this
   * orientation about 10% faster here, as the long dimension P becomes the inner one of both
   * operands), {@code db += Σ dout_n} per filter and, when dx is given, {@code dx_n =
   * col2im(wᵀ·dout_n)}.
   *
   * @param dwT (C·HH·WW, F) weight gradient, transposed; overwritten when {@code first}
   * @param db per-filter bias gradient, accumulated into; null when the caller sums it itself
   * @param cols scratch of K × P elements (null for an identity geometry)
   * @param dcols scratch of K × P elements (null for an identity geometry or without dx)
   */
  static void backwardImage(
      Im2Col.Geometry g,
      int f,
      float[] x,
      int xOff,
      float[] w,
      float[] dout,
      int dOff,
      float[] dx,
      float[] dwT,
      boolean first,
      double[] db,
      float[] cols,
      float[] dcols) {
    int k = g.patchSize();
    int p = g.outPixels();
    if (db != null) {
      for (int jf = 0; jf < f; jf++) {
        db[jf] += sum(dout, dOff + jf * p, p);
      }
    }
    float[] a = x;
    int aOff = xOff;
    if (!g.isIdentity()) {
      Im2Col.im2col(g, x, xOff, cols, 0);
      a = cols;
      aOff = 0;
    }
    Gemm.sgemm(false, true, k, f, p, 1f, a, aOff, dout, dOff, first ? 0f : 1f, dwT, 0);
    if (dx != null) {
      // dcols_n (K, P) = wᵀ (K, F) · dout_n (F, P); col2im scatters it back onto dx_n.
      if (g.isIdentity()) {
        Gemm.sgemm(true, false, k, p, f, 1f, w, 0, dout, dOff, 0f, dx, xOff);
      } else {
        Gemm.sgemm(true, false, k, p, f, 1f, w, 0, dout, dOff, 0f, dcols, 0);
        Im2Col.col2imAdd(g, dcols, 0, dx, xOff);
      }
    }
  }

  /** {@code dw (F, K) = dwTᵀ} for dwT of shape (K, F). */
  static void transpose(float[] dwT, int k, int f, float[] dw) {
    for (int jf = 0; jf < f; jf++) {
      for (int i = 0; i < k; i++) {
        dw[jf * k + i] = dwT[i * f + jf];
      }
    }
  }

  // ---------------------------------------------------------------- float64 kernels

  private static void forward(
      Im2Col.Geometry g, int n, int f, double[] x, double[] w, double[] b, double[] out) {
    double[] cols = g.isIdentity() ? null : new double[g.patchSize() * g.outPixels()];
    for (int img = 0; img < n; img++) {
      forwardImage(g, f, x, img * g.imageSize(), w, b, out, img * f * g.outPixels(), cols);
    }
  }

  /**
   * One image's forward: {@code out_n = w·im2col(x_n) + b}.
   *
   * @param cols scratch of C·HH·WW × H'·W' elements (unused, may be null, for an identity geometry)
   */
  static void forwardImage(
      Im2Col.Geometry g,
      int f,
      double[] x,
      int xOff,
      double[] w,
      double[] b,
      double[] out,
      int outOff,
      double[] cols) {
    int k = g.patchSize();
    int p = g.outPixels();
    // out_n starts as the bias broadcast over each filter's row; gemm then adds w·cols (beta=1).
    for (int jf = 0; jf < f; jf++) {
      Arrays.fill(out, outOff + jf * p, outOff + (jf + 1) * p, b[jf]);
    }
    if (g.isIdentity()) {
      Gemm.dgemm(false, false, f, p, k, 1.0, w, 0, x, xOff, 1.0, out, outOff);
    } else {
      Im2Col.im2col(g, x, xOff, cols, 0);
      Gemm.dgemm(false, false, f, p, k, 1.0, w, 0, cols, 0, 1.0, out, outOff);
    }
  }

  private static void backward(
      Im2Col.Geometry g,
      int n,
      int f,
      double[] x,
      double[] w,
      double[] dout,
      double[] dx,
      double[] dw,
      double[] db) {
    int k = g.patchSize();
    int p = g.outPixels();
    double[] cols = g.isIdentity() ? null : new double[k * p];
    double[] dcols = g.isIdentity() || dx == null ? null : new double[k * p];
    double[] dwT = new double[k * f];
    for (int img = 0; img < n; img++) {
      backwardImage(
          g, f, x, img * g.imageSize(), w, dout, img * f * p, dx, dwT, img == 0, db, cols, dcols);
    }
    transpose(dwT, k, f, dw);
  }

  /**
   * One image's backward, accumulating the weight gradient transposed: {@code dwT (K, F) += cols_n
   * (K, P) · dout_nᵀ (P, F)} (the same product as {@code dout_n·cols_nᵀ}; BLAS runs this
   * orientation about 10% faster here, as the long dimension P becomes the inner one of both
   * operands), {@code db += Σ dout_n} per filter and, when dx is given, {@code dx_n =
   * col2im(wᵀ·dout_n)}.
   *
   * @param dwT (C·HH·WW, F) weight gradient, transposed; overwritten when {@code first}
   * @param db per-filter bias gradient, accumulated into; null when the caller sums it itself
   * @param cols scratch of K × P elements (null for an identity geometry)
   * @param dcols scratch of K × P elements (null for an identity geometry or without dx)
   */
  static void backwardImage(
      Im2Col.Geometry g,
      int f,
      double[] x,
      int xOff,
      double[] w,
      double[] dout,
      int dOff,
      double[] dx,
      double[] dwT,
      boolean first,
      double[] db,
      double[] cols,
      double[] dcols) {
    int k = g.patchSize();
    int p = g.outPixels();
    if (db != null) {
      for (int jf = 0; jf < f; jf++) {
        db[jf] += sum(dout, dOff + jf * p, p);
      }
    }
    double[] a = x;
    int aOff = xOff;
    if (!g.isIdentity()) {
      Im2Col.im2col(g, x, xOff, cols, 0);
      a = cols;
      aOff = 0;
    }
    Gemm.dgemm(false, true, k, f, p, 1.0, a, aOff, dout, dOff, first ? 0.0 : 1.0, dwT, 0);
    if (dx != null) {
      // dcols_n (K, P) = wᵀ (K, F) · dout_n (F, P); col2im scatters it back onto dx_n.
      if (g.isIdentity()) {
        Gemm.dgemm(true, false, k, p, f, 1.0, w, 0, dout, dOff, 0.0, dx, xOff);
      } else {
        Gemm.dgemm(true, false, k, p, f, 1.0, w, 0, dout, dOff, 0.0, dcols, 0);
        Im2Col.col2imAdd(g, dcols, 0, dx, xOff);
      }
    }
  }

  /** {@code dw (F, K) = dwTᵀ} for dwT of shape (K, F). */
  static void transpose(double[] dwT, int k, int f, double[] dw) {
    for (int jf = 0; jf < f; jf++) {
      for (int i = 0; i < k; i++) {
        dw[jf * k + i] = dwT[i * f + jf];
      }
    }
  }

  // ---------------------------------------------------------------- sums

  private static double sum(float[] a, int off, int len) {
    return Kernels.sum(a, off, len);
  }

  private static double sum(double[] a, int off, int len) {
    return Kernels.sum(a, off, len);
  }
}
