package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * Spatial group normalization (Wu &amp; He 2018, "Group Normalization", arXiv:1803.08494), the
 * notebooks' {@code spatial_groupnorm_forward} / {@code spatial_groupnorm_backward}: the C channels
 * of each sample are split into G consecutive groups of C/G channels, and each (sample, group) is
 * normalized by its own mean and (population) variance over its C/G·H·W values, then scaled and
 * shifted per channel: {@code y = gamma_c·(x − μ_{n,g})/sqrt(σ²_{n,g} + eps) + beta_c}.
 *
 * <p>It does not depend on the batch, so train and test behave alike and there are no running
 * statistics. G = 1 is layer normalization over (C, H, W); G = C is instance normalization. gamma
 * and beta have shape (1, C, 1, 1), as in the notebooks. Computes in {@code double} (float32 inputs
 * widened, results rounded once).
 */
public final class SpatialGroupNorm {
  /** The notebooks' epsilon, 1e-5. */
  public static final double DEFAULT_EPS = 1e-5;

  private SpatialGroupNorm() {}

  /** {@link #forward(Tensor, Tensor, Tensor, int, double)} with eps = 1e-5. */
  public static Forward<SpatialGroupNormCache> forward(
      Tensor x, Tensor gamma, Tensor beta, int groups) {
    return forward(x, gamma, beta, groups, DEFAULT_EPS);
  }

  /**
   * Forward pass.
   *
   * @param x input of shape (N, C, H, W)
   * @param gamma scale of shape (1, C, 1, 1), dtype of x
   * @param beta shift of shape (1, C, 1, 1), dtype of x
   * @param groups G, at least 1, dividing C
   * @param eps added to each group's variance, positive
   * @return output of shape (N, C, H, W) and the cache for {@link #backward}
   * @throws IllegalArgumentException naming the argument, its shape or value and what was expected
   */
  public static Forward<SpatialGroupNormCache> forward(
      Tensor x, Tensor gamma, Tensor beta, int groups, double eps) {
    ConvChecks.requireImageBatch("x", x, "(N, C, H, W)");
    int n = x.dim(0);
    int c = x.dim(1);
    int hw = x.dim(2) * x.dim(3);
    if (groups < 1 || c % groups != 0) {
      throw new IllegalArgumentException(
          "groups G = "
              + groups
              + " does not divide the C = "
              + c
              + " channels of x of shape "
              + x.shapeString()
              + "; expected a divisor of "
              + c);
    }
    String perChannel = "(1, C, 1, 1): one per channel of x " + x.shapeString();
    ConvChecks.requireShape("gamma", gamma, new int[] {1, c, 1, 1}, perChannel);
    ConvChecks.requireShape("beta", beta, new int[] {1, c, 1, 1}, perChannel);
    ConvChecks.requireDType("gamma", gamma, "x", x);
    ConvChecks.requireDType("beta", beta, "x", x);
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("eps = " + eps + ", expected a positive finite number");
    }

    double[] xs = x.toDoubleArray();
    double[] g = gamma.toDoubleArray();
    double[] b = beta.toDoubleArray();
    int perGroup = c / groups;
    int len = perGroup * hw;
    double[] invStd = new double[n * groups];
    double[] xhat = new double[xs.length];
    double[] out = new double[xs.length];
    for (int in = 0; in < n; in++) {
      for (int ig = 0; ig < groups; ig++) {
        // A group is a contiguous block of C/G channel planes.
        int base = (in * c + ig * perGroup) * hw;
        double s = 0;
        for (int j = 0; j < len; j++) {
          s += xs[base + j];
        }
        double mu = s / len;
        double v = 0;
        for (int j = 0; j < len; j++) {
          double d = xs[base + j] - mu;
          v += d * d;
        }
        double is = 1.0 / Math.sqrt(v / len + eps);
        invStd[in * groups + ig] = is;
        for (int k = 0; k < perGroup; k++) {
          int ic = ig * perGroup + k;
          int plane = base + k * hw;
          for (int j = 0; j < hw; j++) {
            double xh = (xs[plane + j] - mu) * is;
            xhat[plane + j] = xh;
            out[plane + j] = g[ic] * xh + b[ic];
          }
        }
      }
    }
    SpatialGroupNormCache cache =
        new SpatialGroupNormCache(
            Tensor.of(x.dtype(), xhat, x.shape()), gamma, Tensor.wrap(invStd, n, groups), groups);
    return new Forward<>(Tensor.of(x.dtype(), out, x.shape()), cache);
  }

  /**
   * Backward pass. Per channel, {@code dbeta_c = Σ_{n,h,w} dout} and {@code dgamma_c = Σ_{n,h,w}
   * dout·xhat}. Per (sample, group), with {@code M = C/G·H·W} and {@code dxhat = gamma_c·dout}, the
   * batchnorm formula applied to the group:
   *
   * <pre>
   *   dx = invStd / M · (M·dxhat − Σ dxhat − xhat·Σ dxhat·xhat)
   * </pre>
   *
   * @param dout upstream gradient of shape (N, C, H, W), dtype of x
   * @param cache the forward pass's cache
   * @return dx (N, C, H, W), dgamma (1, C, 1, 1), dbeta (1, C, 1, 1)
   */
  public static SpatialGroupNormGrads backward(Tensor dout, SpatialGroupNormCache cache) {
    ConvChecks.requireNonNull("cache", cache);
    Tensor xhatT = cache.xhat();
    ConvChecks.requireShape("dout", dout, xhatT.shape(), "(N, C, H, W) of the forward output");
    ConvChecks.requireDType("dout", dout, "the forward's x", xhatT);
    int n = xhatT.dim(0);
    int c = xhatT.dim(1);
    int hw = xhatT.dim(2) * xhatT.dim(3);
    int groups = cache.groups();
    int perGroup = c / groups;
    int len = perGroup * hw;
    double[] d = dout.toDoubleArray();
    double[] xhat = xhatT.toDoubleArray();
    double[] g = cache.gamma().toDoubleArray();
    double[] invStd = cache.invStd().toDoubleArray();
    double[] dgamma = new double[c];
    double[] dbeta = new double[c];
    double[] dx = new double[d.length];
    for (int in = 0; in < n; in++) {
      for (int ig = 0; ig < groups; ig++) {
        int base = (in * c + ig * perGroup) * hw;
        double s1 = 0;
        double s2 = 0;
        for (int k = 0; k < perGroup; k++) {
          int ic = ig * perGroup + k;
          int plane = base + k * hw;
          double sb = 0;
          double sg = 0;
          for (int j = 0; j < hw; j++) {
            double dv = d[plane + j];
            sb += dv;
            sg += dv * xhat[plane + j];
          }
          dbeta[ic] += sb;
          dgamma[ic] += sg;
          s1 += g[ic] * sb;
          s2 += g[ic] * sg;
        }
        double is = invStd[in * groups + ig];
        for (int k = 0; k < perGroup; k++) {
          int ic = ig * perGroup + k;
          int plane = base + k * hw;
          for (int j = 0; j < hw; j++) {
            double dxhat = g[ic] * d[plane + j];
            dx[plane + j] = is / len * (len * dxhat - s1 - xhat[plane + j] * s2);
          }
        }
      }
    }
    return new SpatialGroupNormGrads(
        Tensor.of(dout.dtype(), dx, xhatT.shape()),
        Tensor.of(dout.dtype(), dgamma, 1, c, 1, 1),
        Tensor.of(dout.dtype(), dbeta, 1, c, 1, 1));
  }
}
