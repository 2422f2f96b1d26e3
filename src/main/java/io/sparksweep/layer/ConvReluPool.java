package io.sparksweep.layer;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Im2Col;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.VectorIm2Col;
import io.sparksweep.tensor.VectorPatchGrad;
import io.sparksweep.tensor.VectorPool2x2;
import io.sparksweep.tensor.Workspace;
import java.util.Arrays;

/**
 * The conv → relu → max-pool sandwich (the notebooks' {@code conv_relu_pool_forward} / {@code
 * conv_relu_pool_backward}), the first block of the three-layer convnet, on the kernels of the fast
 * {@link Im2ColConv2d} and {@link FastMaxPool2d}, fused image by image: the forward pass writes one
 * image's convolution output into a reused buffer, applies the relu in place and pools it while it
 * is in cache (for float32 2×2 stride-2 pools with the Vector API, relu and pool are one pass,
 * {@link VectorPool2x2}; for float32 stride-1 convolutions the columns come from a zero-padded copy
 * of the image, {@link VectorIm2Col}), and keeps only the pooled output and argmax ({@link
 * ConvReluPoolCache}). Backward routes the image's {@code dout} through the pool's argmax, masked
 * by the relu gates (the signs of the pooled output), into an image-sized buffer (float32 2×2: one
 * vector of windows per step) and runs the convolution's backward on it; a float32 pass without dx
 * sums the routed gradients times their receptive fields instead ({@link VectorPatchGrad}). The
 * results equal the unfused composition up to the order of floating-point sums.
 */
public final class ConvReluPool {
  private ConvReluPool() {}

  /**
   * Forward pass: {@code maxpool(relu(conv(x, w, b)))}.
   *
   * @param x input of shape (N, C, H, W)
   * @param w filter weights of shape (F, C, HH, WW)
   * @param b biases of shape (F)
   * @param convSpec the convolution's stride and padding
   * @param poolSpec the pool's window and stride, applied to the (N, F, H', W') conv output
   * @return output of shape (N, F, H'', W'') and the cache for {@link #backward}
   * @throws IllegalArgumentException as {@link Conv2d#forward} and {@link MaxPool2d#forward}
   *     (checked before any work is done; the pool's input is named "the conv output")
   */
  public static Forward<ConvReluPoolCache> forward(
      Tensor x, Tensor w, Tensor b, ConvSpec convSpec, PoolSpec poolSpec) {
    return forward(x, w, b, convSpec, poolSpec, Workspace.allocating());
  }

