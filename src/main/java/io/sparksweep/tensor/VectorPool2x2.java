package io.sparksweep.tensor;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 2×2 stride-2 max-pooling forward and its relu-gated backward routing on the incubating
 * Vector API, L windows (2L input columns of a pair of rows) per step, L the float lanes of the
 * JVM's preferred vector shape (8 on AVX2, 16 on AVX-512), for {@code layer.FastMaxPool2d} and
 * {@code layer.ConvReluPool}. Only loaded after a check that the {@code jdk.incubator.vector}
 * module is present, so the layers work without it; widths are handled in groups of {@link
 * #WINDOWS} windows and the caller does the remaining windows of each row with its scalar loop.
 *
 * <p>Forward: the two rows' 2L columns are split by {@code rearrange} into the windows' four
 * elements (top-left, top-right, bottom-left, bottom-right, one vector each), then compared in that
 * order with a strict {@code >} lane by lane and the best value and its position blended: exactly
 * the naive loop's {@code best = x[i] > x[best] ? i : best} (first maximum, a NaN never replaces a
 * value and is kept when first), so the argmax and the output are bit for bit the scalar ones. The
 * position is carried as the int bits of a float lane (blends move bits, no arithmetic) and
 * reinterpreted as ints at the end.
 *
 * <p>Backward: the window's gradient and argmax are duplicated into the two columns of the window
 * ({@code rearrange}), and each of the 4L inputs of the L windows receives the gradient where it is
 * its window's argmax and the window's pooled output (that input's relu output) is positive, 0
 * elsewhere: every element of da is written once, no clearing pass, no stores at addresses taken
 * from argmax.
 *
 * <p>Each kernel is one small method: JDK 17's C2 intrinsifies the Vector API only while the method
 * that uses it inlines it whole; a larger method falls back to the API's Java code, which allocates
 * (the training step's allocation test would catch it).
 */
public final class VectorPool2x2 {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> I = VectorSpecies.of(int.class, F.vectorShape());
  private static final int L = F.length();

  /**
   * Whether the kernels run here: the machine has at least 256-bit float vectors. They use the
   * preferred shape, as {@link VectorSgemm} and {@link VectorKernels} do: one shape in the JVM
   * (with two, the shared {@code FloatVector} methods see two receiver classes, C2 stops inlining
   * them whole and boxes the vectors: 256-bit pools beside a 512-bit VectorSgemm made the pure-Java
   * conv step allocate 45 KB–6 MB per image, 2026-12-03, Zen 4).
   */
  public static final boolean AVAILABLE = L >= 8;

  /** Windows per step: the float lanes of a vector (8 on AVX2, 16 on AVX-512). */
  public static final int WINDOWS = L;

  private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(F, k -> 2 * k % L);
  private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(F, k -> (2 * k + 1) % L);
  private static final VectorMask<Float> HIGH =
      VectorMask.fromLong(F, ((1L << L) - 1) & (-1L << (L / 2))); // lanes L/2 … L−1
  private static final VectorShuffle<Integer> LOW_PAIRS = VectorShuffle.fromOp(I, k -> k / 2);
  private static final VectorShuffle<Integer> HIGH_PAIRS =
      VectorShuffle.fromOp(I, k -> L / 2 + k / 2);
  private static final IntVector WINDOW_STARTS = IntVector.zero(I).addIndex(2);
  private static final IntVector IOTA = IntVector.zero(I).addIndex(1);
  private static final FloatVector ZERO = FloatVector.zero(F);
  private static final FloatVector ONE_BITS = FloatVector.broadcast(F, Float.intBitsToFloat(1));
  private static final IntVector ZERO_INTS = IntVector.zero(I);

  private VectorPool2x2() {}

  /**
   * Pools the windows of one pair of rows, {@code groups} steps of {@link #WINDOWS} windows from
   * the window whose top-left input is {@code i0}: {@code out[o …]} gets each window's maximum and
   * {@code argmax[o …]} its index in x (see the class comment for the order of comparisons).
   *
   * @param w the row length of x (the bottom row of a window is w further on)
   */
  public static void forward(
      float[] x, int i0, int w, int groups, float[] out, int[] argmax, int o) {
    FloatVector bottomLeft = FloatVector.broadcast(F, Float.intBitsToFloat(w));
    FloatVector bottomRight = FloatVector.broadcast(F, Float.intBitsToFloat(w + 1));
    for (int gi = 0; gi < groups; gi++, i0 += 2 * L, o += WINDOWS) {
      FloatVector t0 = FloatVector.fromArray(F, x, i0);
      FloatVector t1 = FloatVector.fromArray(F, x, i0 + L);
      FloatVector b0 = FloatVector.fromArray(F, x, i0 + w);
      FloatVector b1 = FloatVector.fromArray(F, x, i0 + w + L);
      FloatVector m = t0.rearrange(EVEN).blend(t1.rearrange(EVEN), HIGH);
      FloatVector v = t0.rearrange(ODD).blend(t1.rearrange(ODD), HIGH);
      VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
      m = m.blend(v, gt);
      FloatVector pos = ZERO.blend(ONE_BITS, gt);
      v = b0.rearrange(EVEN).blend(b1.rearrange(EVEN), HIGH);
      gt = v.compare(VectorOperators.GT, m);
      m = m.blend(v, gt);
      pos = pos.blend(bottomLeft, gt);
      v = b0.rearrange(ODD).blend(b1.rearrange(ODD), HIGH);
      gt = v.compare(VectorOperators.GT, m);
      m = m.blend(v, gt);
      pos = pos.blend(bottomRight, gt);
      m.intoArray(out, o);
      pos.reinterpretAsInts().add(WINDOW_STARTS).add(i0).intoArray(argmax, o);
    }
  }

  /**
   * {@link #forward} on {@code max(x, 0)}: each group's 4L inputs are replaced in x by their relu
   * (as {@code Math.max(v, 0f)}) before they are pooled, in the same pass.
   */
  public static void reluForward(
      float[] x, int i0, int w, int groups, float[] out, int[] argmax, int o) {
    FloatVector bottomLeft = FloatVector.broadcast(F, Float.intBitsToFloat(w));
    FloatVector bottomRight = FloatVector.broadcast(F, Float.intBitsToFloat(w + 1));
    for (int gi = 0; gi < groups; gi++, i0 += 2 * L, o += WINDOWS) {
      FloatVector t0 = FloatVector.fromArray(F, x, i0).max(ZERO);
      FloatVector t1 = FloatVector.fromArray(F, x, i0 + L).max(ZERO);
      FloatVector b0 = FloatVector.fromArray(F, x, i0 + w).max(ZERO);
      FloatVector b1 = FloatVector.fromArray(F, x, i0 + w + L).max(ZERO);
      t0.intoArray(x, i0);
      t1.intoArray(x, i0 + L);
      b0.intoArray(x, i0 + w);
      b1.intoArray(x, i0 + w + L);
      FloatVector m = t0.rearrange(EVEN).blend(t1.rearrange(EVEN), HIGH);
      FloatVector v = t0.rearrange(ODD).blend(t1.rearrange(ODD), HIGH);
      VectorMask<Float> gt = v.compare(VectorOperators.GT, m);
      m = m.blend(v, gt);
      FloatVector pos = ZERO.blend(ONE_BITS, gt);
      v = b0.rearrange(EVEN).blend(b1.rearrange(EVEN), HIGH);
      gt = v.compare(VectorOperators.GT, m);
      m = m.blend(v, gt);
      pos = pos.blend(bottomLeft, gt);
      v = b0.rearrange(ODD).blend(b1.rearrange(ODD), HIGH);
      gt = v.compare(VectorOperators.GT, m);
      m = m.blend(v, gt);
      pos = pos.blend(bottomRight, gt);
      m.intoArray(out, o);
      pos.reinterpretAsInts().add(WINDOW_STARTS).add(i0).intoArray(argmax, o);
    }
  }

  /**
   * Routes the gradients of one pair of rows' windows, {@code groups} steps of {@link #WINDOWS}
   * windows from the window whose top-left input is {@code i0} (an index in the conv output; {@code
   * i0 − aOff} in da): each of the windows' inputs j gets {@code dout[o]} of its window where
   * {@code j == argmax[o]} and the pooled output {@code gates[o]} (the relu output at argmax) is
   * positive, else +0.0.
   *
   * @return the sum of the routed gradients (each group's float sum, added in double)
   */
  public static double scatter(
      float[] dout,
      float[] gates,
      int[] argmax,
      int o,
      int i0,
      int w,
      int groups,
      int aOff,
      float[] da) {
    double sum = 0;
    for (int gi = 0; gi < groups; gi++, i0 += 2 * L, o += WINDOWS) {
      IntVector am = IntVector.fromArray(I, argmax, o);
      IntVector open = FloatVector.fromArray(F, gates, o).reinterpretAsInts();
      IntVector d =
          ZERO_INTS.blend(
              FloatVector.fromArray(F, dout, o).reinterpretAsInts(),
              open.compare(VectorOperators.GT, 0));
      IntVector amLow = am.rearrange(LOW_PAIRS);
      IntVector amHigh = am.rearrange(HIGH_PAIRS);
      IntVector dLow = d.rearrange(LOW_PAIRS);
      IntVector dHigh = d.rearrange(HIGH_PAIRS);
      IntVector j = IOTA.add(i0);
      FloatVector r0 = route(j, amLow, dLow);
      FloatVector r1 = route(j.add(L), amHigh, dHigh);
      FloatVector r2 = route(j.add(w), amLow, dLow);
      FloatVector r3 = route(j.add(w + L), amHigh, dHigh);
      int da0 = i0 - aOff;
      r0.intoArray(da, da0);
      r1.intoArray(da, da0 + L);
      r2.intoArray(da, da0 + w);
      r3.intoArray(da, da0 + w + L);
      sum += r0.add(r1).add(r2.add(r3)).reduceLanes(VectorOperators.ADD);
    }
    return sum;
  }

  /** Lanes of the gated d where {@code argmax == j}, else +0.0. */
  private static FloatVector route(IntVector j, IntVector am, IntVector d) {
    return ZERO_INTS.blend(d, am.compare(VectorOperators.EQ, j)).reinterpretAsFloats();
  }
}
