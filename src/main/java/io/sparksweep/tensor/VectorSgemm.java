package io.sparksweep.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Pure-Java float32 GEMM on the Vector API: the register-blocked algorithm of GotoBLAS and BLIS
 * (Goto &amp; van de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS 34(3),
 * 2008), used by {@link Gemm} when no native BLAS is loaded.
 *
 * <p>netlib's pure-Java {@code VectorBLAS} computes {@code sgemm} as dot products over a transposed
 * copy, which reaches about 40 GFLOP/s on a single AVX-512 core; this kernel keeps an {@code MR} ×
 * 2-vector block of C in registers ({@code MR} = 8 rows × 32 columns on AVX-512, 16 accumulators of
 * the 32 registers; 6 × 16 on AVX2, 12 of 16) and streams op(A) and op(B) through it, so each
 * loaded B vector feeds {@code MR} fused multiply-adds.
 *
 * <p>Unlike BLIS it packs only what it must. The training steps' products are small (their operands
 * fit in L2), and there a copy of op(A) costs more than it saves: the micro-kernel reads op(A) in
 * place with its two strides, and op(B) in place when B is not transposed (its rows are vectors).
 * Only a transposed B is packed, in {@value #KC}-deep, {@code NR}-wide column panels of up to
 * {@code NC} columns, and the last partial panel of a plain B (zero-padded). Measured against the
 * packing version on the workloads' nine products ({@code bench --gemm}, Zen 4): geometric mean 60
 * → 82 GFLOP/s. Edge rows run on the 6/4/2/1-row kernels, edge columns of at most one vector on the
 * one-vector kernels, so no flops are spent on padding rows. The pack buffer is per thread and
 * reused, so a product allocates nothing after a thread's first call. The class links {@code
 * jdk.incubator.vector}; callers must check {@link Gemm} availability first (loading it without
 * that module throws {@link NoClassDefFoundError}).
 */
final class VectorSgemm {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final int L = S.length();

  /** Rows of C per micro-tile: 8 with 32 vector registers (AVX-512), else 6. */
  static final int MR = L >= 16 ? 8 : 6;

  /** Columns of C per micro-tile: two vectors. */
  static final int NR = 2 * L;

  /** Depth of a block of the inner dimension. */
  static final int KC = 256;

  /** Rows of op(A) per block (a multiple of {@link #MR}): its kc × MC part stays in L2. */
  static final int MC = 16 * MR;

  /** Columns of op(B) per block (a multiple of {@link #NR}). */
  static final int NC = 128 * NR;

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private VectorSgemm() {}

