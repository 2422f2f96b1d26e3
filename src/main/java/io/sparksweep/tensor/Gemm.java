package io.sparksweep.tensor;

import dev.ludovic.netlib.blas.BLAS;
import dev.ludovic.netlib.blas.JavaBLAS;
import dev.ludovic.netlib.blas.NativeBLAS;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Row-major general matrix multiply {@code C = alpha·op(A)·op(B) + beta·C} over {@code
 * dev.ludovic.netlib} BLAS, in both precisions.
 *
 * <p>BLAS is column-major; a row-major matrix is its column-major transpose, so the row-major
 * product {@code C = op(A)·op(B)} is computed as the column-major {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, with
 * no copies. {@link BLAS#getInstance()} silently falls back from native to pure-Java kernels; the
 * backend actually loaded is logged once and available from {@link #backend()}.
 *
 * <p>Float32 products without a native BLAS run on {@link VectorSgemm}, our register-blocked Vector
 * API kernel (2.5–8 times netlib's pure-Java {@code VectorBLAS} on the training shapes; see
 * docs/performance.md), when the JVM has the {@code jdk.incubator.vector} module ({@code
 * --add-modules=jdk.incubator.vector}, which every launcher of this project passes). The system
 * property {@value #SGEMM_PROPERTY} overrides the choice: {@code auto} (default), {@code blas}
 * (always netlib) or {@code vector} (always ours; fails without the module). Float64 always uses
 * netlib.
 */
public final class Gemm {
  /** System property choosing the float32 kernel: {@code auto}, {@code blas} or {@code vector}. */
  public static final String SGEMM_PROPERTY = "sparksweep.sgemm";

  private static final BLAS BLAS_INSTANCE = BLAS.getInstance();
  private static final boolean USE_VECTOR_SGEMM =
      useVectorSgemm(
          System.getProperty(SGEMM_PROPERTY, "auto"),
          BLAS_INSTANCE instanceof NativeBLAS,
          vectorModulePresent());

  static {
    System.getLogger(Gemm.class.getName())
        .log(
            Level.INFO,
            "BLAS backend: "
                + backend()
                + (BLAS_INSTANCE instanceof NativeBLAS
                    ? " (OPENBLAS_CORETYPE=" + System.getenv("OPENBLAS_CORETYPE") + ")"
                    : "")
                + "; float32 GEMM: "
                + (USE_VECTOR_SGEMM
                    ? "VectorSgemm, " + VectorSgemm.lanes() + " floats/vector"
                    : backend()));
  }

  private Gemm() {}

  static boolean vectorModulePresent() {
    return ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
  }

  /**
   * Whether float32 products run on {@link VectorSgemm}.
   *
   * @param choice the {@value #SGEMM_PROPERTY} property value
   * @throws IllegalStateException for an unknown choice, or {@code vector} without the module
   */
  static boolean useVectorSgemm(String choice, boolean nativeBlas, boolean vectorModule) {
    return switch (choice.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> !nativeBlas && vectorModule;
      case "blas" -> false;
      case "vector" -> {
        if (!vectorModule) {
          throw new IllegalStateException(
              "-D"
                  + SGEMM_PROPERTY
                  + "=vector needs the jdk.incubator.vector module: add"
                  + " --add-modules=jdk.incubator.vector to the java command");
        }
        yield true;
      }
      default ->
          throw new IllegalStateException(
              "-D"
                  + SGEMM_PROPERTY
                  + "='"
                  + choice
                  + "' is not a float32 GEMM choice: use auto, blas or vector");
    };
  }

  /** The BLAS implementation in use, e.g. {@code JNIBLAS} (native), {@code VectorBLAS}. */
  public static String backend() {
    return BLAS_INSTANCE.getClass().getSimpleName();
  }

  /** A float32 GEMM implementation, for benchmarks that compare them. */
  public enum SgemmImpl {
    /** netlib's loaded BLAS ({@code JNIBLAS} when native OpenBLAS is present). */
    LOADED_BLAS,
    /** netlib's pure-Java BLAS ({@code VectorBLAS} with the vector module). */
    NETLIB_JAVA,
    /** Ours: {@link VectorSgemm}; needs the {@code jdk.incubator.vector} module. */
    VECTOR_SGEMM;

    /** A short label: the BLAS class name or {@code VectorSgemm}. */
    public String label() {
      return switch (this) {
        case LOADED_BLAS -> backend();
        case NETLIB_JAVA -> JavaBLAS.getInstance().getClass().getSimpleName();
        case VECTOR_SGEMM -> "VectorSgemm";
      };
    }
  }

  /**
   * The implementations this JVM can run, in {@link SgemmImpl} order ({@code NETLIB_JAVA} only when
   * it differs from the loaded BLAS; {@code VECTOR_SGEMM} only with the vector module).
   */
  public static List<SgemmImpl> availableSgemm() {
    List<SgemmImpl> out = new ArrayList<>();
    out.add(SgemmImpl.LOADED_BLAS);
    if (JavaBLAS.getInstance() != BLAS_INSTANCE) {
      out.add(SgemmImpl.NETLIB_JAVA);
    }
    if (vectorModulePresent()) {
      out.add(SgemmImpl.VECTOR_SGEMM);
    }
    return out;
  }

  /** {@link #sgemm} on a chosen implementation (see {@link #availableSgemm()}). */
  public static void sgemm(
      SgemmImpl impl,
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
    switch (impl) {
      case LOADED_BLAS ->
          blasSgemm(BLAS_INSTANCE, transA, transB, m, n, k, alpha, a, offA, b, offB, beta, c, offC);
      case NETLIB_JAVA ->
          blasSgemm(
              JavaBLAS.getInstance(),
              transA,
              transB,
              m,
              n,
              k,
              alpha,
              a,
              offA,
              b,
              offB,
              beta,
              c,
              offC);
      case VECTOR_SGEMM ->
          VectorSgemm.sgemm(transA, transB, m, n, k, alpha, a, offA, b, offB, beta, c, offC);
    }
  }

  /** What computes float32 products: the BLAS class name, or {@code VectorSgemm} (ours). */
  public static String sgemmKernel() {
    return USE_VECTOR_SGEMM ? "VectorSgemm" : backend();
  }

  /**
   * Whether {@link #sgemm(boolean, boolean, int, int, int, float, float[], int, int, float[], int,
   * int, float, float[], int, int)} accepts any row strides: true when float32 products run on
   * netlib's BLAS; {@link VectorSgemm} takes only the packed strides.
   */
  public static boolean stridedSgemm() {
    return !USE_VECTOR_SGEMM;
  }

  /**
   * Float32 row-major gemm with explicit row strides (BLAS's leading dimensions): A, B and C may be
   * blocks of wider matrices, e.g. a band of C's columns.
   *
   * @param lda elements between consecutive rows of A as stored ((m, k), or (k, m) if transA)
   * @param ldb elements between consecutive rows of B as stored ((k, n), or (n, k) if transB)
   * @param ldc elements between consecutive rows of C (m, n)
   * @throws IllegalStateException if the strides are not the packed ones and {@link
   *     #stridedSgemm()} is false
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
      int lda,
      float[] b,
      int offB,
      int ldb,
      float beta,
      float[] c,
      int offC,
      int ldc) {
    if (m == 0 || n == 0) {
      return;
    }
    boolean packed = lda == (transA ? m : k) && ldb == (transB ? k : n) && ldc == n;
    if (USE_VECTOR_SGEMM) {
      if (!packed) {
        throw new IllegalStateException("VectorSgemm takes only packed row strides");
      }
      VectorSgemm.sgemm(transA, transB, m, n, k, alpha, a, offA, b, offB, beta, c, offC);
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
        Math.max(1, ldb),
        a,
        offA,
        Math.max(1, lda),
        beta,
        c,
        offC,
        Math.max(1, ldc));
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
    sgemm(
        USE_VECTOR_SGEMM ? SgemmImpl.VECTOR_SGEMM : SgemmImpl.LOADED_BLAS,
        transA,
        transB,
        m,
        n,
        k,
        alpha,
        a,
        offA,
        b,
        offB,
        beta,
        c,
        offC);
  }

  private static void blasSgemm(
      BLAS blas,
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
    blas.sgemm(
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
