package io.sparksweep.tensor;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
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
 * → 89 GFLOP/s. Edge rows run on the 6/4/2/1-row kernels, and at most L edge columns in 4-column
 * chunks (dot products along p, or vectors along i for a transposed A), so no flops are spent on
 * padding rows and few on padding columns. The pack buffers are per thread and reused, so a product
 * allocates nothing after a thread's first call. The class links {@code jdk.incubator.vector};
 * callers must check {@link Gemm} availability first (loading it without that module throws {@link
 * NoClassDefFoundError}).
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

  /** Column panels from which on a plain A is packed (see {@link #sgemm}). */
  static final int PACK_A_PANELS = 8;

  private static final ThreadLocal<Buffers> BUFFERS = ThreadLocal.withInitial(Buffers::new);

  private VectorSgemm() {}

  /** Per-thread pack buffers for op(B) and its narrow edge, and the edge tiles. */
  private static final class Buffers {
    final float[] b = new float[NC * KC];
    final float[] a = new float[MC * KC];
    final float[] acc = new float[MR * NR];
    final float[] narrowTile = new float[16 * L];
    // Grown to the largest depth seen: a plain A's narrow columns take all of k at once.
    private float[] narrowB = new float[4 * KC];
    private float[] narrowA = new float[4 * L * KC];

    /** The packed narrow columns of op(B), at least {@code 4·kc} floats. */
    float[] narrowB(int kc) {
      if (narrowB.length < 4 * kc) {
        narrowB = new float[4 * kc];
      }
      return narrowB;
    }

    /** The zero-padded edge rows of op(A), at least {@code rows·kc} floats. */
    float[] narrowA(int rows, int kc) {
      if (narrowA.length < rows * kc) {
        narrowA = new float[rows * kc];
      }
      return narrowA;
    }
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
    if (k == 0 || alpha == 0f) {
      scale(c, offC, m * n, beta);
      return;
    }
    // beta is applied tile by tile, by the first k-block's update of C (a separate pass over C
    // first cost a read and a write of all of it: for the conv net's 8192×100 affine dW, 3.2 MB
    // that no longer fits in L2), and to the narrow columns by their first update.
    Buffers buf = BUFFERS.get();
    // op(A)(i, p) is at offA + i·rsA + p·csA.
    int rsA = transA ? 1 : k;
    int csA = transA ? m : 1;
    for (int jc = 0; jc < n; jc += NC) {
      int nc = Math.min(NC, n - jc);
      // A plain B's whole panels are read in place; the rest is packed. At most L columns left
      // over (n = 100: 4, n = 10: 10) go to the narrow-column kernels.
      int whole = nc / NR * NR;
      boolean narrow = nc - whole <= L && nc > whole;
      int inPlace = transB ? 0 : whole;
      int end = narrow ? whole : nc;
      for (int pc = 0; pc < k; pc += KC) {
        int kc = Math.min(KC, k - pc);
        float betaBlock = pc == 0 ? beta : 1f;
        packB(transB, b, offB, n, k, pc, kc, jc + inPlace, end - inPlace, buf.b);
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          // A plain A that many column panels read (the conv forward W·cols: a 32×147 W, 32
          // panels) is copied into the transposed-A layout, MR-row panels with element (r, p)
          // at p·MR + r, to run on the transposed-A kernels (2026-12-07, Intel Xeon, `bench
          // --gemm`: conv forward 93-107 -> 108-111 GFLOP/s, conv affine dx 62 -> 64-68). Too few
          // panels do not repay the copy.
          float[] ap = a;
          int aBase = offA + ic * rsA + pc * csA;
          int rs = rsA;
          int cs = csA;
          // Row ir of the block starts at aBase + ir·rowStep (a packed panel of MR rows takes
          // MR·kc floats).
          int rowStep = rsA;
          if (!transA && m > 1 && end >= PACK_A_PANELS * NR) {
            packA(a, offA, k, ic, mc, pc, kc, buf.a);
            ap = buf.a;
            aBase = 0;
            rs = 1;
            cs = MR;
            rowStep = kc;
          }
          for (int jr = 0; jr < end; jr += NR) {
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
              int aOff = aBase + ir * rowStep;
              int cOff = offC + (ic + ir) * n + jc + jr;
              twoVectors(
                  rows, cols, kc, ap, aOff, rs, cs, bp, bOff, ldb, alpha, betaBlock, c, cOff, n,
                  buf.acc);
            }
          }
        }
        if (narrow && transA) {
          narrowEdge(
              transA, transB, m, n, k, a, offA, b, offB, pc, kc, jc, whole, nc, alpha, betaBlock, c,
              offC, buf);
        }
      }
      // A plain A's narrow columns are dot products along p, each reduced across its lanes once:
      // over all of k, not per k-block (2026-12-07, Intel Xeon, the fc forward's 100×4×3072
      // edge: 37 -> 65-79 GFLOP/s alone).
      if (narrow && !transA) {
        narrowEdge(
            transA, transB, m, n, k, a, offA, b, offB, 0, k, jc, whole, nc, alpha, beta, c, offC,
            buf);
      }
    }
  }

  /** {@link #narrowColumns} over the edge columns {@code whole..nc} of the panel at {@code jc}. */
  private static void narrowEdge(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int offA,
      float[] b,
      int offB,
      int pc,
      int kc,
      int jc,
      int whole,
      int nc,
      float alpha,
      float beta,
      float[] c,
      int offC,
      Buffers buf) {
    for (int j = whole; j < nc; j += 4) {
      int w = Math.min(4, nc - j);
      narrowColumns(
          transA, transB, m, n, k, a, offA, b, offB, pc, kc, jc + j, w, alpha, beta, c, offC, buf);
    }
  }

  /**
   * {@code C[:, j0:j0+w] = alpha · op(A)[:, pc:pc+kc] · op(B)[pc:pc+kc, j0:j0+w] + beta·C[:,
   * j0:j0+w]} (C not read when beta is 0) for w ≤ 4 columns of the edge: a one-vector micro-tile
   * would spend L − w of its L lanes on padding (12 of 16 for n = 100, which made the 8-row
   * one-vector kernel 14% of the fc step for 4% of its flops). With op(A) = A the columns are dot
   * products along p; with op(A) = Aᵀ, whose columns are contiguous, they are vectors along i.
   */
  private static void narrowColumns(
      boolean transA,
      boolean transB,
      int m,
      int n,
      int k,
      float[] a,
      int offA,
      float[] b,
      int offB,
      int pc,
      int kc,
      int j0,
      int w,
      float alpha,
      float beta,
      float[] c,
      int offC,
      Buffers buf) {
    float[] nb = buf.narrowB(kc);
    float[] out = buf.narrowTile;
    // op(B)(pc + p, j0 + j), zero for j ≥ w: transposed (j·kc + p) for the dot products,
    // interleaved (4p + j) for the row vectors.
    // Row p of op(B)'s w columns starts at b[src + p·ps], its columns js apart.
    int src = transB ? offB + j0 * k + pc : offB + pc * n + j0;
    int ps = transB ? 1 : n;
    int js = transB ? k : 1;
    int pStride = transA ? 4 : 1;
    int jStride = transA ? 1 : kc;
    if (w < 4) {
      Arrays.fill(nb, 0, 4 * kc, 0f);
      for (int p = 0; p < kc; p++) {
        int s = src + p * ps;
        int d = p * pStride;
        for (int j = 0; j < w; j++) {
          nb[d + j * jStride] = b[s + j * js];
        }
      }
    } else {
      // The usual edge (n = 100: 4 columns) unrolled: the loop over j above, with its variable
      // trip count, cost about as much as the dot products of a 100-row A.
      for (int p = 0; p < kc; p++) {
        int s = src + p * ps;
        int d = p * pStride;
        nb[d] = b[s];
        nb[d + jStride] = b[s + js];
        nb[d + 2 * jStride] = b[s + 2 * js];
        nb[d + 3 * jStride] = b[s + 3 * js];
      }
    }
    // The rows left over after the whole 4-row (4L-row) blocks run on the same kernel from a
    // zero-padded copy: a kernel called only for them would stay interpreted or C1-compiled, and
    // allocate its vectors, for thousands of steps before C2 compiles it.
    float[] pad = buf.narrowA(transA ? 4 * L : 4, kc);
    if (!transA) {
      int i = 0;
      for (; i + 4 <= m; i += 4) {
        dotRows4(kc, a, offA + i * k + pc, k, nb, alpha, out);
        addRows(out, 4, i, w, beta, c, offC, n, j0);
      }
      int rest = m - i;
      if (rest > 0) {
        Arrays.fill(pad, 0, 4 * kc, 0f);
        for (int q = 0; q < rest; q++) {
          System.arraycopy(a, offA + (i + q) * k + pc, pad, q * kc, kc);
        }
        dotRows4(kc, pad, 0, kc, nb, alpha, out);
        addRows(out, rest, i, w, beta, c, offC, n, j0);
      }
    } else {
      int rows = 4 * L;
      int i = 0;
      for (; i + rows <= m; i += rows) {
        rowVectors4(kc, a, offA + pc * m + i, m, nb, out);
        addColumns(out, rows, rows, i, w, alpha, beta, c, offC, n, j0);
      }
      int rest = m - i;
      if (rest > 0) {
        Arrays.fill(pad, 0, rows * kc, 0f);
        for (int p = 0; p < kc; p++) {
          System.arraycopy(a, offA + (pc + p) * m + i, pad, p * rows, rest);
        }
        rowVectors4(kc, pad, 0, rows, nb, out);
        addColumns(out, rows, rest, i, w, alpha, beta, c, offC, n, j0);
      }
    }
  }

  /**
   * {@code C = out + beta·C} on {@code rows} rows of the dot-product tile (row q at 4q); C is not
   * read when beta is 0 (the narrow columns are not scaled up front: a pass of 4-element fills, one
   * a row, cost 1% of the fcbn step).
   */
  private static void addRows(
      float[] out, int rows, int i0, int w, float beta, float[] c, int offC, int ldc, int j0) {
    for (int q = 0; q < rows; q++) {
      int d = offC + (i0 + q) * ldc + j0;
      int t = 4 * q;
      if (beta == 0f) {
        for (int j = 0; j < w; j++) {
          c[d + j] = out[t + j];
        }
      } else if (beta == 1f) {
        for (int j = 0; j < w; j++) {
          c[d + j] += out[t + j];
        }
      } else {
        for (int j = 0; j < w; j++) {
          c[d + j] = beta * c[d + j] + out[t + j];
        }
      }
    }
  }

  /**
   * {@code C = alpha · out + beta·C} on {@code rows} rows of the row-vector tile (its column j at
   * j·stride), as {@link #addRows}.
   */
  private static void addColumns(
      float[] out,
      int stride,
      int rows,
      int i0,
      int w,
      float alpha,
      float beta,
      float[] c,
      int offC,
      int ldc,
      int j0) {
    for (int j = 0; j < w; j++) {
      int t = j * stride;
      int d = offC + i0 * ldc + j0 + j;
      if (beta == 0f) {
        for (int r = 0; r < rows; r++) {
          c[d + r * ldc] = out[t + r] * alpha;
        }
      } else if (beta == 1f) {
        for (int r = 0; r < rows; r++) {
          c[d + r * ldc] = Math.fma(out[t + r], alpha, c[d + r * ldc]);
        }
      } else {
        for (int r = 0; r < rows; r++) {
          c[d + r * ldc] = Math.fma(out[t + r], alpha, beta * c[d + r * ldc]);
        }
      }
    }
  }

  /**
   * {@code C[0:rows, 0:cols] += alpha · op(A)[0:rows, 0:kc] · B[0:kc, 0:cols]} for rows ≤ MR and L
   * < cols ≤ NR, as 8/6/4/2/1-row micro-kernels.
   */
  private static void twoVectors(
      int rows,
      int cols,
      int kc,
      float[] a,
      int aOff,
      int rs,
      int cs,
      float[] b,
      int bOff,
      int ldb,
      float alpha,
      float beta,
      float[] c,
      int cOff,
      int ldc,
      float[] acc) {
    // A transposed A (cs = m > 1) runs on kernels of its own: its rows are adjacent, so their
    // reads of A are at constant offsets from one index, and C2 merges their range checks into
    // two per step of p instead of one per row (2026-12-07, Intel Xeon, `bench --gemm`: fc dW
    // 83.6 -> 96.9, conv dcols 79.6 -> 87.0 GFLOP/s). A plain A (cs = 1, also a transposed A
    // with m = 1) keeps the general kernels: a variant with one index per row, whose checks C2
    // can hoist out of the loop, ran out of registers and was no faster.
    boolean t = cs != 1;
    for (int i = 0; i < rows; ) {
      int r = rows - i;
      int ao = aOff + i * rs;
      if (r >= 8) {
        if (t) {
          rows8x2t(kc, a, ao, cs, b, bOff, ldb, acc);
        } else {
          rows8x2(kc, a, ao, rs, cs, b, bOff, ldb, acc);
        }
        r = 8;
      } else if (r >= 6) {
        if (t) {
          rows6x2t(kc, a, ao, cs, b, bOff, ldb, acc);
        } else {
          rows6x2(kc, a, ao, rs, cs, b, bOff, ldb, acc);
        }
        r = 6;
      } else if (r >= 4) {
        if (t) {
          rows4x2t(kc, a, ao, cs, b, bOff, ldb, acc);
        } else {
          rows4x2(kc, a, ao, rs, cs, b, bOff, ldb, acc);
        }
        r = 4;
      } else if (r >= 2) {
        if (t) {
          rows2x2t(kc, a, ao, cs, b, bOff, ldb, acc);
        } else {
          rows2x2(kc, a, ao, rs, cs, b, bOff, ldb, acc);
        }
        r = 2;
      } else {
        rows1x2(kc, a, ao, cs, b, bOff, ldb, acc);
        r = 1;
      }
      update(acc, r, cols, alpha, beta, c, cOff + i * ldc, ldc);
      i += r;
    }
  }

  /** {@code C[0:rows, 0:cols] = alpha · acc + beta · C}; C is not read when beta is 0. */
  private static void update(
      float[] acc, int rows, int cols, float alpha, float beta, float[] c, int cOff, int ldc) {
    if (beta == 0f) {
      storeScaled(acc, rows, cols, alpha, c, cOff, ldc);
      return;
    }
    if (beta != 1f) {
      // A plain loop, not a helper: calling the vector helper here (2026-12-07) halved the
      // transposed-A products in `bench --gemm` (affine dW 73.5 -> 32.9, fc dW 83.9 -> 36.0
      // GFLOP/s), most likely by pushing other vector code out of C2's inlining budget.
      for (int i = 0; i < rows; i++) {
        int d = cOff + i * ldc;
        for (int j = 0; j < cols; j++) {
          c[d + j] *= beta;
        }
      }
    }
    addScaled(acc, rows, cols, alpha, c, cOff, ldc);
  }

  /** {@code C[0:rows, 0:cols] = alpha · acc} (acc's rows NR apart). */
  private static void storeScaled(
      float[] acc, int rows, int cols, float alpha, float[] c, int cOff, int ldc) {
    if (cols == NR) {
      FloatVector al = FloatVector.broadcast(S, alpha);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j += L) {
          FloatVector.fromArray(S, acc, i * NR + j).mul(al).intoArray(c, cOff + i * ldc + j);
        }
      }
      return;
    }
    for (int i = 0; i < rows; i++) {
      int t = i * NR;
      int d = cOff + i * ldc;
      for (int j = 0; j < cols; j++) {
        c[d + j] = acc[t + j] * alpha;
      }
    }
  }

  /**
   * {@code C[0:rows, 0:cols] += alpha · acc} (acc's rows NR apart). The micro-kernels end by
   * storing their accumulators instead of updating C themselves: C2 inlines the Vector API into a
   * method only up to a budget of bytecodes, and the 8-row kernel with its own 48-call update
   * sometimes exceeded it, leaving the update's vectors as heap objects (16 KB allocated per image
   * and 40% slower, in about one JVM of four).
   */
  private static void addScaled(
      float[] acc, int rows, int cols, float alpha, float[] c, int cOff, int ldc) {
    if (cols == NR) {
      FloatVector al = FloatVector.broadcast(S, alpha);
      for (int i = 0; i < rows; i++) {
        for (int j = 0; j < cols; j += L) {
          int o = cOff + i * ldc + j;
          FloatVector.fromArray(S, acc, i * NR + j)
              .fma(al, FloatVector.fromArray(S, c, o))
              .intoArray(c, o);
        }
      }
      return;
    }
    for (int i = 0; i < rows; i++) {
      int t = i * NR;
      int d = cOff + i * ldc;
      for (int j = 0; j < cols; j++) {
        c[d + j] = Math.fma(acc[t + j], alpha, c[d + j]);
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
   * Packs rows ic … ic+mc−1, columns pc … pc+kc−1 of a plain A (row length k) as MR-row panels from
   * {@code dst[0]}, the transposed-A kernels' layout: panel q at q·MR·kc, its element (r, p) at
   * p·MR + r. The slots of a last panel's missing rows are not written (no kernel reads them).
   */
  private static void packA(
      float[] a, int offA, int k, int ic, int mc, int pc, int kc, float[] dst) {
    for (int q = 0; q < mc; q += MR) {
      int rows = Math.min(MR, mc - q);
      int base = q * kc;
      for (int r = 0; r < rows; r++) {
        int src = offA + (ic + q + r) * k + pc;
        int d = base + r;
        for (int p = 0; p < kc; p++) {
          dst[d + p * MR] = a[src + p];
        }
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

  /** acc[i·NR + j] = Σ_p op(A)[i, p] · B[p, j] for i < 8, j < 2L. */
  private static void rows8x2(
      int kc, float[] a, int aOff, int rs, int cs, float[] b, int bOff, int ldb, float[] acc) {
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
    FloatVector c60 = zero;
    FloatVector c61 = zero;
    FloatVector c70 = zero;
    FloatVector c71 = zero;
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
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
    c60.intoArray(acc, 6 * NR);
    c61.intoArray(acc, 6 * NR + L);
    c70.intoArray(acc, 7 * NR);
    c71.intoArray(acc, 7 * NR + L);
  }

  /** acc[i·NR + j] = Σ_p op(A)[i, p] · B[p, j] for i < 6, j < 2L. */
  private static void rows6x2(
      int kc, float[] a, int aOff, int rs, int cs, float[] b, int bOff, int ldb, float[] acc) {
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
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
  }

  /** acc[i·NR + j] = Σ_p op(A)[i, p] · B[p, j] for i < 4, j < 2L. */
  private static void rows4x2(
      int kc, float[] a, int aOff, int rs, int cs, float[] b, int bOff, int ldb, float[] acc) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    FloatVector c10 = zero;
    FloatVector c11 = zero;
    FloatVector c20 = zero;
    FloatVector c21 = zero;
    FloatVector c30 = zero;
    FloatVector c31 = zero;
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
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
  }

  /** acc[i·NR + j] = Σ_p op(A)[i, p] · B[p, j] for i < 2, j < 2L. */
  private static void rows2x2(
      int kc, float[] a, int aOff, int rs, int cs, float[] b, int bOff, int ldb, float[] acc) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    FloatVector c10 = zero;
    FloatVector c11 = zero;
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
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
  }

  /**
   * acc[i·NR + j] = Σ_p Aᵀ[i, p] · B[p, j] for i < 8, j < 2L, with Aᵀ(i, p) at aOff + p·lda + i
   * (op(A) = Aᵀ: its 8 rows are adjacent).
   */
  private static void rows8x2t(
      int kc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] acc) {
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
    FloatVector c60 = zero;
    FloatVector c61 = zero;
    FloatVector c70 = zero;
    FloatVector c71 = zero;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += lda, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ai + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ai + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ai + 4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ai + 5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
      av = FloatVector.broadcast(S, a[ai + 6]);
      c60 = av.fma(b0, c60);
      c61 = av.fma(b1, c61);
      av = FloatVector.broadcast(S, a[ai + 7]);
      c70 = av.fma(b0, c70);
      c71 = av.fma(b1, c71);
    }
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
    c60.intoArray(acc, 6 * NR);
    c61.intoArray(acc, 6 * NR + L);
    c70.intoArray(acc, 7 * NR);
    c71.intoArray(acc, 7 * NR + L);
  }

  /**
   * acc[i·NR + j] = Σ_p Aᵀ[i, p] · B[p, j] for i < 6, j < 2L, with Aᵀ(i, p) at aOff + p·lda + i
   * (op(A) = Aᵀ: its 6 rows are adjacent).
   */
  private static void rows6x2t(
      int kc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] acc) {
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
    for (int p = 0; p < kc; p++, ai += lda, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ai + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ai + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, a[ai + 4]);
      c40 = av.fma(b0, c40);
      c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, a[ai + 5]);
      c50 = av.fma(b0, c50);
      c51 = av.fma(b1, c51);
    }
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
    c40.intoArray(acc, 4 * NR);
    c41.intoArray(acc, 4 * NR + L);
    c50.intoArray(acc, 5 * NR);
    c51.intoArray(acc, 5 * NR + L);
  }

  /**
   * acc[i·NR + j] = Σ_p Aᵀ[i, p] · B[p, j] for i < 4, j < 2L, with Aᵀ(i, p) at aOff + p·lda + i
   * (op(A) = Aᵀ: its 4 rows are adjacent).
   */
  private static void rows4x2t(
      int kc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] acc) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    FloatVector c10 = zero;
    FloatVector c11 = zero;
    FloatVector c20 = zero;
    FloatVector c21 = zero;
    FloatVector c30 = zero;
    FloatVector c31 = zero;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += lda, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, a[ai + 2]);
      c20 = av.fma(b0, c20);
      c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, a[ai + 3]);
      c30 = av.fma(b0, c30);
      c31 = av.fma(b1, c31);
    }
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
    c20.intoArray(acc, 2 * NR);
    c21.intoArray(acc, 2 * NR + L);
    c30.intoArray(acc, 3 * NR);
    c31.intoArray(acc, 3 * NR + L);
  }

  /**
   * acc[i·NR + j] = Σ_p Aᵀ[i, p] · B[p, j] for i < 2, j < 2L, with Aᵀ(i, p) at aOff + p·lda + i
   * (op(A) = Aᵀ: its 2 rows are adjacent).
   */
  private static void rows2x2t(
      int kc, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] acc) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    FloatVector c10 = zero;
    FloatVector c11 = zero;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += lda, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, a[ai + 1]);
      c10 = av.fma(b0, c10);
      c11 = av.fma(b1, c11);
    }
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
    c10.intoArray(acc, 1 * NR);
    c11.intoArray(acc, 1 * NR + L);
  }

  /** acc[i·NR + j] = Σ_p op(A)[i, p] · B[p, j] for i < 1, j < 2L. */
  private static void rows1x2(
      int kc, float[] a, int aOff, int cs, float[] b, int bOff, int ldb, float[] acc) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += cs, bi += ldb) {
      FloatVector b0 = FloatVector.fromArray(S, b, bi);
      FloatVector b1 = FloatVector.fromArray(S, b, bi + L);
      FloatVector av = FloatVector.broadcast(S, a[ai]);
      c00 = av.fma(b0, c00);
      c01 = av.fma(b1, c01);
    }
    c00.intoArray(acc, 0 * NR);
    c01.intoArray(acc, 0 * NR + L);
  }

  /**
   * 4 rows of C × 4 narrow columns as dot products along p (op(A) = A, rows contiguous): {@code
   * out[i·4 + j] = alpha · Σ_p A[i, p] · bt[j·kc + p]}.
   */
  private static void dotRows4(
      int kc, float[] a, int aOff, int lda, float[] bt, float alpha, float[] out) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    FloatVector c02 = zero;
    FloatVector c03 = zero;
    FloatVector c10 = zero;
    FloatVector c11 = zero;
    FloatVector c12 = zero;
    FloatVector c13 = zero;
    FloatVector c20 = zero;
    FloatVector c21 = zero;
    FloatVector c22 = zero;
    FloatVector c23 = zero;
    FloatVector c30 = zero;
    FloatVector c31 = zero;
    FloatVector c32 = zero;
    FloatVector c33 = zero;
    int p = 0;
    // A bound computed up front makes this a counted loop, whose range checks C2 hoists (with
    // the test p + L <= kc it checked all eight loads at every step).
    for (int up = kc - kc % L; p < up; p += L) {
      FloatVector b0 = FloatVector.fromArray(S, bt, 0 * kc + p);
      FloatVector b1 = FloatVector.fromArray(S, bt, 1 * kc + p);
      FloatVector b2 = FloatVector.fromArray(S, bt, 2 * kc + p);
      FloatVector b3 = FloatVector.fromArray(S, bt, 3 * kc + p);
      FloatVector a0 = FloatVector.fromArray(S, a, aOff + p);
      c00 = a0.fma(b0, c00);
      c01 = a0.fma(b1, c01);
      c02 = a0.fma(b2, c02);
      c03 = a0.fma(b3, c03);
      FloatVector a1 = FloatVector.fromArray(S, a, aOff + 1 * lda + p);
      c10 = a1.fma(b0, c10);
      c11 = a1.fma(b1, c11);
      c12 = a1.fma(b2, c12);
      c13 = a1.fma(b3, c13);
      FloatVector a2 = FloatVector.fromArray(S, a, aOff + 2 * lda + p);
      c20 = a2.fma(b0, c20);
      c21 = a2.fma(b1, c21);
      c22 = a2.fma(b2, c22);
      c23 = a2.fma(b3, c23);
      FloatVector a3 = FloatVector.fromArray(S, a, aOff + 3 * lda + p);
      c30 = a3.fma(b0, c30);
      c31 = a3.fma(b1, c31);
      c32 = a3.fma(b2, c32);
      c33 = a3.fma(b3, c33);
    }
    float s00 = c00.reduceLanes(VectorOperators.ADD);
    float s01 = c01.reduceLanes(VectorOperators.ADD);
    float s02 = c02.reduceLanes(VectorOperators.ADD);
    float s03 = c03.reduceLanes(VectorOperators.ADD);
    float s10 = c10.reduceLanes(VectorOperators.ADD);
    float s11 = c11.reduceLanes(VectorOperators.ADD);
    float s12 = c12.reduceLanes(VectorOperators.ADD);
    float s13 = c13.reduceLanes(VectorOperators.ADD);
    float s20 = c20.reduceLanes(VectorOperators.ADD);
    float s21 = c21.reduceLanes(VectorOperators.ADD);
    float s22 = c22.reduceLanes(VectorOperators.ADD);
    float s23 = c23.reduceLanes(VectorOperators.ADD);
    float s30 = c30.reduceLanes(VectorOperators.ADD);
    float s31 = c31.reduceLanes(VectorOperators.ADD);
    float s32 = c32.reduceLanes(VectorOperators.ADD);
    float s33 = c33.reduceLanes(VectorOperators.ADD);
    for (; p < kc; p++) {
      float x0 = a[aOff + p];
      s00 += x0 * bt[0 * kc + p];
      s01 += x0 * bt[1 * kc + p];
      s02 += x0 * bt[2 * kc + p];
      s03 += x0 * bt[3 * kc + p];
      float x1 = a[aOff + 1 * lda + p];
      s10 += x1 * bt[0 * kc + p];
      s11 += x1 * bt[1 * kc + p];
      s12 += x1 * bt[2 * kc + p];
      s13 += x1 * bt[3 * kc + p];
      float x2 = a[aOff + 2 * lda + p];
      s20 += x2 * bt[0 * kc + p];
      s21 += x2 * bt[1 * kc + p];
      s22 += x2 * bt[2 * kc + p];
      s23 += x2 * bt[3 * kc + p];
      float x3 = a[aOff + 3 * lda + p];
      s30 += x3 * bt[0 * kc + p];
      s31 += x3 * bt[1 * kc + p];
      s32 += x3 * bt[2 * kc + p];
      s33 += x3 * bt[3 * kc + p];
    }
    out[0] = alpha * s00;
    out[1] = alpha * s01;
    out[2] = alpha * s02;
    out[3] = alpha * s03;
    out[4] = alpha * s10;
    out[5] = alpha * s11;
    out[6] = alpha * s12;
    out[7] = alpha * s13;
    out[8] = alpha * s20;
    out[9] = alpha * s21;
    out[10] = alpha * s22;
    out[11] = alpha * s23;
    out[12] = alpha * s30;
    out[13] = alpha * s31;
    out[14] = alpha * s32;
    out[15] = alpha * s33;
  }

  /**
   * 4 vectors of rows of C × 4 narrow columns (op(A) = Aᵀ, rows contiguous along i): {@code
   * out[(j·4 + v)·L + r] = Σ_p A[p, v·L + r] · be[4p + j]}.
   */
  private static void rowVectors4(int kc, float[] a, int aOff, int lda, float[] be, float[] out) {
    FloatVector zero = FloatVector.zero(S);
    FloatVector c00 = zero;
    FloatVector c01 = zero;
    FloatVector c02 = zero;
    FloatVector c03 = zero;
    FloatVector c10 = zero;
    FloatVector c11 = zero;
    FloatVector c12 = zero;
    FloatVector c13 = zero;
    FloatVector c20 = zero;
    FloatVector c21 = zero;
    FloatVector c22 = zero;
    FloatVector c23 = zero;
    FloatVector c30 = zero;
    FloatVector c31 = zero;
    FloatVector c32 = zero;
    FloatVector c33 = zero;
    int ai = aOff;
    for (int p = 0; p < kc; p++, ai += lda) {
      FloatVector a0 = FloatVector.fromArray(S, a, ai);
      FloatVector a1 = FloatVector.fromArray(S, a, ai + 1 * L);
      FloatVector a2 = FloatVector.fromArray(S, a, ai + 2 * L);
      FloatVector a3 = FloatVector.fromArray(S, a, ai + 3 * L);
      FloatVector b0 = FloatVector.broadcast(S, be[4 * p + 0]);
      c00 = a0.fma(b0, c00);
      c01 = a1.fma(b0, c01);
      c02 = a2.fma(b0, c02);
      c03 = a3.fma(b0, c03);
      FloatVector b1 = FloatVector.broadcast(S, be[4 * p + 1]);
      c10 = a0.fma(b1, c10);
      c11 = a1.fma(b1, c11);
      c12 = a2.fma(b1, c12);
      c13 = a3.fma(b1, c13);
      FloatVector b2 = FloatVector.broadcast(S, be[4 * p + 2]);
      c20 = a0.fma(b2, c20);
      c21 = a1.fma(b2, c21);
      c22 = a2.fma(b2, c22);
      c23 = a3.fma(b2, c23);
      FloatVector b3 = FloatVector.broadcast(S, be[4 * p + 3]);
      c30 = a0.fma(b3, c30);
      c31 = a1.fma(b3, c31);
      c32 = a2.fma(b3, c32);
      c33 = a3.fma(b3, c33);
    }
    c00.intoArray(out, 0 * L);
    c01.intoArray(out, 1 * L);
    c02.intoArray(out, 2 * L);
    c03.intoArray(out, 3 * L);
    c10.intoArray(out, 4 * L);
    c11.intoArray(out, 5 * L);
    c12.intoArray(out, 6 * L);
    c13.intoArray(out, 7 * L);
    c20.intoArray(out, 8 * L);
    c21.intoArray(out, 9 * L);
    c22.intoArray(out, 10 * L);
    c23.intoArray(out, 11 * L);
    c30.intoArray(out, 12 * L);
    c31.intoArray(out, 13 * L);
    c32.intoArray(out, 14 * L);
    c33.intoArray(out, 15 * L);
  }
}
