package io.sparksweep.layer;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.VectorPool2x2;

/**
 * The fast max-pooling used in training (the notebooks' {@code max_pool_forward_fast}), with two
 * paths chosen as numpy's does:
 *
 * <ul>
 *   <li><b>tiles</b> — square windows with {@code height == width == stride} that tile H and W
 *       exactly (the common 2×2 stride 2): numpy's reshape path. The windows partition the input,
 *       so every element is read exactly once, window after window along each band of rows, with
 *       window starts advancing by plain increments.
 *   <li><b>general</b> — overlapping, gapped or non-square windows: numpy's im2col path. Each
 *       window's start is computed from its output position and its elements are gathered through a
 *       table of offsets from that start, computed once.
 * </ul>
 *
 * <p>Both keep each window's running best as an index selected without a branch (see the kernels'
 * comment): max-pooling real activations is a stream of coin-flip comparisons. Float32 2×2 tiles
 * run a vector of windows (8 or 16) per step on the Vector API ({@link VectorPool2x2}) when the
 * module is present, with bit for bit the scalar loop's results.
 *
 * <p>Forward records each window's selected input (the first maximum in row-major window order, see
 * {@link MaxPool2d}) in the cache, so backward is a single scatter-add of {@code dout} through
 * those indices. Paired float32/float64 loops; no per-element dtype dispatch.
 */
public final class FastMaxPool2d implements MaxPool2d {
  /** The single (stateless) instance. */
  public static final FastMaxPool2d INSTANCE = new FastMaxPool2d();

  /**
   * Whether float32 2×2 tiles run on {@link VectorPool2x2} (the {@code jdk.incubator.vector} module
   * is present and has 256-bit vectors here); otherwise, and for float64, the scalar loops.
   */
  static final boolean VECTOR =
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent() && VectorPool2x2.AVAILABLE;

  private FastMaxPool2d() {}

  /** Whether {@code spec} takes the tiles (reshape) path on inputs of H×W = {@code h}×{@code w}. */
  static boolean tiles(int h, int w, PoolSpec spec) {
    int k = spec.stride();
    return spec.height() == k && spec.width() == k && h % k == 0 && w % k == 0;
  }

  @Override
  public Forward<PoolCache> forward(Tensor x, PoolSpec spec) {
    int[] outSize = PoolChecks.forward(x, spec);
    int planes = x.dim(0) * x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    Tensor out = Tensor.zeros(x.dtype(), x.dim(0), x.dim(1), outSize[0], outSize[1]);
    int[] argmax = new int[out.size()];
    boolean tiles = tiles(h, w, spec);
    if (x.dtype() == DType.FLOAT32) {
      if (tiles) {
        tiles(x.f32(), 0, out.f32(), argmax, 0, planes, h, w, spec.stride());
      } else {
        general(x.f32(), 0, out.f32(), argmax, 0, planes, h, w, outSize[0], outSize[1], spec);
      }
    } else {
      if (tiles) {
        tiles(x.f64(), 0, out.f64(), argmax, 0, planes, h, w, spec.stride());
      } else {
        general(x.f64(), 0, out.f64(), argmax, 0, planes, h, w, outSize[0], outSize[1], spec);
      }
    }
    return new Forward<>(out, new PoolCache(x, spec, argmax));
  }

  @Override
  public Tensor backward(Tensor dout, PoolCache cache) {
    PoolChecks.backward(dout, cache);
    return scatter(dout, cache, false);
  }

  /**
   * Backward through relu then this pool, for a pool whose input is a relu output: routes each
   * {@code dout} element to its window's selected input only where that input is positive. Equal to
   * masking {@link #backward}'s result by {@code x > 0}, without a pass over all of x (only the
   * selected inputs can receive gradient). Arguments and checks as {@link #backward}.
   */
  Tensor backwardThroughRelu(Tensor dout, PoolCache cache) {
    PoolChecks.backward(dout, cache);
    return scatter(dout, cache, true);
  }

  private static Tensor scatter(Tensor dout, PoolCache cache, boolean gated) {
    Tensor dx = cache.x().zerosLike();
    int[] argmax = cache.argmax();
    if (dx.dtype() == DType.FLOAT32) {
      float[] d = dout.f32();
      float[] x = cache.x().f32();
      float[] g = dx.f32();
      for (int i = 0; i < argmax.length; i++) {
        int j = argmax[i];
        g[j] += gated ? ConvRelu.gate(d[i], x[j]) : d[i];
      }
    } else {
      double[] d = dout.f64();
      double[] x = cache.x().f64();
      double[] g = dx.f64();
      for (int i = 0; i < argmax.length; i++) {
        int j = argmax[i];
        g[j] += gated ? ConvRelu.gate(d[i], x[j]) : d[i];
      }
    }
    return dx;
  }

