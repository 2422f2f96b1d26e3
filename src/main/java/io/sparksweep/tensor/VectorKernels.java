package io.sparksweep.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 passes of the training step that C2 does not vectorize by itself, on the incubating
 * Vector API: unsigned bytes minus a mean (the minibatch gather of {@code data.ByteImageExamples},
 * 3,072 bytes an image; a mixed byte/float loop stays scalar), the L2 penalty with its gradient (a
 * float sum reduction stays scalar, since its order is fixed), the float32 column sums' float trees
 * (a float-to-double loop stays scalar), and the row-broadcast passes of the fc nets (rows of 100
 * floats: C2's vectorized loop covers 64 and leaves 36 to its scalar post-loop). Each is bit for
 * bit the scalar loop it replaces. Only loaded after a check that the {@code jdk.incubator.vector}
 * module is present.
 *
 * <p>{@link #centered}: bytes are signed in Java: each lane is flipped ({@code b ^ 0x80} = {@code u
 * − 128} as a signed byte), widened to float (exact), and 128 added back (exact: integers below
 * 2^24), so the result is bit for bit the scalar float expression {@code (float) u − mean[j]}.
 *
 * <p>The float shape is the JVM's preferred one, as in {@link VectorSgemm} and {@link
 * VectorPool2x2}: never a second shape (see {@link VectorPool2x2#AVAILABLE}), and no double lanes
 * either: column sums widened into {@code DoubleVector}s (bit for bit the scalar loops, 2.4× faster
 * alone) made VectorSgemm's transposed-A kernel allocate its vectors in the convnet's step (90 →
 * 1,168–1,236 B per image, 2026-12-07), so they were taken out again.
 */
public final class VectorKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * Byte.SIZE));

  private static final VectorSpecies<Long> L = VectorSpecies.of(long.class, F.vectorShape());

  /** Whether the kernel is worth running here: at least 8 float lanes. */
  public static final boolean AVAILABLE = F.length() >= 8;

  /** Lane indices 0, 1, 2, …, and their doubles 0, 2, 4, … (one vector's worth each). */
  private static final long[] INDEX = new long[L.length()];

  private static final long[] EVEN = new long[L.length()];

  static {
    for (int k = 0; k < INDEX.length; k++) {
      INDEX[k] = k;
      EVEN[k] = 2L * k;
    }
  }

  /** Elements per partial sum of {@link #addL2Gradient}: a multiple of every vector length. */
  static final int BLOCK = 256;

  private VectorKernels() {}

  /**
   * {@code dst[dstOff + j] = (src[srcOff + j] & 0xFF) − mean[j]} for {@code j < n}.
   *
   * @param src the bytes
   * @param srcOff the first byte
   * @param mean the values subtracted, length ≥ n
   * @param dst the output
   * @param dstOff where the first value goes
   * @param n how many
   */
  public static void centered(
      byte[] src, int srcOff, float[] mean, float[] dst, int dstOff, int n) {
    int j = 0;
    for (int up = F.loopBound(n); j < up; j += F.length()) {
      lanes(src, srcOff + j, mean, j, dst, dstOff + j);
    }
    for (; j < n; j++) {
      dst[dstOff + j] = (src[srcOff + j] & 0xFF) - mean[j];
    }
  }

  private static void lanes(byte[] src, int s, float[] mean, int m, float[] dst, int d) {
    FloatVector widened =
        (FloatVector)
            ByteVector.fromArray(B, src, s)
                .lanewise(VectorOperators.XOR, (byte) 0x80)
                .convertShape(VectorOperators.B2F, F, 0);
    widened.add(128f).sub(FloatVector.fromArray(F, mean, m)).intoArray(dst, d);
  }

  /**
   * {@code dw += reg·w} and returns {@code Σ w²}: the update bit for bit the scalar loop's ({@code
   * dw[i] + reg·w[i]}, two roundings), the sum in float lanes over blocks of {@value #BLOCK}
   * elements, each block's total added in double (relative error of a few 1e-7, against ≈1e-16 in
   * double; the sum is the loss's L2 term only, never a gradient). One pass over {@code w} instead
   * of two.
   *
   * @param dw gradient, updated in place, length ≥ {@code w.length}
   * @param w weights
   * @param reg the L2 strength
   */
  public static double addL2Gradient(float[] dw, float[] w, float reg) {
    int n = w.length;
    double sum = 0;
    int i = 0;
    for (int up = n - n % BLOCK; i < up; i += BLOCK) {
      sum += l2Block(dw, w, reg, i);
    }
    for (; i < n; i++) {
      dw[i] += reg * w[i];
      sum += (double) w[i] * w[i];
    }
    return sum;
  }

  private static float l2Block(float[] dw, float[] w, float reg, int from) {
    FloatVector acc = FloatVector.zero(F);
    for (int i = from, end = from + BLOCK; i < end; i += F.length()) {
      FloatVector wv = FloatVector.fromArray(F, w, i);
      FloatVector.fromArray(F, dw, i).add(wv.mul(reg)).intoArray(dw, i);
      acc = wv.fma(wv, acc);
    }
    return acc.reduceLanes(VectorOperators.ADD);
  }

  // ---------------------------------------------------------------- row broadcasts

  /**
   * {@code x[r, j] += v[j]}, bit for bit {@link Kernels#rowOp}'s loop. The rows of the fc nets are
   * 100 floats: C2's own vectorized loop runs 64 of them and leaves 36 to its scalar post-loop;
   * here 96 go on vectors.
   */
  static void rowAdd(float[] x, int rows, int cols, float[] v) {
    int up = F.loopBound(cols);
    for (int r = 0; r < rows; r++) {
      int b = r * cols;
      int j = 0;
      for (; j < up; j += F.length()) {
        FloatVector.fromArray(F, x, b + j).add(FloatVector.fromArray(F, v, j)).intoArray(x, b + j);
      }
      for (; j < cols; j++) {
        x[b + j] += v[j];
      }
    }
  }

  /**
   * Batchnorm's normalization of the (n, d) matrix x, bit for bit the scalar loop: {@code xmu = x −
   * mean; xhat = xmu·inv; out = xhat·gamma + beta} (a product and a sum, not a fused multiply-add).
   */
  public static void normalize(
      float[] x,
      float[] mean,
      float[] inv,
      float[] gamma,
      float[] beta,
      int n,
      int d,
      float[] xmu,
      float[] xhat,
      float[] out) {
    int up = F.loopBound(d);
    for (int r = 0; r < n; r++) {
      int b = r * d;
      int j = 0;
      for (; j < up; j += F.length()) {
        int o = b + j;
        FloatVector c = FloatVector.fromArray(F, x, o).sub(FloatVector.fromArray(F, mean, j));
        FloatVector h = c.mul(FloatVector.fromArray(F, inv, j));
        c.intoArray(xmu, o);
        h.intoArray(xhat, o);
        h.mul(FloatVector.fromArray(F, gamma, j))
            .add(FloatVector.fromArray(F, beta, j))
            .intoArray(out, o);
      }
      for (; j < d; j++) {
        float c = x[b + j] - mean[j];
        float h = c * inv[j];
        xmu[b + j] = c;
        xhat[b + j] = h;
        out[b + j] = h * gamma[j] + beta[j];
      }
    }
  }

  /**
   * Batchnorm's simplified training-mode dx, bit for bit the scalar loop: {@code dx = k·((fn·dout −
   * dbeta) − xhat·dgamma)}.
   */
  public static void batchNormDx(
      float[] dout,
      float[] xhat,
      float[] k,
      float[] dbeta,
      float[] dgamma,
      float fn,
      int n,
      int d,
      float[] dx) {
    int up = F.loopBound(d);
    for (int r = 0; r < n; r++) {
      int b = r * d;
      int j = 0;
      for (; j < up; j += F.length()) {
        int o = b + j;
        FloatVector.fromArray(F, dout, o)
            .mul(fn)
            .sub(FloatVector.fromArray(F, dbeta, j))
            .sub(FloatVector.fromArray(F, xhat, o).mul(FloatVector.fromArray(F, dgamma, j)))
            .mul(FloatVector.fromArray(F, k, j))
            .intoArray(dx, o);
      }
      for (; j < d; j++) {
        dx[b + j] = k[j] * (fn * dout[b + j] - dbeta[j] - xhat[b + j] * dgamma[j]);
      }
    }
  }

  // ---------------------------------------------------------------- column sums

  /**
   * The first {@code rows} rows (a multiple of {@link Kernels#ROW_BLOCK}) of {@link
   * Kernels#columnSums}: each block's tree on float lanes, stored to {@code tmp}, then added to
   * {@code acc} in double (scalar: no double lanes).
   */
  static void columnSums(float[] x, int rows, int cols, double[] acc, float[] tmp) {
    int up = F.loopBound(cols);
    for (int r = 0; r < rows; r += Kernels.ROW_BLOCK) {
      int b = r * cols;
      int j = 0;
      for (; j < up; j += F.length()) {
        tree8(x, b + j, cols).intoArray(tmp, j);
      }
      for (; j < cols; j++) {
        tmp[j] = Kernels.tree8(x, b + j, cols);
      }
      for (j = 0; j < cols; j++) {
        acc[j] += tmp[j];
      }
    }
  }

  /** The whole blocks of {@link Kernels#centeredSquareSums}, as {@link #columnSums}. */
  static void centeredSquareSums(
      float[] x, int rows, int cols, float[] mean, double[] acc, float[] tmp) {
    int up = F.loopBound(cols);
    for (int r = 0; r < rows; r += Kernels.ROW_BLOCK) {
      int b = r * cols;
      int j = 0;
      for (; j < up; j += F.length()) {
        FloatVector m = FloatVector.fromArray(F, mean, j);
        FloatVector c0 = FloatVector.fromArray(F, x, b + j).sub(m);
        FloatVector c1 = FloatVector.fromArray(F, x, b + j + cols).sub(m);
        FloatVector c2 = FloatVector.fromArray(F, x, b + j + 2 * cols).sub(m);
        FloatVector c3 = FloatVector.fromArray(F, x, b + j + 3 * cols).sub(m);
        FloatVector c4 = FloatVector.fromArray(F, x, b + j + 4 * cols).sub(m);
        FloatVector c5 = FloatVector.fromArray(F, x, b + j + 5 * cols).sub(m);
        FloatVector c6 = FloatVector.fromArray(F, x, b + j + 6 * cols).sub(m);
        FloatVector c7 = FloatVector.fromArray(F, x, b + j + 7 * cols).sub(m);
        c0.mul(c0)
            .add(c1.mul(c1))
            .add(c2.mul(c2).add(c3.mul(c3)))
            .add(c4.mul(c4).add(c5.mul(c5)).add(c6.mul(c6).add(c7.mul(c7))))
            .intoArray(tmp, j);
      }
      for (; j < cols; j++) {
        tmp[j] = Kernels.squareTree8(x, b + j, cols, mean[j]);
      }
      for (j = 0; j < cols; j++) {
        acc[j] += tmp[j];
      }
    }
  }

  /** The whole blocks of {@link Kernels#columnSumsAndDots}, as {@link #columnSums}. */
  static void columnSumsAndDots(
      float[] g, float[] h, int rows, int cols, double[] sg, double[] sgh, float[] t1, float[] t2) {
    int up = F.loopBound(cols);
    for (int r = 0; r < rows; r += Kernels.ROW_BLOCK) {
      int b = r * cols;
      int j = 0;
      for (; j < up; j += F.length()) {
        int o = b + j;
        tree8(g, o, cols).intoArray(t1, j);
        FloatVector p0 = FloatVector.fromArray(F, g, o).mul(FloatVector.fromArray(F, h, o));
        FloatVector p1 =
            FloatVector.fromArray(F, g, o + cols).mul(FloatVector.fromArray(F, h, o + cols));
        FloatVector p2 =
            FloatVector.fromArray(F, g, o + 2 * cols)
                .mul(FloatVector.fromArray(F, h, o + 2 * cols));
        FloatVector p3 =
            FloatVector.fromArray(F, g, o + 3 * cols)
                .mul(FloatVector.fromArray(F, h, o + 3 * cols));
        FloatVector p4 =
            FloatVector.fromArray(F, g, o + 4 * cols)
                .mul(FloatVector.fromArray(F, h, o + 4 * cols));
        FloatVector p5 =
            FloatVector.fromArray(F, g, o + 5 * cols)
                .mul(FloatVector.fromArray(F, h, o + 5 * cols));
        FloatVector p6 =
            FloatVector.fromArray(F, g, o + 6 * cols)
                .mul(FloatVector.fromArray(F, h, o + 6 * cols));
        FloatVector p7 =
            FloatVector.fromArray(F, g, o + 7 * cols)
                .mul(FloatVector.fromArray(F, h, o + 7 * cols));
        p0.add(p1).add(p2.add(p3)).add(p4.add(p5).add(p6.add(p7))).intoArray(t2, j);
      }
      for (; j < cols; j++) {
        t1[j] = Kernels.tree8(g, b + j, cols);
        t2[j] = Kernels.dotTree8(g, h, b + j, cols);
      }
      for (j = 0; j < cols; j++) {
        sg[j] += t1[j];
        sgh[j] += t2[j];
      }
    }
  }

  /** Lanes {@code x[o + i·s]} of rows i = 0…7 summed as {@link Kernels#tree8}. */
  private static FloatVector tree8(float[] x, int o, int s) {
    FloatVector s01 = FloatVector.fromArray(F, x, o).add(FloatVector.fromArray(F, x, o + s));
    FloatVector s23 =
        FloatVector.fromArray(F, x, o + 2 * s).add(FloatVector.fromArray(F, x, o + 3 * s));
    FloatVector s45 =
        FloatVector.fromArray(F, x, o + 4 * s).add(FloatVector.fromArray(F, x, o + 5 * s));
    FloatVector s67 =
        FloatVector.fromArray(F, x, o + 6 * s).add(FloatVector.fromArray(F, x, o + 7 * s));
    return s01.add(s23).add(s45.add(s67));
  }

  // ---------------------------------------------------------------- dropout masks

  /**
   * The inverted dropout mask of {@code n} SplitMix64 draws: {@code m[i] = scale} where the i-th
   * {@code nextDouble()} of the generator at {@code seed} (stream {@code gamma}) is below the keep
   * probability, else 0. Draw i is {@code mix64(seed + (i + 1)·gamma) >>> 11} (53 bits; {@code
   * nextDouble()} is that times 2⁻⁵³, exact), and {@code u·2⁻⁵³ < p} exactly when {@code u <
   * ceil(p·2⁵³)} = {@code threshold}: the same mask, bit for bit, as the scalar draws, computed in
   * 64-bit lanes. The caller advances the generator by {@code n} draws.
   *
   * @param seed the generator's seed before the first draw
   * @param gamma its stream increment
   * @param m the mask, length ≥ n
   * @param n how many draws
   * @param threshold {@code ceil(p·2⁵³)}
   * @param scale the value of a kept element ({@code 1/p})
   */
  public static void keepMask(
      long seed, long gamma, float[] m, int n, long threshold, float scale) {
    int lanes = L.length();
    int step = 2 * lanes; // = F.length(): lane k of the pair holds elements 2k and 2k + 1
    long lo = Float.floatToRawIntBits(scale) & 0xFFFF_FFFFL;
    long hi = lo << 32;
    // Seeds of elements 2k (even lanes) and 2k + 1 (odd lanes) relative to the block's first.
    LongVector evenOffsets = LongVector.fromArray(L, EVEN, 0).mul(gamma);
    LongVector oddOffsets = evenOffsets.add(gamma);
    int i = 0;
    for (int up = n - n % step; i < up; i += step) {
      long first = seed + (i + 1) * gamma;
      // mix64 of both lane sets, written out here: a vector passed to a method C2 does not inline
      // is boxed (allocated), and a helper of this size is not always inlined.
      LongVector e = evenOffsets.add(first);
      LongVector o = oddOffsets.add(first);
      e =
          e.lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.LSHR, 30))
              .mul(SplitMix64.MIX1);
      o =
          o.lanewise(VectorOperators.XOR, o.lanewise(VectorOperators.LSHR, 30))
              .mul(SplitMix64.MIX1);
      e =
          e.lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.LSHR, 27))
              .mul(SplitMix64.MIX2);
      o =
          o.lanewise(VectorOperators.XOR, o.lanewise(VectorOperators.LSHR, 27))
              .mul(SplitMix64.MIX2);
      e = e.lanewise(VectorOperators.XOR, e.lanewise(VectorOperators.LSHR, 31));
      o = o.lanewise(VectorOperators.XOR, o.lanewise(VectorOperators.LSHR, 31));
      // −1 where the draw's 53 bits are below the threshold (kept), else 0.
      e = e.lanewise(VectorOperators.LSHR, 11).sub(threshold).lanewise(VectorOperators.ASHR, 63);
      o = o.lanewise(VectorOperators.LSHR, 11).sub(threshold).lanewise(VectorOperators.ASHR, 63);
      // Little-endian lanes: the low 32 bits of a long are the float at the lower index.
      e.and(lo).or(o.and(hi)).reinterpretAsFloats().intoArray(m, i);
    }
    int s = Float.floatToRawIntBits(scale);
    for (; i < n; i++) {
      long u = SplitMix64.mix64(seed + (i + 1) * gamma) >>> 11;
      m[i] = Float.intBitsToFloat(s & (int) ((u - threshold) >> 63));
    }
  }

  /** {@link #keepMask(long, long, float[], int, long, float)} for a float64 mask. */
  public static void keepMask(
      long seed, long gamma, double[] m, int n, long threshold, double scale) {
    int lanes = L.length();
    long s = Double.doubleToRawLongBits(scale);
    LongVector offsets = LongVector.fromArray(L, INDEX, 0).mul(gamma);
    int i = 0;
    for (int up = n - n % lanes; i < up; i += lanes) {
      LongVector z = offsets.add(seed + (i + 1) * gamma);
      z =
          z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30))
              .mul(SplitMix64.MIX1);
      z =
          z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27))
              .mul(SplitMix64.MIX2);
      z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31));
      z = z.lanewise(VectorOperators.LSHR, 11).sub(threshold).lanewise(VectorOperators.ASHR, 63);
      z.and(s).reinterpretAsDoubles().intoArray(m, i);
    }
    for (; i < n; i++) {
      long u = SplitMix64.mix64(seed + (i + 1) * gamma) >>> 11;
      m[i] = Double.longBitsToDouble(s & ((u - threshold) >> 63));
    }
  }
}
