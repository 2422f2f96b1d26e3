package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * Reference gradients of the normalization layers in 50-digit decimal arithmetic, written from the
 * closed form (Ioffe and Szegedy 2015), independently of the layers' code: for one group of m
 * values normalized together, {@code dx = (1 / (m·sqrt(v + eps))) · (m·dxhat − Σ dxhat − xhat · Σ
 * dxhat·xhat)} with {@code dxhat = dout·gamma}.
 */
final class HighPrecision {
  private static final MathContext MC = new MathContext(50);

  private HighPrecision() {}

  /** Batchnorm's dx: each column of x (N, D) is one group. */
  static Tensor batchnormDx(Tensor x, Tensor gamma, Tensor dout, double eps) {
    int n = x.dim(0);
    int d = x.dim(1);
    Tensor dx = x.zerosLike();
    for (int j = 0; j < d; j++) {
      BigDecimal[] xs = new BigDecimal[n];
      BigDecimal[] dxhat = new BigDecimal[n];
      BigDecimal g = new BigDecimal(gamma.get(j));
      for (int i = 0; i < n; i++) {
        xs[i] = new BigDecimal(x.get(i, j));
        dxhat[i] = new BigDecimal(dout.get(i, j)).multiply(g);
      }
      BigDecimal[] out = groupDx(xs, dxhat, eps);
      for (int i = 0; i < n; i++) {
        dx.set(out[i].doubleValue(), i, j);
      }
    }
    return dx;
  }

  /** Layernorm's dx: each row of x (N, D) is one group; gamma scales the columns. */
  static Tensor layernormDx(Tensor x, Tensor gamma, Tensor dout, double eps) {
    int n = x.dim(0);
    int d = x.dim(1);
    Tensor dx = x.zerosLike();
    for (int i = 0; i < n; i++) {
      BigDecimal[] xs = new BigDecimal[d];
      BigDecimal[] dxhat = new BigDecimal[d];
      for (int j = 0; j < d; j++) {
        xs[j] = new BigDecimal(x.get(i, j));
        dxhat[j] = new BigDecimal(dout.get(i, j)).multiply(new BigDecimal(gamma.get(j)));
      }
      BigDecimal[] out = groupDx(xs, dxhat, eps);
      for (int j = 0; j < d; j++) {
        dx.set(out[j].doubleValue(), i, j);
      }
    }
    return dx;
  }

  private static BigDecimal[] groupDx(BigDecimal[] xs, BigDecimal[] dxhat, double eps) {
    int m = xs.length;
    BigDecimal count = new BigDecimal(m);
    BigDecimal mean = BigDecimal.ZERO;
    for (BigDecimal v : xs) {
      mean = mean.add(v);
    }
    mean = mean.divide(count, MC);
    BigDecimal var = BigDecimal.ZERO;
    for (BigDecimal v : xs) {
      BigDecimal c = v.subtract(mean);
      var = var.add(c.multiply(c));
    }
    var = var.divide(count, MC);
    BigDecimal std = var.add(new BigDecimal(eps)).sqrt(MC);
    BigDecimal[] xhat = new BigDecimal[m];
    BigDecimal sum = BigDecimal.ZERO;
    BigDecimal sumXhat = BigDecimal.ZERO;
    for (int k = 0; k < m; k++) {
      xhat[k] = xs[k].subtract(mean).divide(std, MC);
      sum = sum.add(dxhat[k]);
      sumXhat = sumXhat.add(dxhat[k].multiply(xhat[k]));
    }
    BigDecimal[] out = new BigDecimal[m];
    BigDecimal scale = std.multiply(count);
    for (int k = 0; k < m; k++) {
      out[k] =
          dxhat[k]
              .multiply(count)
              .subtract(sum)
              .subtract(xhat[k].multiply(sumXhat))
              .divide(scale, MC);
    }
    return out;
  }
}