  // ---------------------------------------------------------------- kernels
  //
  // The running best is kept as an index and updated with "best = x[i] > x[best] ? i : best": on
  // real activations that comparison is a coin flip, and C2 compiles this int select to a
  // conditional move, where an if-statement that also carries the float maximum stays a branch
  // that mispredicts about half the time (measured: 1.5 ms against 8 ms for a 2×2 pool of a
  // 50×32×32×32 batch). Reading the maximum back as x[best] keeps the value and the index in
  // agreement and gives exactly the naive loop's semantics.

  /** Offsets of a window's elements from its top-left corner, in row-major window order. */
  private static int[] windowOffsets(int w, PoolSpec spec) {
    int[] offsets = new int[spec.height() * spec.width()];
    for (int kh = 0; kh < spec.height(); kh++) {
      for (int kw = 0; kw < spec.width(); kw++) {
        offsets[kh * spec.width() + kw] = kh * w + kw;
      }
    }
    return offsets;
  }

  /**
   * The 2×2 stride-2 tiles (the convnet's pool), unrolled and branch-free. "v > m" is read from the
   * sign bit of {@code m − v}: after {@code + 0f} turns a −0.0 into +0.0, the difference of two
   * non-NaN values is negative exactly when v > m (IEEE subtraction is 0 only for equal operands
   * and its sign is the exact difference's; an overflow keeps the sign), and the sign becomes an
   * all-ones or all-zeros mask that selects the index. The four loads are independent and nothing
   * waits on a load whose address is the previous select, so consecutive windows overlap in the
   * pipeline (about 3.5× the generic loop here). A NaN among the differences (a NaN input, or equal
   * infinities, whose difference is NaN) sends the window to the generic loop, so the result is
   * always exactly the naive loop's.
   *
   * <p>With {@code vector}, each pair of rows runs its windows in groups of {@link
   * VectorPool2x2#WINDOWS} on {@link VectorPool2x2} (same results, bit for bit) and the rest here.
   * With {@code relu}, x is first replaced by {@code max(x, 0)} (in place, in the same pass: the
   * conv-relu-pool forward).
   */
  static void tiles2(
      float[] x,
      int xOff,
      float[] out,
      int[] argmax,
      int oOff,
      int planes,
      int h,
      int w,
      boolean vector,
      boolean relu) {
    int outW = w / 2;
    // Each pair of rows: groups of VectorPool2x2.WINDOWS windows on vectors, the remaining windows
    // below.
    int groups = vector ? outW / VectorPool2x2.WINDOWS : 0;
    int done = groups * VectorPool2x2.WINDOWS;
    int o = oOff;
    for (int top = xOff, end = xOff + planes * h * w; top < end; top += 2 * w) {
      if (groups > 0) {
        if (relu) {
          VectorPool2x2.reluForward(x, top, w, groups, out, argmax, o);
        } else {
          VectorPool2x2.forward(x, top, w, groups, out, argmax, o);
        }
        o += done;
      }
      if (relu) {
        for (int i = top + 2 * done, rowEnd = top + w; i < rowEnd; i++) {
          x[i] = Math.max(x[i], 0f);
          x[i + w] = Math.max(x[i + w], 0f);
        }
      }
      for (int i0 = top + 2 * done, rowEnd = top + 2 * outW; i0 < rowEnd; i0 += 2) {
        int i1 = i0 + 1;
        int i2 = i0 + w;
        int i3 = i2 + 1;
        float a = x[i0] + 0f;
        float b = x[i1] + 0f;
        float c = x[i2] + 0f;
        float d = x[i3] + 0f;
        float d1 = a - b;
        int g = Float.floatToRawIntBits(d1) >> 31;
        int best = i0 + (1 & g);
        float m = Math.max(a, b);
        float d2 = m - c;
        g = Float.floatToRawIntBits(d2) >> 31;
        best = (best & ~g) | (i2 & g);
        m = Math.max(m, c);
        float d3 = m - d;
        g = Float.floatToRawIntBits(d3) >> 31;
        best = (best & ~g) | (i3 & g);
        if (Float.isNaN(d1 + d2 + d3)) {
          best = i0;
          best = x[i1] > x[best] ? i1 : best;
          best = x[i2] > x[best] ? i2 : best;
          best = x[i3] > x[best] ? i3 : best;
        }
        out[o] = x[best];
        argmax[o++] = best;
      }
    }
  }

  /**
   * Tiles path: the k×k windows at stride k partition each plane, so the output row {@code oh}
   * reads input rows {@code k·oh … k·oh + k − 1} once, window after window, and the next window
   * starts k elements further on.
   */
  static void tiles(
      float[] x, int xOff, float[] out, int[] argmax, int oOff, int planes, int h, int w, int k) {
    if (k == 2) {
      tiles2(x, xOff, out, argmax, oOff, planes, h, w, VECTOR, false);
      return;
    }
    int[] offsets = windowOffsets(w, new PoolSpec(k, k, k));
    int outW = w / k;
    int o = oOff;
    for (int top = xOff, end = xOff + planes * h * w; top < end; top += k * w) {
      for (int base = top, rowEnd = top + outW * k; base < rowEnd; base += k) {
        int best = base;
        for (int t = 1; t < offsets.length; t++) {
          int i = base + offsets[t];
          best = x[i] > x[best] ? i : best;
        }
        out[o] = x[best];
        argmax[o++] = best;
      }
    }
  }