  /**
   * {@link #forward(Tensor, Tensor, Tensor, ConvSpec, PoolSpec)} with the output, the cache (conv
   * output, argmax) and the im2col columns in buffers of {@code ws}.
   */
  public static Forward<ConvReluPoolCache> forward(
      Tensor x, Tensor w, Tensor b, ConvSpec convSpec, PoolSpec poolSpec, Workspace ws) {
    Im2Col.Geometry g = ConvChecks.convForward(x, w, b, convSpec);
    int n = x.dim(0);
    int f = w.dim(0);
    int[] pooled =
        PoolChecks.outputSize(
            "the conv output", new int[] {n, f, g.outHeight(), g.outWidth()}, poolSpec);
    // Every element of the pooled output and of argmax is written below; forwardImage writes each
    // image's conv output whole into `slice`, and im2col all of its columns.
    Tensor out = ws.tensor(x.dtype(), n, f, pooled[0], pooled[1]);
    int[] argmax = ws.ints(out.size());
    int p = g.outPixels();
    int pp = pooled[0] * pooled[1];
    int h = g.outHeight();
    int wd = g.outWidth();
    boolean tiles = FastMaxPool2d.tiles(h, wd, poolSpec);
    boolean tiles2 = tiles && poolSpec.stride() == 2 && FastMaxPool2d.VECTOR;
    // Image by image: the conv output (F, H'·W') is written into one reused buffer, which stays in
    // cache, and gets its relu and its pool there; argmax is then shifted to index the whole
    // batch's conv output.
    if (x.dtype() == DType.FLOAT32) {
      float[] xs = x.f32();
      float[] slice = ws.floats(f * p);
      float[] os = out.f32();
      // Stride 1: im2col from a zero-padded copy of each image (border filled once), or no column
      // matrix at all where VectorIm2Col.forward reads the copy in place.
      float[] xp = null;
      int[] xpOffsets = null;
      if (VECTOR && g.stride() == 1 && !g.isIdentity()) {
        xp = ws.floats(VectorIm2Col.paddedSize(g));
        Arrays.fill(xp, 0f);
        xpOffsets = ws.ints(g.patchSize());
        VectorIm2Col.rowOffsets(g, xpOffsets);
      }
      float[] cols =
          g.isIdentity() || (xp != null && VectorIm2Col.implicit(g))
              ? null
              : ws.floats(g.patchSize() * p + (xp != null ? VectorIm2Col.SLACK : 0));
      int rows = Im2ColConv2d.bandRows(g);
      for (int img = 0; img < n; img++) {
        int oOff = img * f * pp;
        if (xp != null) {
          VectorIm2Col.pad(g, xs, img * g.imageSize(), xp);
        }
        Im2ColConv2d.forwardImage(
            g, f, xs, img * g.imageSize(), w.f32(), b.f32(), slice, 0, cols, rows, xp, xpOffsets);
        if (tiles2) {
          // relu and pool in one pass over the slice.
          FastMaxPool2d.tiles2(slice, 0, os, argmax, oOff, f, h, wd, true, true);
        } else {
          for (int i = 0; i < f * p; i++) {
            slice[i] = Math.max(slice[i], 0f);
          }
          if (tiles) {
            FastMaxPool2d.tiles(slice, 0, os, argmax, oOff, f, h, wd, poolSpec.stride());
          } else {
            FastMaxPool2d.general(
                slice, 0, os, argmax, oOff, f, h, wd, pooled[0], pooled[1], poolSpec);
          }
        }
        shift(argmax, oOff, f * pp, img * f * p);
      }
    } else {
      double[] xs = x.f64();
      double[] slice = ws.doubles(f * p);
      double[] os = out.f64();
      double[] cols = g.isIdentity() ? null : ws.doubles(g.patchSize() * p);
      for (int img = 0; img < n; img++) {
        int oOff = img * f * pp;
        Im2ColConv2d.forwardImage(g, f, xs, img * g.imageSize(), w.f64(), b.f64(), slice, 0, cols);
        for (int i = 0; i < f * p; i++) {
          slice[i] = Math.max(slice[i], 0.0);
        }
        if (tiles) {
          FastMaxPool2d.tiles(slice, 0, os, argmax, oOff, f, h, wd, poolSpec.stride());
        } else {
          FastMaxPool2d.general(
              slice, 0, os, argmax, oOff, f, h, wd, pooled[0], pooled[1], poolSpec);
        }
        shift(argmax, oOff, f * pp, img * f * p);
      }
    }
    return new Forward<>(
        out, new ConvReluPoolCache(new ConvCache(x, w, convSpec), poolSpec, out, argmax));
  }

  /** {@code argmax[from … from + n) += by}. */
  private static void shift(int[] argmax, int from, int n, int by) {
    for (int i = from; i < from + n; i++) {
      argmax[i] += by;
    }
  }

  /**
   * Backward pass computing dx, dw and db, see {@link #backward(Tensor, ConvReluPoolCache,
   * boolean)}.
   */
  public static ConvGrads backward(Tensor dout, ConvReluPoolCache cache) {
    return backward(dout, cache, true);
  }

  /**
   * Backward pass.
   *
   * @param dout upstream gradient of shape (N, F, H'', W'')
   * @param cache the forward pass's cache
   * @param computeDx whether to compute dx (see {@link Conv2d#backward(Tensor, ConvCache,
   *     boolean)})
   * @return dx (N, C, H, W) or null, dw (F, C, HH, WW), db (F)
   */
  public static ConvGrads backward(Tensor dout, ConvReluPoolCache cache, boolean computeDx) {
    return backward(dout, cache, computeDx, Workspace.allocating());
  }

