package io.sparksweep.layer;

import io.sparksweep.tensor.Im2Col;
import io.sparksweep.tensor.Tensor;

/**
 * The reference convolution: direct loops over every output position and every filter tap, as the
 * notebooks' {@code conv_forward_naive} / {@code conv_backward_naive}. Slow and obviously right;
 * kept as an algorithmic reference for {@link Im2ColConv2d} and as a fallback.
 *
 * <p>Computes in {@code double} whatever the dtype (float32 inputs are widened, the results rounded
 * once to float32), so its float32 output is the correctly rounded float64 one.
 */
public final class NaiveConv2d implements Conv2d {
  /** The single (stateless) instance. */
  public static final NaiveConv2d INSTANCE = new NaiveConv2d();

  private NaiveConv2d() {}

  /**
   * {@inheritDoc}
   *
   * <p>{@code out[n, f, i, j] = b[f] + Σ_{c, kh, kw} x_pad[n, c, i·stride + kh, j·stride + kw] ·
   * w[f, c, kh, kw]}, where x_pad is x zero-padded by {@code pad} on every side.
   */
  @Override
  public Forward<ConvCache> forward(Tensor x, Tensor w, Tensor b, ConvSpec spec) {
    Im2Col.Geometry g = ConvChecks.convForward(x, w, b, spec);
    int n = x.dim(0);
    int f = w.dim(0);
    int c = g.channels();
    int h = g.height();
    int wd = g.width();
    int hh = g.filterHeight();
    int ww = g.filterWidth();
    int stride = g.stride();
    int pad = g.pad();
    int outH = g.outHeight();
    int outW = g.outWidth();
    double[] xs = x.toDoubleArray();
    double[] ws = w.toDoubleArray();
    double[] bs = b.toDoubleArray();
    double[] out = new double[n * f * outH * outW];
    int o = 0;
    for (int in = 0; in < n; in++) {
      for (int jf = 0; jf < f; jf++) {
        for (int i = 0; i < outH; i++) {
          for (int j = 0; j < outW; j++) {
            double s = bs[jf];
            for (int ic = 0; ic < c; ic++) {
              for (int kh = 0; kh < hh; kh++) {
                int ih = i * stride - pad + kh;
                if (ih < 0 || ih >= h) {
                  continue;
                }
                for (int kw = 0; kw < ww; kw++) {
                  int iw = j * stride - pad + kw;
                  if (iw < 0 || iw >= wd) {
                    continue;
                  }
                  s +=
                      xs[((in * c + ic) * h + ih) * wd + iw]
                          * ws[((jf * c + ic) * hh + kh) * ww + kw];
                }
              }
            }
            out[o++] = s;
          }
        }
      }
    }
    return new Forward<>(Tensor.of(x.dtype(), out, n, f, outH, outW), new ConvCache(x, w, spec));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Each output position's gradient {@code dout[n, f, i, j]} flows back to every tap that
   * produced it: {@code dx_pad[n, c, i·s + kh, j·s + kw] += w[f, c, kh, kw]·dout}, {@code dw[f, c,
   * kh, kw] += x_pad[…]·dout}, {@code db[f] += dout}; gradients landing in the padding are dropped.
   */
  @Override
  public ConvGrads backward(Tensor dout, ConvCache cache, boolean computeDx) {
    Im2Col.Geometry g = ConvChecks.convBackward(dout, cache);
    Tensor x = cache.x();
    Tensor w = cache.w();
    int n = x.dim(0);
    int f = w.dim(0);
    int c = g.channels();
    int h = g.height();
    int wd = g.width();
    int hh = g.filterHeight();
    int ww = g.filterWidth();
    int stride = g.stride();
    int pad = g.pad();
    int outH = g.outHeight();
    int outW = g.outWidth();
    double[] xs = x.toDoubleArray();
    double[] ws = w.toDoubleArray();
    double[] ds = dout.toDoubleArray();
    double[] dx = new double[xs.length];
    double[] dw = new double[ws.length];
    double[] db = new double[f];
    int o = 0;
    for (int in = 0; in < n; in++) {
      for (int jf = 0; jf < f; jf++) {
        for (int i = 0; i < outH; i++) {
          for (int j = 0; j < outW; j++) {
            double d = ds[o++];
            db[jf] += d;
            for (int ic = 0; ic < c; ic++) {
              for (int kh = 0; kh < hh; kh++) {
                int ih = i * stride - pad + kh;
                if (ih < 0 || ih >= h) {
                  continue;
                }
                for (int kw = 0; kw < ww; kw++) {
                  int iw = j * stride - pad + kw;
                  if (iw < 0 || iw >= wd) {
                    continue;
                  }
                  int xi = ((in * c + ic) * h + ih) * wd + iw;
                  int wi = ((jf * c + ic) * hh + kh) * ww + kw;
                  dx[xi] += ws[wi] * d;
                  dw[wi] += xs[xi] * d;
                }
              }
            }
          }
        }
      }
    }
    return new ConvGrads(
        computeDx ? Tensor.of(x.dtype(), dx, x.shape()) : null,
        Tensor.of(x.dtype(), dw, w.shape()),
        Tensor.of(x.dtype(), db, f));
  }
}
