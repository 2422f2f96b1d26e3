package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * The reference max-pooling: a loop over every window, as the notebooks' {@code
 * max_pool_forward_naive} / {@code max_pool_backward_naive}. Its backward recomputes each window's
 * maximum from the cached input (it does not trust the cached argmax), so it also checks {@link
 * FastMaxPool2d}'s bookkeeping. Tie rule: see {@link MaxPool2d}.
 */
public final class NaiveMaxPool2d implements MaxPool2d {
  /** The single (stateless) instance. */
  public static final NaiveMaxPool2d INSTANCE = new NaiveMaxPool2d();

  private NaiveMaxPool2d() {}

  @Override
  public Forward<PoolCache> forward(Tensor x, PoolSpec spec) {
    int[] outSize = PoolChecks.forward(x, spec);
    int n = x.dim(0);
    int c = x.dim(1);
    double[] xs = x.toDoubleArray();
    double[] out = new double[n * c * outSize[0] * outSize[1]];
    int[] argmax = new int[out.length];
    int o = 0;
    for (int plane = 0; plane < n * c; plane++) {
      for (int i = 0; i < outSize[0]; i++) {
        for (int j = 0; j < outSize[1]; j++) {
          int best = windowArgmax(xs, x.dim(2), x.dim(3), plane, i, j, spec);
          out[o] = xs[best];
          argmax[o++] = best;
        }
      }
    }
    return new Forward<>(
        Tensor.of(x.dtype(), out, n, c, outSize[0], outSize[1]), new PoolCache(x, spec, argmax));
  }

  @Override
  public Tensor backward(Tensor dout, PoolCache cache) {
    int[] outSize = PoolChecks.backward(dout, cache);
    Tensor x = cache.x();
    double[] xs = x.toDoubleArray();
    double[] ds = dout.toDoubleArray();
    double[] dx = new double[xs.length];
    int o = 0;
    for (int plane = 0; plane < x.dim(0) * x.dim(1); plane++) {
      for (int i = 0; i < outSize[0]; i++) {
        for (int j = 0; j < outSize[1]; j++) {
          dx[windowArgmax(xs, x.dim(2), x.dim(3), plane, i, j, cache.spec())] += ds[o++];
        }
      }
    }
    return Tensor.of(x.dtype(), dx, x.shape());
  }

  /** Flat index of the first maximum, in row-major order, of window (i, j) of one H×W plane. */
  private static int windowArgmax(
      double[] xs, int h, int w, int plane, int i, int j, PoolSpec spec) {
    int top = i * spec.stride();
    int left = j * spec.stride();
    int best = (plane * h + top) * w + left;
    for (int kh = 0; kh < spec.height(); kh++) {
      for (int kw = 0; kw < spec.width(); kw++) {
        int idx = (plane * h + top + kh) * w + left + kw;
        if (xs[idx] > xs[best]) {
          best = idx;
        }
      }
    }
    return best;
  }
}