  /**
   * {@link #backward(Tensor, ConvReluPoolCache, boolean)} with the gradients and every scratch
   * buffer (columns, the routed image gradient, the transposed weight gradient) from {@code ws}.
   */
  public static ConvGrads backward(
      Tensor dout, ConvReluPoolCache cache, boolean computeDx, Workspace ws) {
    return backward(dout, cache, computeDx, ws, VECTOR);
  }

  /**
   * Whether the float32 kernels on vectors run here: the stride-1 forward reading its columns from
   * a zero-padded copy of the image ({@link VectorIm2Col}) and the weight gradient without dx
   * ({@link VectorPatchGrad}). The same condition as {@link FastMaxPool2d#VECTOR} (the {@code
   * jdk.incubator.vector} module, 256-bit vectors or wider), checked there once.
   */
  static final boolean VECTOR =
      FastMaxPool2d.VECTOR && VectorIm2Col.AVAILABLE && VectorPatchGrad.AVAILABLE;

  /**
   * {@link #backward(Tensor, ConvReluPoolCache, boolean, Workspace)}; with {@code routed}, a
   * float32 pass without dx sums each routed gradient times its receptive field ({@link
   * #routedBackward}) instead of routing dout into an image-sized gradient for the dense product.
   */
  static ConvGrads backward(
      Tensor dout, ConvReluPoolCache cache, boolean computeDx, Workspace ws, boolean routed) {
    ConvChecks.requireNonNull("cache", cache);
    ConvChecks.requireNonNull("cache.conv()", cache.conv());
    Tensor pooledOut = cache.out();
    ConvChecks.requireShape(
        "dout", dout, pooledOut.shape(), "(N, F, H'', W'') of the forward output");
    ConvChecks.requireDType("dout", dout, "the forward's x", cache.conv().x());
    Tensor x = cache.conv().x();
    Tensor w = cache.conv().w();
    Im2Col.Geometry g = ConvChecks.geometry(cache.conv());
    int n = x.dim(0);
    int f = w.dim(0);
    int k = g.patchSize();
    int p = g.outPixels();
    int pp = dout.size() / (n * f);
    int[] argmax = cache.argmax();
    PoolSpec poolSpec = cache.pool();
    int wd = g.outWidth();
    boolean tiles2 = poolSpec.stride() == 2 && FastMaxPool2d.tiles(g.outHeight(), wd, poolSpec);
    if (routed && !computeDx && x.dtype() == DType.FLOAT32) {
      return routedBackward(dout, pooledOut, argmax, x, w, g, ws);
    }
    // col2im adds into dx: cleared. dw is written whole by the transpose, da by scatter, dwT by the
    // first image's gemm (beta = 0), cols and dcols by im2col and gemm.
    Tensor dx = computeDx ? ws.zeros(x.dtype(), x.shape()) : null;
    Tensor dw = ws.like(w);
    double[] db = ws.zeroDoubles(f);
    // Image by image: route dout_n through the pool's argmax and the relu gates into one image's
    // (F, H'·W') gradient, then run the convolution's backward on it while it is in cache.
    if (x.dtype() == DType.FLOAT32) {
      float[] d = dout.f32();
      float[] gates = pooledOut.f32();
      float[] da = ws.floats(f * p);
      float[] dwT = ws.floats(k * f);
      float[] cols = g.isIdentity() ? null : ws.floats(k * p);
      float[] dcols = g.isIdentity() || !computeDx ? null : ws.floats(k * p);
      for (int img = 0; img < n; img++) {
        int aOff = img * f * p;
        scatter(
            d, gates, argmax, img * f * pp, f, pp, aOff, tiles2, wd, da, db, FastMaxPool2d.VECTOR);
        Im2ColConv2d.backwardImage(
            g,
            f,
            x.f32(),
            img * g.imageSize(),
            w.f32(),
            da,
            0,
            computeDx ? dx.f32() : null,
            dwT,
            img == 0,
            null,
            cols,
            dcols);
      }
      Im2ColConv2d.transpose(dwT, k, f, dw.f32());
    } else {
      double[] d = dout.f64();
      double[] gates = pooledOut.f64();
      double[] da = ws.doubles(f * p);
      double[] dwT = ws.doubles(k * f);
      double[] cols = g.isIdentity() ? null : ws.doubles(k * p);
      double[] dcols = g.isIdentity() || !computeDx ? null : ws.doubles(k * p);
      for (int img = 0; img < n; img++) {
        int aOff = img * f * p;
        scatter(d, gates, argmax, img * f * pp, f, pp, aOff, tiles2, wd, da, db);
        Im2ColConv2d.backwardImage(
            g,
            f,
            x.f64(),
            img * g.imageSize(),
            w.f64(),
            da,
            0,
            computeDx ? dx.f64() : null,
            dwT,
            img == 0,
            null,
            cols,
            dcols);
      }
      Im2ColConv2d.transpose(dwT, k, f, dw.f64());
    }
    return new ConvGrads(dx, dw, ws.tensor(x.dtype(), f).setFrom(db));
  }

