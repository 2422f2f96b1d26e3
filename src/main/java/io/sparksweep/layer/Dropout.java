package io.sparksweep.layer;

import io.sparksweep.tensor.SplitMix64;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;
import java.util.random.RandomGenerator;

/**
 * Inverted dropout (Hinton et al., 2012, "Improving neural networks by preventing co-adaptation of
 * feature detectors"), the notebooks' {@code dropout_forward} / {@code dropout_backward}.
 *
 * <p>The parameter is the <em>keep</em> probability p: in {@link Mode#TRAIN} each element is kept
 * with probability p and divided by p (so the expected output equals the input), otherwise set to
 * 0; in {@link Mode#TEST}, and for p = 1, the layer is the identity. The mask is drawn from the
 * generator passed in, one {@code nextDouble()} per element in row-major order (kept when {@code u
 * < p}), so the same generator state gives the same mask.
 */
public final class Dropout {
  private Dropout() {}

  /**
   * What {@link #backward} needs.
   *
   * @param x the input (only its shape and dtype are used by backward)
   * @param mask the inverted mask ({@code 1/p} where kept, 0 where dropped), x's shape; {@code
   *     null} when the forward pass was the identity (test mode or p = 1)
   */
  public record Cache(Tensor x, Tensor mask) {}

  /**
   * Forward pass.
   *
   * @param x input of any shape
   * @param keepProbability p, the probability of keeping each element, in (0, 1]
   * @param mode {@link Mode#TRAIN} drops, {@link Mode#TEST} is the identity
   * @param rng source of the mask; may be {@code null} only when no mask is drawn (test mode or p =
   *     1)
   * @return out (x's shape; x itself, not a copy, when the layer is the identity) and the cache
   * @throws IllegalArgumentException if p is outside (0, 1] or a needed argument is null
   */
  public static Forward<Cache> forward(
      Tensor x, double keepProbability, Mode mode, RandomGenerator rng) {
    return forward(x, keepProbability, mode, rng, Workspace.allocating());
  }

  /**
   * {@link #forward(Tensor, double, Mode, RandomGenerator)} with the mask and the output in buffers
   * of {@code ws}.
   */
  public static Forward<Cache> forward(
      Tensor x, double keepProbability, Mode mode, RandomGenerator rng, Workspace ws) {
    if (x == null || mode == null) {
      throw new IllegalArgumentException("dropout: x and mode must not be null");
    }
    checkKeepProbability(keepProbability);
    if (mode == Mode.TEST || keepProbability == 1.0) {
      return new Forward<>(x, new Cache(x, null));
    }
    if (rng == null) {
      throw new IllegalArgumentException(
          "dropout: rng must not be null in TRAIN mode with keepProbability "
              + keepProbability
              + " < 1");
    }
    Tensor mask = mask(x, keepProbability, rng, ws);
    return new Forward<>(product(x, mask, ws), new Cache(x, mask));
  }

  /**
   * Backward pass: {@code dx = dout · mask} (or {@code dout} itself when the forward pass was the
   * identity).
   *
   * @param dout upstream gradient, x's shape
   * @param cache the cache of the matching {@link #forward}
   * @return dx, x's shape
   * @throws IllegalArgumentException if dout's shape or dtype differs from x's
   */
  public static Tensor backward(Tensor dout, Cache cache) {
    return backward(dout, cache, Workspace.allocating());
  }

  /** {@link #backward(Tensor, Cache)} with dx in a buffer of {@code ws}. */
  public static Tensor backward(Tensor dout, Cache cache, Workspace ws) {
    ArgChecks.shape("dropout backward", "dout", dout, cache.x().shape());
    ArgChecks.sameDtype("dropout backward", "dout", dout, "x", cache.x());
    return cache.mask() == null ? dout : product(dout, cache.mask(), ws);
  }

  /**
   * Validates a keep probability.
   *
   * @throws IllegalArgumentException naming the value unless it is in (0, 1]
   */
  public static void checkKeepProbability(double keepProbability) {
    if (!(keepProbability > 0 && keepProbability <= 1)) {
      throw new IllegalArgumentException(
          "dropout: keepProbability must be in (0, 1], got " + keepProbability);
    }
  }

  /** {@code a·b} elementwise, into a buffer of {@code ws}. */
  private static Tensor product(Tensor a, Tensor b, Workspace ws) {
    Tensor out = ws.like(a);
    int n = a.size();
    switch (a.dtype()) {
      case FLOAT32 -> {
        float[] x = a.f32();
        float[] y = b.f32();
        float[] o = out.f32();
        for (int i = 0; i < n; i++) {
          o[i] = x[i] * y[i];
        }
      }
      case FLOAT64 -> {
        double[] x = a.f64();
        double[] y = b.f64();
        double[] o = out.f64();
        for (int i = 0; i < n; i++) {
          o[i] = x[i] * y[i];
        }
      }
    }
    return out;
  }

  private static Tensor mask(Tensor x, double p, RandomGenerator rng, Workspace ws) {
    // Every element is written below.
    Tensor mask = ws.like(x);
    int n = x.size();
    double scale = 1.0 / p;
    if (rng instanceof SplitMix64 fast) {
      // The same draws and mask, 64-bit lanes at a time.
      switch (x.dtype()) {
        case FLOAT32 -> fast.keepMask(mask.f32(), n, p, (float) scale);
        case FLOAT64 -> fast.keepMask(mask.f64(), n, p, scale);
      }
      return mask;
    }
    switch (x.dtype()) {
      // Branch-free: "u < p" is a biased coin flip that a branch mispredicts often (about twice
      // the cost of drawing u). For u in [0, 1) the sign of u − p is exactly that of the
      // comparison (a difference is 0 only for equal operands), and it masks 1/p's bits.
      case FLOAT32 -> {
        float[] m = mask.f32();
        int s = Float.floatToRawIntBits((float) scale);
        for (int i = 0; i < n; i++) {
          int keep = (int) (Double.doubleToRawLongBits(rng.nextDouble() - p) >> 63);
          m[i] = Float.intBitsToFloat(s & keep);
        }
      }
      case FLOAT64 -> {
        double[] m = mask.f64();
        long s = Double.doubleToRawLongBits(scale);
        for (int i = 0; i < n; i++) {
          long keep = Double.doubleToRawLongBits(rng.nextDouble() - p) >> 63;
          m[i] = Double.longBitsToDouble(s & keep);
        }
      }
    }
    return mask;
  }
}
