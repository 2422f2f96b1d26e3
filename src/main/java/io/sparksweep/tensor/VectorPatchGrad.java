package io.sparksweep.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 weight gradient of a convolution whose output gradient reaches only a few positions, on
 * the incubating Vector API: the convolution under a relu and a max pool, where each pooling window
 * routes its gradient to one position (its argmax) and only where that position's activation is
 * positive. The dense product {@code dW = dout · im2col(x)ᵀ} then multiplies mostly zeros (for 2×2
 * pools at least three quarters); here each routed gradient {@code g} at output position (oh, ow)
 * adds {@code g ·} the receptive field of that position to the filter's gradient, which is the same
 * sum without the zero terms.
 *
 * <p>The receptive fields are read from {@link #strips}: for each output column ow, the (padded)
 * input rows it sees, each row as C channels of WW consecutive input columns, {@code (W', H +
 * 2·pad, C, WW)}. The field of (oh, ow) is then one contiguous run of K = HH·C·WW floats starting
 * at {@link #patchOffsets}{@code [oh·W' + ow]}, laid out (kh, c, kw): the accumulation is a sum of
 * scaled contiguous runs, {@code L} lanes at a time, with the gradients of one filter in vector
 * registers ({@link #accumulate}), and {@link #toFilters} reorders it into (F, C, HH, WW). The
 * strip buffer of the convnet's 3×32×32 images with 7×7 filters is 100 KB, a fifth of its column
 * matrix, and consecutive fields down an output column share all but {@code stride} of their rows.
 *
 * <p>Each kernel is one small method, as in {@link VectorPool2x2}: C2 intrinsifies the Vector API
 * only while the method that uses it inlines it whole.
 */
public final class VectorPatchGrad {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final int L = F.length();

  /** Vectors per pass of the wide kernel and of the narrow one that finishes a field. */
  private static final int WIDE = 8;

  private static final int NARROW = 4;

  /**
   * Whether the kernels run here: at least 256-bit float vectors, in the preferred shape (see
   * {@link VectorPool2x2#AVAILABLE} on why one shape).
   */
  public static final boolean AVAILABLE = L >= 8;

  private VectorPatchGrad() {}

  /**
   * Floats per filter in the accumulator: K rounded up to whole pairs of vectors ({@code 2·L}); the
   * lanes past K collect sums of neighbouring strip entries and are never read back.
   */
  public static int span(Im2Col.Geometry g) {
    int q = 2 * L;
    return (g.patchSize() + q - 1) / q * q;
  }

  /** Floats of the strip buffer of {@link #strips}, with room for the kernels' over-reads. */
  public static int stripsSize(Im2Col.Geometry g) {
    return g.outWidth() * paddedHeight(g) * g.channels() * g.filterWidth() + span(g) + L;
  }

  private static int paddedHeight(Im2Col.Geometry g) {
    return g.height() + 2 * g.pad();
  }

  /**
   * {@code offsets[oh·W' + ow]}: where the receptive field of output position (oh, ow) starts in
   * the strip buffer.
   *
   * @param offsets at least H'·W' ints, overwritten
   */
  public static void patchOffsets(Im2Col.Geometry g, int[] offsets) {
    int run = g.channels() * g.filterWidth();
    int ph = paddedHeight(g);
    for (int oh = 0, q = 0; oh < g.outHeight(); oh++) {
      for (int ow = 0; ow < g.outWidth(); ow++, q++) {
        offsets[q] = (ow * ph + oh * g.stride()) * run;
      }
    }
  }

  /**
   * Writes one image's strips from its zero-padded copy {@code xp} ({@link VectorIm2Col#pad}):
   * entry {@code ((ow·(H + 2·pad) + r)·C + c)·WW + kw} is {@code xp[c, r, ow·stride + kw]}. Every
   * entry is written, in increasing order, a run of WW floats at a time by whole-vector copies: the
   * lanes past WW are overwritten by the next run, the last ones land in the slack.
   *
   * @param strips at least {@link #stripsSize} floats
   */
  public static void strips(Im2Col.Geometry g, float[] xp, float[] strips) {
    int c = g.channels();
    int ww = g.filterWidth();
    int ph = paddedHeight(g);
    int pw = g.width() + 2 * g.pad();
    int d = 0;
    for (int ow = 0; ow < g.outWidth(); ow++) {
      for (int r = 0, row = ow * g.stride(); r < ph; r++, row += pw) {
        for (int ci = 0, src = row; ci < c; ci++, src += ph * pw, d += ww) {
          copyRun(xp, src, strips, d, ww);
        }
      }
    }
  }

  private static void copyRun(float[] xp, int src, float[] strips, int d, int ww) {
    for (int t = 0; t < ww; t += L) {
      FloatVector.fromArray(F, xp, src + t).intoArray(strips, d + t);
    }
  }

  /**
   * {@code acc[accOff + t] += Σ_i gs[i] · strips[offsets[i] + t]} for {@code t < span}: the routed
   * gradients {@code gs[0 … n)} of one filter, each times its receptive field. Per pass of 8 (then
   * 4, then 2) vectors the accumulators stay in registers over all n fields.
   *
   * @param offsets where each field starts in {@code strips} (from {@link #patchOffsets})
   * @param span {@link #span} of the geometry
   */
  public static void accumulate(
      float[] strips, int[] offsets, float[] gs, int n, float[] acc, int accOff, int span) {
    int t = 0;
    for (; t + WIDE * L <= span; t += WIDE * L) {
      wide(strips, offsets, gs, n, acc, accOff + t, t);
    }
    for (; t + NARROW * L <= span; t += NARROW * L) {
      narrow(strips, offsets, gs, n, acc, accOff + t, t);
    }
    if (t < span) {
      pair(strips, offsets, gs, n, acc, accOff + t, t);
    }
  }

  /**
   * The last two vectors of a field: even and odd fields on separate accumulators, so that two
   * chains of fused multiply-adds are in flight instead of one.
   */
  private static void pair(
      float[] strips, int[] offsets, float[] gs, int n, float[] acc, int a, int t) {
    FloatVector a0 = FloatVector.fromArray(F, acc, a);
    FloatVector a1 = FloatVector.fromArray(F, acc, a + L);
    FloatVector b0 = FloatVector.zero(F);
    FloatVector b1 = FloatVector.zero(F);
    int i = 0;
    for (; i + 1 < n; i += 2) {
      int o = offsets[i] + t;
      int q = offsets[i + 1] + t;
      FloatVector g = FloatVector.broadcast(F, gs[i]);
      FloatVector h = FloatVector.broadcast(F, gs[i + 1]);
      a0 = FloatVector.fromArray(F, strips, o).fma(g, a0);
      a1 = FloatVector.fromArray(F, strips, o + L).fma(g, a1);
      b0 = FloatVector.fromArray(F, strips, q).fma(h, b0);
      b1 = FloatVector.fromArray(F, strips, q + L).fma(h, b1);
    }
    if (i < n) {
      int o = offsets[i] + t;
      FloatVector g = FloatVector.broadcast(F, gs[i]);
      a0 = FloatVector.fromArray(F, strips, o).fma(g, a0);
      a1 = FloatVector.fromArray(F, strips, o + L).fma(g, a1);
    }
    a0.add(b0).intoArray(acc, a);
    a1.add(b1).intoArray(acc, a + L);
  }

  private static void wide(
      float[] strips, int[] offsets, float[] gs, int n, float[] acc, int a, int t) {
    FloatVector a0 = FloatVector.fromArray(F, acc, a);
    FloatVector a1 = FloatVector.fromArray(F, acc, a + L);
    FloatVector a2 = FloatVector.fromArray(F, acc, a + 2 * L);
    FloatVector a3 = FloatVector.fromArray(F, acc, a + 3 * L);
    FloatVector a4 = FloatVector.fromArray(F, acc, a + 4 * L);
    FloatVector a5 = FloatVector.fromArray(F, acc, a + 5 * L);
    FloatVector a6 = FloatVector.fromArray(F, acc, a + 6 * L);
    FloatVector a7 = FloatVector.fromArray(F, acc, a + 7 * L);
    for (int i = 0; i < n; i++) {
      int o = offsets[i] + t;
      FloatVector g = FloatVector.broadcast(F, gs[i]);
      a0 = FloatVector.fromArray(F, strips, o).fma(g, a0);
      a1 = FloatVector.fromArray(F, strips, o + L).fma(g, a1);
      a2 = FloatVector.fromArray(F, strips, o + 2 * L).fma(g, a2);
      a3 = FloatVector.fromArray(F, strips, o + 3 * L).fma(g, a3);
      a4 = FloatVector.fromArray(F, strips, o + 4 * L).fma(g, a4);
      a5 = FloatVector.fromArray(F, strips, o + 5 * L).fma(g, a5);
      a6 = FloatVector.fromArray(F, strips, o + 6 * L).fma(g, a6);
      a7 = FloatVector.fromArray(F, strips, o + 7 * L).fma(g, a7);
    }
    a0.intoArray(acc, a);
    a1.intoArray(acc, a + L);
    a2.intoArray(acc, a + 2 * L);
    a3.intoArray(acc, a + 3 * L);
    a4.intoArray(acc, a + 4 * L);
    a5.intoArray(acc, a + 5 * L);
    a6.intoArray(acc, a + 6 * L);
    a7.intoArray(acc, a + 7 * L);
  }

  private static void narrow(
      float[] strips, int[] offsets, float[] gs, int n, float[] acc, int a, int t) {
    FloatVector a0 = FloatVector.fromArray(F, acc, a);
    FloatVector a1 = FloatVector.fromArray(F, acc, a + L);
    FloatVector a2 = FloatVector.fromArray(F, acc, a + 2 * L);
    FloatVector a3 = FloatVector.fromArray(F, acc, a + 3 * L);
    for (int i = 0; i < n; i++) {
      int o = offsets[i] + t;
      FloatVector g = FloatVector.broadcast(F, gs[i]);
      a0 = FloatVector.fromArray(F, strips, o).fma(g, a0);
      a1 = FloatVector.fromArray(F, strips, o + L).fma(g, a1);
      a2 = FloatVector.fromArray(F, strips, o + 2 * L).fma(g, a2);
      a3 = FloatVector.fromArray(F, strips, o + 3 * L).fma(g, a3);
    }
    a0.intoArray(acc, a);
    a1.intoArray(acc, a + L);
    a2.intoArray(acc, a + 2 * L);
    a3.intoArray(acc, a + 3 * L);
  }

  /** {@code Σ gs[0 … n)}: lane sums in float, added in double. */
  public static double sum(float[] gs, int n) {
    FloatVector s = FloatVector.zero(F);
    int i = 0;
    for (int end = F.loopBound(n); i < end; i += L) {
      s = s.add(FloatVector.fromArray(F, gs, i));
    }
    double total = 0;
    for (int lane = 0; lane < L; lane++) {
      total += s.lane(lane);
    }
    for (; i < n; i++) {
      total += gs[i];
    }
    return total;
  }

  /**
   * {@code dw[jf, c, kh, kw] = acc[jf·span + (kh·C + c)·WW + kw]}: the accumulators of {@code f}
   * filters, in the fields' (kh, c, kw) order, as the (F, C, HH, WW) weight gradient.
   */
  public static void toFilters(Im2Col.Geometry g, int f, float[] acc, int span, float[] dw) {
    int c = g.channels();
    int hh = g.filterHeight();
    int ww = g.filterWidth();
    int o = 0;
    for (int jf = 0; jf < f; jf++) {
      for (int ci = 0; ci < c; ci++) {
        for (int kh = 0; kh < hh; kh++) {
          int src = jf * span + (kh * c + ci) * ww;
          for (int kw = 0; kw < ww; kw++) {
            dw[o++] = acc[src + kw];
          }
        }
      }
    }
  }
}