  /**
   * The float32 dw and db without dx, image by image and filter by filter: each pooled gradient,
   * gated by the relu at its window's argmax, is kept with the start of that position's receptive
   * field in the image's strips when it is non-zero (a branch-free compaction in output order: the
   * fields of vertically adjacent windows overlap, and a row of windows apart they are still in
   * L1), and {@link VectorPatchGrad#accumulate} adds the kept ones times their fields to the
   * filter's gradient. db adds, per filter and image, the sum of the kept gradients ({@link
   * VectorPatchGrad#sum}: lane sums in float, then double).
   */
  private static ConvGrads routedBackward(
      Tensor dout,
      Tensor pooledOut,
      int[] argmax,
      Tensor x,
      Tensor w,
      Im2Col.Geometry g,
      Workspace ws) {
    int n = x.dim(0);
    int f = w.dim(0);
    int p = g.outPixels();
    int outH = dout.dim(2);
    int outW = dout.dim(3);
    int pp = outH * outW;
    int span = VectorPatchGrad.span(g);
    float[] d = dout.f32();
    float[] gates = pooledOut.f32();
    float[] xs = x.f32();
    float[] strips = ws.floats(VectorPatchGrad.stripsSize(g));
    float[] xp = ws.floats(VectorIm2Col.paddedSize(g));
    Arrays.fill(xp, 0f);
    int[] fields = ws.ints(p);
    VectorPatchGrad.patchOffsets(g, fields);
    int[] offsets = ws.ints(pp);
    float[] gs = ws.floats(pp);
    float[] acc = ws.floats(f * span);
    Arrays.fill(acc, 0f);
    double[] db = ws.zeroDoubles(f);
    for (int img = 0; img < n; img++) {
      VectorIm2Col.pad(g, xs, img * g.imageSize(), xp);
      VectorPatchGrad.strips(g, xp, strips);
      for (int jf = 0; jf < f; jf++) {
        int plane = (img * f + jf) * p;
        int out = (img * f + jf) * pp;
        int kept = 0;
        for (int o = out, end = out + pp; o < end; o++) {
          int j = argmax[o];
          // The relu gate of ConvRelu.gate on the bits; kept only when not ±0 (branch-free).
          int bits = Float.floatToRawIntBits(d[o]) & (-Float.floatToRawIntBits(gates[o]) >> 31);
          offsets[kept] = fields[j - plane];
          gs[kept] = Float.intBitsToFloat(bits);
          kept += ((bits & 0x7fffffff) + 0x7fffffff) >>> 31;
        }
        db[jf] += VectorPatchGrad.sum(gs, kept);
        VectorPatchGrad.accumulate(strips, offsets, gs, kept, acc, jf * span, span);
      }
    }
    Tensor dw = ws.like(w);
    VectorPatchGrad.toFilters(g, f, acc, span, dw.f32());
    return new ConvGrads(null, dw, ws.tensor(x.dtype(), f).setFrom(db));
  }