  /**
   * The 2×2 stride-2 tiles (the convnet's pool), unrolled. The four loads of a window are
   * independent and the running maximum is kept in a register with {@code Math.max}, so consecutive
   * windows overlap in the pipeline instead of waiting on a load whose address is the previous
   * select. Without NaNs, {@code Math.max} equals the select {@code v > m ? v : m} up to the sign
   * of a zero, which no later {@code v > m} can tell apart, so the index is the naive loop's; a
   * window holding a NaN (the maximum then is NaN) is redone by the generic loop.
   */
  private static void tiles2(
      double[] x, int xOff, double[] out, int[] argmax, int oOff, int planes, int h, int w) {
    int outW = w / 2;
    int o = oOff;
    for (int top = xOff, end = xOff + planes * h * w; top < end; top += 2 * w) {
      for (int i0 = top, rowEnd = top + 2 * outW; i0 < rowEnd; i0 += 2) {
        int i1 = i0 + 1;
        int i2 = i0 + w;
        int i3 = i2 + 1;
        double a = x[i0] + 0.0;
        double b = x[i1] + 0.0;
        double c = x[i2] + 0.0;
        double d = x[i3] + 0.0;
        double d1 = a - b;
        int g = (int) (Double.doubleToRawLongBits(d1) >> 63);
        int best = i0 + (1 & g);
        double m = Math.max(a, b);
        double d2 = m - c;
        g = (int) (Double.doubleToRawLongBits(d2) >> 63);
        best = (best & ~g) | (i2 & g);
        m = Math.max(m, c);
        double d3 = m - d;
        g = (int) (Double.doubleToRawLongBits(d3) >> 63);
        best = (best & ~g) | (i3 & g);
        if (Double.isNaN(d1 + d2 + d3)) {
          best = i0;
          best = x[i1] > x[best] ? i1 : best;
          best = x[i2] > x[best] ? i2 : best;
          best = x[i3] > x[best] ? i3 : best;
        }
        out[o] = x[best];
        argmax[o++] = best;
      }
    }
  }

  static void tiles(
      double[] x, int xOff, double[] out, int[] argmax, int oOff, int planes, int h, int w, int k) {
    if (k == 2) {
      tiles2(x, xOff, out, argmax, oOff, planes, h, w);
      return;
    }
    int[] offsets = windowOffsets(w, new PoolSpec(k, k, k));
    int outW = w / k;
    int o = oOff;
    for (int top = xOff, end = xOff + planes * h * w; top < end; top += k * w) {
      for (int base = top, rowEnd = top + outW * k; base < rowEnd; base += k) {
        int best = base;
        for (int t = 1; t < offsets.length; t++) {
          int i = base + offsets[t];
          best = x[i] > x[best] ? i : best;
        }
        out[o] = x[best];
        argmax[o++] = best;
      }
    }
  }

  /**
   * General path (numpy's im2col path): windows may overlap (stride below the window) or leave gaps
   * (stride above it); each is gathered through the offsets table from its top-left corner.
   */
  static void general(
      float[] x,
      int xOff,
      float[] out,
      int[] argmax,
      int oOff,
      int planes,
      int h,
      int w,
      int outH,
      int outW,
      PoolSpec spec) {
    int[] offsets = windowOffsets(w, spec);
    int s = spec.stride();
    int o = oOff;
    for (int plane = 0; plane < planes; plane++) {
      int xb = xOff + plane * h * w;
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          int base = xb + oh * s * w + ow * s;
          int best = base;
          for (int t = 1; t < offsets.length; t++) {
            int i = base + offsets[t];
            best = x[i] > x[best] ? i : best;
          }
          out[o] = x[best];
          argmax[o++] = best;
        }
      }
    }
  }

  static void general(
      double[] x,
      int xOff,
      double[] out,
      int[] argmax,
      int oOff,
      int planes,
      int h,
      int w,
      int outH,
      int outW,
      PoolSpec spec) {
    int[] offsets = windowOffsets(w, spec);
    int s = spec.stride();
    int o = oOff;
    for (int plane = 0; plane < planes; plane++) {
      int xb = xOff + plane * h * w;
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          int base = xb + oh * s * w + ow * s;
          int best = base;
          for (int t = 1; t < offsets.length; t++) {
            int i = base + offsets[t];
            best = x[i] > x[best] ? i : best;
          }
          out[o] = x[best];
          argmax[o++] = best;
        }
      }
    }
  }
}
