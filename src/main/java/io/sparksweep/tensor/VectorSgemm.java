package io.sparksweep.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java float32 GEMM on the Vector API: the packed, register-blocked algorithm of GotoBLAS and
 * BLIS (Goto &amp; van de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS
 * 34(3), 2008), used by {@link Gemm} when no native BLAS is loaded.
 *
 * <p>netlib's pure-Java {@code VectorBLAS} computes {@code sgemm} as dot products over a transposed
 * copy, which reaches about 40 GFLOP/s on a single AVX-512 core; this kernel keeps a {@value #MR} ×
 * 2-vector block of C in registers (12 accumulators: 6 rows × 32 columns on AVX-512, × 16 on AVX2)
 * and streams packed panels of A and B through it, so each loaded B vector feeds 6 fused
 * multiply-adds.
 *
 * <p>Blocking: op(B) is packed in {@value #KC}-deep, {@code NR}-wide column panels of up to {@value
 * #NC} columns, op(A) in {@value #KC}-deep, {@value #MR}-high row panels of up to {@value #MC} rows
 * (zero-padded at the edges); pack buffers are per thread and reused, so a product allocates
 * nothing after a thread's first call. The class links {@code jdk.incubator.vector}; callers must
 * check {@link Gemm} availability first (loading it without that module throws {@link
 * NoClassDefFoundError}).
 */
final class VectorSgemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Rows of C per micro-tile. */
  static final int MR = 6;

  /** Columns of C per micro-tile: two vectors. */
  static final int NR = 2 * L;

  /** Depth of a packed panel. */
  static final int KC = 256;

  /** Rows of op(A) packed at once (a multiple of {@link #MR}). */
  static final int MC = 16 * MR;

  /** Columns of op(B) packed at once (a multiple of {@link #NR}). */
  static final int NC = 128 * NR;

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private VectorSgemm() {}

  /** Per-thread pack buffers and the edge tile. */
  private static final class Buffers {
    final float[] a = new float[MC * KC];
    final float[] b = new float[NC * KC];
    final float[] tile = new float[MR * NR];
  }

  /** Vector width in floats (16 on AVX-512). */
  static int lanes() {
    return L;
  }

  /**
   * Row-major {@code C = alpha·op(A)·op(B) + beta·C}, C dense (m, n) at {@code offC}; argument
   * meanings as in {@link Gemm#sgemm}. With {@code beta == 0} C is not read (NaNs in it vanish), as
   * in BLAS.
   */
  static void sgemm(
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
    scale(c, offC, m * n, beta);
    if (k == 0 || alpha == 0f) {
      return;
    }
    Buffers buf = BUFFERS.get();
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packB(transB, b, offB, n, k, pc, kc, jc, nc, buf.b);
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          packA(transA, a, offA, m, k, ic, mc, pc, kc, buf.a);
          for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int bOff = jr * kc;
            for (int ir = 0; ir < mc; ir += MR) {
              int rows = Math.min(MR, mc - ir);
              int cOff = offC + (ic + ir) * n + jc + jr;
              if (rows == MR && cols == NR) {
                kernel(kc, buf.a, ir * kc, buf.b, bOff, alpha, c, cOff, n);
              } else {
                Arrays.fill(buf.tile, 0f);
                kernel(kc, buf.a, ir * kc, buf.b, bOff, alpha, buf.tile, 0, NR);
                addTile(buf.tile, rows, cols, c, cOff, n);
              }
            }
          }
        }
      }
    }
  }

  private static void scale(float[] c, int off, int len, float beta) {
    if (beta == 0f) {
      Arrays.fill(c, off, off + len, 0f);
    } else if (beta != 1f) {
      for (int i = off; i < off + len; i++) {
        c[i] *= beta;
      }
    }
  }

  /** Packs op(A)[ic:ic+mc, pc:pc+kc] as MR-row panels, element (i, p) at panel + p·MR + i. */
  private static void packA(
      boolean transA,
      float[] a,
      int offA,
      int m,
      int k,
      int ic,
      int mc,
      int pc,
      int kc,
      float[] dst) {
    for (int r0 = 0; r0 < mc; r0 += MR) {
      int base = r0 * kc;
      int rows = Math.min(MR, mc - r0);
      if (transA) {
        for (int p = 0; p < kc; p++) {
          int src = offA + (pc + p) * m + ic + r0;
          int d = base + p * MR;
          for (int i = 0; i < rows; i++) {
            dst[d + i] = a[src + i];
          }
          for (int i = rows; i < MR; i++) {
            dst[d + i] = 0f;
          }
        }
      } else {
        for (int i = 0; i < rows; i++) {
          int src = offA + (ic + r0 + i) * k + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + i] = a[src + p];
          }
        }
        for (int i = rows; i < MR; i++) {
          for (int p = 0; p < kc; p++) {
            dst[base + p * MR + i] = 0f;
          }
        }
      }
    }
  }

  /** Packs op(B)[pc:pc+kc, jc:jc+nc] as NR-column panels, element (p, j) at panel + p·NR + j. */
  private static void packB(
      boolean transB,
      float[] b,
      int offB,
      int n,
      int k,
      int pc,
      int kc,
      int jc,
      int nc,
      float[] dst) {
    for (int c0 = 0; c0 < nc; c0 += NR) {
      int base = c0 * kc;
      int cols = Math.min(NR, nc - c0);
      if (transB) {
        for (int j = 0; j < cols; j++) {
          int src = offB + (jc + c0 + j) * k + pc;
          for (int p = 0; p < kc; p++) {
            dst[base + p * NR + j] = b[src + p];
          }
        }
        if (cols < NR) {
          for (int p = 0; p < kc; p++) {
            Arrays.fill(dst, base + p * NR + cols, base + (p + 1) * NR, 0f);
          }
        }
      } else {
        for (int p = 0; p < kc; p++) {
          int d = base + p * NR;
          System.arraycopy(b, offB + (pc + p) * n + jc + c0, dst, d, cols);
          if (cols < NR) {
            Arrays.fill(dst, d + cols, d + NR, 0f);
          }
        }
      }
    }
  }

  /** {@code C[0:MR, 0:NR] += alpha · Apanel · Bpanel} with C's rows {@code ldc} apart. */
  private static void kernel(
      int kc,
      float[] ap,
      int aOff,
      float[] bp,
      int bOff,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    FloatVector c10 = zero;
    FloatVector c11 = zero;
    FloatVector c20 = zero;
    FloatVector c21 = zero;
    FloatVector c30 = zero;
    FloatVector c31 = zero;
    FloatVector c40 = zero;
    FloatVector c41 = zero;
    FloatVector c50 = zero;
    FloatVector c51 = zero;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
      FloatVector b0 = FloatVector.fromArray(S, bp, bi);
      FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
      FloatVector av = FloatVector.broadcast(S, ap[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, ap[ai + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, ap[ai + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, ap[ai + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, ap[ai + 4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, ap[ai + 5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    store(c00, c01, al, c, cOff);
    store(c10, c11, al, c, cOff + ldc);
    store(c20, c21, al, c, cOff + 2 * ldc);
    store(c30, c31, al, c, cOff + 3 * ldc);
    store(c40, c41, al, c, cOff + 4 * ldc);
    store(c50, c51, al, c, cOff + 5 * ldc);
  }

  private static void store(FloatVector v0, FloatVector v1, FloatVector alpha, float[] c, int off) {
    v0.fma(alpha, FloatVector.fromArray(S, c, off)).intoArray(c, off);
    v1.fma(alpha, FloatVector.fromArray(S, c, off + L)).intoArray(c, off + L);
  }

  private static void addTile(float[] tile, int rows, int cols, float[] c, int cOff, int ldc) {
    for (int i = 0; i < rows; i++) {
      int t = i * NR;
      int d = cOff + i * ldc;
      for (int j = 0; j < cols; j++) {
        c[d + j] += tile[t + j];
      }
    }
  }
}