  // ---------------------------------------------------------------- scatter

  /**
   * One image's pool-and-relu backward: {@code da} (F, H'·W') receives each pooled gradient {@code
   * dout[i]} at its window's selected input, where the pooled output {@code gates[i]} (that input's
   * relu output) is positive, and 0 elsewhere; {@code db[f]} gains the sum of plane f's routed
   * gradients (the sum of da's plane, from a quarter of the elements). For the 2×2 tiles the
   * windows partition the planes, so each window's four elements are written once (no separate
   * clearing pass); otherwise da is cleared and the gradients added, as windows may share inputs.
   * With {@code vector} (2×2 tiles only), each pair of rows routes its windows in groups of {@link
   * VectorPool2x2#WINDOWS} on {@link VectorPool2x2#scatter} (the same da; db summed per group in
   * float, then in double) and the remaining windows here.
   */
  static void scatter(
      float[] dout,
      float[] gates,
      int[] argmax,
      int outOff,
      int f,
      int pooled,
      int aOff,
      boolean tiles2,
      int w,
      float[] da,
      double[] db,
      boolean vector) {
    if (!tiles2) {
      Arrays.fill(da, 0f);
    }
    int outW = w / 2;
    // Each pair of rows: groups of VectorPool2x2.WINDOWS windows on vectors, the remaining windows
    // below.
    int groups = tiles2 && vector ? outW / VectorPool2x2.WINDOWS : 0;
    int done = groups * VectorPool2x2.WINDOWS;
    for (int jf = 0; jf < f; jf++) {
      double sum = 0;
      int o = outOff + jf * pooled;
      int end = o + pooled;
      if (tiles2) {
        // Window after window along each pair of rows of plane jf.
        for (int top = jf * pooled * 4; o < end; top += 2 * w) {
          if (groups > 0) {
            sum += VectorPool2x2.scatter(dout, gates, argmax, o, aOff + top, w, groups, aOff, da);
            o += done;
          }
          for (int base = top + 2 * done, rowEnd = top + 2 * outW; base < rowEnd; base += 2, o++) {
            int j = argmax[o];
            float g = ConvRelu.gate(dout[o], gates[o]);
            sum += g;
            da[base] = 0f;
            da[base + 1] = 0f;
            da[base + w] = 0f;
            da[base + w + 1] = 0f;
            da[j - aOff] = g;
          }
        }
      } else {
        for (; o < end; o++) {
          int j = argmax[o];
          float g = ConvRelu.gate(dout[o], gates[o]);
          sum += g;
          da[j - aOff] += g;
        }
      }
      db[jf] += sum;
    }
  }

  static void scatter(
      double[] dout,
      double[] gates,
      int[] argmax,
      int outOff,
      int f,
      int pooled,
      int aOff,
      boolean tiles2,
      int w,
      double[] da,
      double[] db) {
    if (!tiles2) {
      Arrays.fill(da, 0.0);
    }
    int outW = w / 2;
    for (int jf = 0; jf < f; jf++) {
      double sum = 0;
      int o = outOff + jf * pooled;
      int end = o + pooled;
      if (tiles2) {
        // Window after window along each pair of rows of plane jf.
        for (int top = jf * pooled * 4; o < end; top += 2 * w) {
          for (int base = top, rowEnd = top + 2 * outW; base < rowEnd; base += 2, o++) {
            int j = argmax[o];
            double g = ConvRelu.gate(dout[o], gates[o]);
            sum += g;
            da[base] = 0.0;
            da[base + 1] = 0.0;
            da[base + w] = 0.0;
            da[base + w + 1] = 0.0;
            da[j - aOff] = g;
          }
        }
      } else {
        for (; o < end; o++) {
          int j = argmax[o];
          double g = ConvRelu.gate(dout[o], gates[o]);
          sum += g;
          da[j - aOff] += g;
        }
      }
      db[jf] += sum;
    }
  }
}
