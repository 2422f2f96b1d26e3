package io.sparksweep.tensor;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * Float32 passes of the training step that C2 does not vectorize by itself, on the incubating
 * Vector API: unsigned bytes minus a mean (the minibatch gather of {@code data.ByteImageExamples},
 * 3,072 bytes an image; a mixed byte/float loop stays scalar) and the L2 penalty with its gradient
 * (a float sum reduction stays scalar, since its order is fixed). Only loaded after a check that
 * the {@code jdk.incubator.vector} module is present.
 *
 * <p>{@link #centered}: bytes are signed in Java: each lane is flipped ({@code b ^ 0x80} = {@code u
 * − 128} as a signed byte), widened to float (exact), and 128 added back (exact: integers below
 * 2^24), so the result is bit for bit the scalar float expression {@code (float) u − mean[j]}.
 *
 * <p>The float shape is the JVM's preferred one, as in {@link VectorSgemm} and {@link
 * VectorPool2x2}: never a second shape (see {@link VectorPool2x2#AVAILABLE}).
 */
public final class VectorKernels {
  private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Byte> B =
      VectorSpecies.of(byte.class, VectorShape.forBitSize(F.length() * Byte.SIZE));

  /** Whether the kernel is worth running here: at least 8 float lanes. */
  public static final boolean AVAILABLE = F.length() >= 8;

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
}
