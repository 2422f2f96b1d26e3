package io.sparksweep.tensor;

import dev.ludovic.netlib.blas.BLAS;
import java.lang.System.Logger.Level;

/**
 * Row-major general matrix multiply {@code C = alpha·op(A)·op(B) + beta·C} over {@code
 * dev.ludovic.netlib} BLAS, in both precisions.
 *
 * <p>BLAS is column-major; a row-major matrix is its column-major transpose, so the row-major
 * product {@code C = op(A)·op(B)} is computed as the column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, with
 * no copies. {@link BLAS#getInstance()} silently falls back from native to pure-Java kernels; the
 * backend actually loaded is logged once and available from {@link #backend()}.
 */
public final class Gemm {
  private static final BLAS BLAS_INSTANCE = loadBlas();

  private Gemm() {}

  private static BLAS loadBlas() {
    BLAS blas = BLAS.getInstance();
    System.getLogger(Gemm.class.getName())
        .log(Level.INFO, "BLAS backend: " + blas.getClass().getSimpleName());
    return blas;
  }

  /** The BLAS implementation in use, e.g. {@code JNIBLAS} (native), {@code VectorBLAS}. */
  public static String backend() {
    return BLAS_INSTANCE.getClass().getSimpleName();
  }

  /**
   * Float32 row-major gemm on flat arrays with offsets.
   *
   * @param transA whether A is stored as (k, m) and used transposed
   * @param transB whether B is stored as (n, k) and used transposed
   * @param m rows of op(A) and C
   * @param n columns of op(B) and C
   * @param k columns of op(A), rows of op(B)
   */
  public static void sgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float alpha,
      float[] a,
      int offA,
      float[] b,
      int offB,
      float beta,
      float[] c,
      int offC) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.sgemm(
        transB ? "T" : "N",
        transA ? "T" : "N",
        n,
        m,
        k,
        alpha,
        b,
        offB,
        Math.max(1, transB ? k : n),
        a,
        offA,
        Math.max(1, transA ? m : k),
        beta,
        c,
        offC,
        Math.max(1, n));
  }

  /** Float64 twin of {@link #sgemm}. */
  public static void dgemm(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      double alpha,
      double[] a,
      int offA,
      double[] b,
      int offB,
      double beta,
      double[] c,
      int offC) {
    if (m == 0 || n == 0) {
      return;
    }
    BLAS_INSTANCE.dgemm(
        transB ? "T" : "N",
        transA ? "T" : "N",
        n,
        m,
        k,
        alpha,
        b,
        offB,
        Math.max(1, transB ? k : n),
        a,
        offA,
        Math.max(1, transA ? m : k),
        beta,
        c,
        offC,
        Math.max(1, n));
  }
}