  /** Per-thread pack buffer for op(B) and the edge tile. */
  private static final class Buffers {
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
    // op(A)(i, p) is at offA + i·rsA + p·csA.
    int rsA = transA ? 1 : k;
    int csA = transA ? m : 1;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      // A plain B's whole panels are read in place; the rest is packed.
      int inPlace = transB ? 0 : nc / NR * NR;
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        packB(transB, b, offB, n, k, pc, kc, jc + inPlace, nc - inPlace, buf.b);
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            float[] bp = buf.b;
            int bOff = (jr - inPlace) * kc;
            int ldb = NR;
            if (jr < inPlace) {
              bp = b;
              bOff = offB + pc * n + jc + jr;
              ldb = n;
            }
            for (int ir = 0; ir < mc; ir += MR) {
              int rows = Math.min(MR, mc - ir);
              int aOff = offA + (ic + ir) * rsA + pc * csA;
              int cOff = offC + (ic + ir) * n + jc + jr;
              if (cols == NR) {
                twoVectors(rows, kc, a, aOff, rsA, csA, bp, bOff, ldb, alpha, c, cOff, n);
              } else if (cols == L) {
                oneVector(rows, kc, a, aOff, rsA, csA, bp, bOff, ldb, alpha, c, cOff, n);
              } else {
                Arrays.fill(buf.tile, 0f);
                if (cols < L) {
                  oneVector(rows, kc, a, aOff, rsA, csA, bp, bOff, ldb, alpha, buf.tile, 0, NR);
                } else {
                  twoVectors(rows, kc, a, aOff, rsA, csA, bp, bOff, ldb, alpha, buf.tile, 0, NR);
                }
                addTile(buf.tile, rows, cols, c, cOff, n);
              }
            }
          }
        }
      }
    }
  }

  /** {@code rows} (≤ MR) rows of C, two vectors wide, as 8/6/4/2/1-row micro-kernels. */
  private static void twoVectors(
      int rows,
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    for (int i = 0; i < rows; ) {
      int r = rows - i;
      int ao = aOff + i * rs;
      int co = cOff + i * ldc;
      if (r >= 8) {
        rows8x2(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 8;
      } else if (r >= 6) {
        rows6x2(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 6;
      } else if (r >= 4) {
        rows4x2(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 4;
      } else if (r >= 2) {
        rows2x2(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 2;
      } else {
        rows1x2(kc, a, ao, cs, b, bOff, ldb, alpha, c, co);
        i += 1;
      }
    }
  }

  /** {@code rows} (≤ MR) rows of C, one vector wide: the edge columns. */
  private static void oneVector(
      int rows,
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    for (int i = 0; i < rows; ) {
      int r = rows - i;
      int ao = aOff + i * rs;
      int co = cOff + i * ldc;
      if (r >= 8) {
        rows8x1(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 8;
      } else if (r >= 6) {
        rows6x1(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 6;
      } else if (r >= 4) {
        rows4x1(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 4;
      } else if (r >= 2) {
        rows2x1(kc, a, ao, rs, cs, b, bOff, ldb, alpha, c, co, ldc);
        i += 2;
      } else {
        rows1x1(kc, a, ao, cs, b, bOff, ldb, alpha, c, co);
        i += 1;
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

  /**
   * Packs op(B)[pc:pc+kc, jc:jc+nc] as NR-column panels from {@code dst[0]}, element (p, j) at
   * panel + p·NR + j, zero-padded to NR columns.
   */
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

  /** C[0:8, 0:2L] += alpha · op(A)[0:8, 0:kc] · B[0:kc, 0:2L]. */
  private static void rows8x2(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c61 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    FloatVector c71 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int r4 = 4 * rs;
    int r5 = 5 * rs;
    int r6 = 6 * rs;
    int r7 = 7 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ai + r2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ai + r3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ai + r4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ai + r5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
      av = FloatVector.broadcast(S, a[ai + r6]);
      c60 = av.fma(b0, c60);
      c61 = av.fma(b1, c61);
      av = FloatVector.broadcast(S, a[ai + r7]);
      c70 = av.fma(b0, c70);
      c71 = av.fma(b1, c71);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c01.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c11.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c20.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c21.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c30.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c31.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c40.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c41.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c50.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c51.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c60.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c61.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c70.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c71.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
  }

  /** C[0:6, 0:2L] += alpha · op(A)[0:6, 0:kc] · B[0:kc, 0:2L]. */
  private static void rows6x2(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c41 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c51 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int r4 = 4 * rs;
    int r5 = 5 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ai + r2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ai + r3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ai + r4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ai + r5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c01.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c11.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c20.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c21.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c30.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c31.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c40.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c41.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c50.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c51.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
  }

  /** C[0:4, 0:2L] += alpha · op(A)[0:4, 0:kc] · B[0:kc, 0:2L]. */
  private static void rows4x2(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c21 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c31 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ai + r2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ai + r3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c01.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c11.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c20.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c21.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c30.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c31.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
  }

  /** C[0:2, 0:2L] += alpha · op(A)[0:2, 0:kc] · B[0:kc, 0:2L]. */
  private static void rows2x2(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c11 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c01.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c11.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
  }

  /** C[0:1, 0:2L] += alpha · op(A)[0:1, 0:kc] · B[0:kc, 0:2L]. */
  private static void rows1x2(
      int kc,
      float[] a,
      int aOff,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c01 = FloatVector.zero(S);
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    c01.fma(al, FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
  }

  /** C[0:8, 0:L] += alpha · op(A)[0:8, 0:kc] · B[0:kc, 0:L]. */
  private static void rows8x1(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    FloatVector c60 = FloatVector.zero(S);
    FloatVector c70 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int r4 = 4 * rs;
    int r5 = 5 * rs;
    int r6 = 6 * rs;
    int r7 = 7 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
      av = FloatVector.broadcast(S, a[ai + r2]);
      c20 = av.fma(b0, c20);
      av = FloatVector.broadcast(S, a[ai + r3]);
      c30 = av.fma(b0, c30);
      av = FloatVector.broadcast(S, a[ai + r4]);
      c40 = av.fma(b0, c40);
      av = FloatVector.broadcast(S, a[ai + r5]);
      c50 = av.fma(b0, c50);
      av = FloatVector.broadcast(S, a[ai + r6]);
      c60 = av.fma(b0, c60);
      av = FloatVector.broadcast(S, a[ai + r7]);
      c70 = av.fma(b0, c70);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c20.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c30.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c40.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c50.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c60.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c70.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
  }

  /** C[0:6, 0:L] += alpha · op(A)[0:6, 0:kc] · B[0:kc, 0:L]. */
  private static void rows6x1(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    FloatVector c40 = FloatVector.zero(S);
    FloatVector c50 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int r4 = 4 * rs;
    int r5 = 5 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
      av = FloatVector.broadcast(S, a[ai + r2]);
      c20 = av.fma(b0, c20);
      av = FloatVector.broadcast(S, a[ai + r3]);
      c30 = av.fma(b0, c30);
      av = FloatVector.broadcast(S, a[ai + r4]);
      c40 = av.fma(b0, c40);
      av = FloatVector.broadcast(S, a[ai + r5]);
      c50 = av.fma(b0, c50);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c20.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c30.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c40.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c50.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
  }

  /** C[0:4, 0:L] += alpha · op(A)[0:4, 0:kc] · B[0:kc, 0:L]. */
  private static void rows4x1(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    FloatVector c20 = FloatVector.zero(S);
    FloatVector c30 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int r2 = 2 * rs;
    int r3 = 3 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
      av = FloatVector.broadcast(S, a[ai + r2]);
      c20 = av.fma(b0, c20);
      av = FloatVector.broadcast(S, a[ai + r3]);
      c30 = av.fma(b0, c30);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c20.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c30.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
  }

  /** C[0:2, 0:L] += alpha · op(A)[0:2, 0:kc] · B[0:kc, 0:L]. */
  private static void rows2x1(
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff,
      int ldc) {
    FloatVector c00 = FloatVector.zero(S);
    FloatVector c10 = FloatVector.zero(S);
    int r1 = 1 * rs;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      av = FloatVector.broadcast(S, a[ai + r1]);
      c10 = av.fma(b0, c10);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
    o += ldc;
    c10.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
  }

  /** C[0:1, 0:L] += alpha · op(A)[0:1, 0:kc] · B[0:kc, 0:L]. */
  private static void rows1x1(
      int kc,
      float[] a,
      int aOff,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float[] c,
      int cOff) {
    FloatVector c00 = FloatVector.zero(S);
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
    }
    FloatVector al = FloatVector.broadcast(S, alpha);
    int o = cOff;
    c00.fma(al, FloatVector.fromArray(S, c, o)).intoArray(c, o);
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
