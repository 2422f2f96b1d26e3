package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * Spatial batch normalization (Ioffe &amp; Szegedy 2015, "Batch Normalization: Accelerating Deep
 * Network Training by Reducing Internal Covariate Shift", §3.2), the notebooks' {@code
 * spatial_batchnorm_forward} / {@code spatial_batchnorm_backward}: batchnorm for (N, C, H, W)
 * activations, with one mean and variance per channel computed over the batch <em>and</em> the
 * spatial positions (N·H·W values each), since every position of a feature map is produced by the
 * same filter.
 *
 * <p>Train mode: {@code y = gamma_c·(x − μ_c)/sqrt(σ²_c + eps) + beta_c} with the batch mean and
 * (population) variance, and the running statistics updated as {@code running = momentum·running +
 * (1 − momentum)·batch} (see {@link RunningStats}; eps is the stats' eps, 1e-5 by default). Test
 * mode: the same with the running mean and variance, which are not changed.
 *
 * <p>Computes in {@code double} (float32 inputs widened, results rounded once), one pass per
 * statistic, with its own per-channel loops.
 */
public final class SpatialBatchNorm {
  private SpatialBatchNorm() {}

  /**
   * Forward pass.
   *
   * @param x input of shape (N, C, H, W)
   * @param gamma scale of shape (C), dtype of x
   * @param beta shift of shape (C), dtype of x
   * @param mode train (batch statistics, running statistics updated) or test (running statistics)
   * @param stats running mean and variance of shape (C), updated in place in train mode
   * @return output of shape (N, C, H, W) and the cache for {@link #backward}
   * @throws IllegalArgumentException naming the argument, its shape and the expected shape
   */
  public static Forward<SpatialBatchNormCache> forward(
      Tensor x, Tensor gamma, Tensor beta, Mode mode, RunningStats stats) {
    ConvChecks.requireImageBatch("x", x, "(N, C, H, W)");
    int n = x.dim(0);
    int c = x.dim(1);
    int hw = x.dim(2) * x.dim(3);
    String perChannel = "(one per channel of x " + x.shapeString() + ")";
    ConvChecks.requireShape("gamma", gamma, new int[] {c}, perChannel);
    ConvChecks.requireShape("beta", beta, new int[] {c}, perChannel);
    ConvChecks.requireDType("gamma", gamma, "x", x);
    ConvChecks.requireDType("beta", beta, "x", x);
    ConvChecks.requireNonNull("mode", mode);
    ConvChecks.requireNonNull("stats", stats);
    ConvChecks.requireShape("stats.mean()", stats.mean(), new int[] {c}, perChannel);

    double[] xs = x.toDoubleArray();
    double[] g = gamma.toDoubleArray();
    double[] b = beta.toDoubleArray();
    double[] mean;
    double[] var;
    if (mode == Mode.TRAIN) {
      mean = new double[c];
      var = new double[c];
      double m = (double) n * hw;
      for (int ic = 0; ic < c; ic++) {
        double s = 0;
        for (int in = 0; in < n; in++) {
          int base = (in * c + ic) * hw;
          for (int j = 0; j < hw; j++) {
            s += xs[base + j];
          }
        }
        double mu = s / m;
        double v = 0;
        for (int in = 0; in < n; in++) {
          int base = (in * c + ic) * hw;
          for (int j = 0; j < hw; j++) {
            double d = xs[base + j] - mu;
            v += d * d;
          }
        }
        mean[ic] = mu;
        var[ic] = v / m;
      }
      stats.update(
          Tensor.of(stats.mean().dtype(), mean, c), Tensor.of(stats.var().dtype(), var, c));
    } else {
      mean = stats.mean().toDoubleArray();
      var = stats.var().toDoubleArray();
    }
    double[] invStd = new double[c];
    for (int ic = 0; ic < c; ic++) {
      invStd[ic] = 1.0 / Math.sqrt(var[ic] + stats.eps());
    }
    double[] xhat = new double[xs.length];
    double[] out = new double[xs.length];
    for (int in = 0; in < n; in++) {
      for (int ic = 0; ic < c; ic++) {
        int base = (in * c + ic) * hw;
        for (int j = 0; j < hw; j++) {
          double xh = (xs[base + j] - mean[ic]) * invStd[ic];
          xhat[base + j] = xh;
          out[base + j] = g[ic] * xh + b[ic];
        }
      }
    }
    SpatialBatchNormCache cache =
        new SpatialBatchNormCache(
            Tensor.of(x.dtype(), xhat, x.shape()), gamma, Tensor.wrap(invStd, c), mode);
    return new Forward<>(Tensor.of(x.dtype(), out, x.shape()), cache);
  }

  /**
   * Backward pass. With {@code M = N·H·W}, per channel, in train mode (batch statistics depend on
   * x):
   *
   * <pre>
   *   dbeta  = Σ dout
   *   dgamma = Σ dout·xhat
   *   dx     = gamma·invStd / M · (M·dout − dbeta − xhat·dgamma)
   * </pre>
   *
   * and in test mode (constant statistics) {@code dx = gamma·invStd·dout}.
   *
   * @param dout upstream gradient of shape (N, C, H, W), dtype of x
   * @param cache the forward pass's cache
   * @return dx (N, C, H, W), dgamma (C), dbeta (C)
   */
  public static SpatialBatchNormGrads backward(Tensor dout, SpatialBatchNormCache cache) {
    ConvChecks.requireNonNull("cache", cache);
    Tensor xhatT = cache.xhat();
    ConvChecks.requireShape("dout", dout, xhatT.shape(), "(N, C, H, W) of the forward output");
    ConvChecks.requireDType("dout", dout, "the forward's x", xhatT);
    int n = xhatT.dim(0);
    int c = xhatT.dim(1);
    int hw = xhatT.dim(2) * xhatT.dim(3);
    double m = (double) n * hw;
    double[] d = dout.toDoubleArray();
    double[] xhat = xhatT.toDoubleArray();
    double[] g = cache.gamma().toDoubleArray();
    double[] invStd = cache.invStd().toDoubleArray();
    double[] dgamma = new double[c];
    double[] dbeta = new double[c];
    for (int in = 0; in < n; in++) {
      for (int ic = 0; ic < c; ic++) {
        int base = (in * c + ic) * hw;
        double sb = 0;
        double sg = 0;
        for (int j = 0; j < hw; j++) {
          sb += d[base + j];
          sg += d[base + j] * xhat[base + j];
        }
        dbeta[ic] += sb;
        dgamma[ic] += sg;
      }
    }
    double[] dx = new double[d.length];
    boolean train = cache.mode() == Mode.TRAIN;
    for (int in = 0; in < n; in++) {
      for (int ic = 0; ic < c; ic++) {
        int base = (in * c + ic) * hw;
        double k = g[ic] * invStd[ic];
        if (train) {
          double kk = k / m;
          for (int j = 0; j < hw; j++) {
            dx[base + j] = kk * (m * d[base + j] - dbeta[ic] - xhat[base + j] * dgamma[ic]);
          }
        } else {
          for (int j = 0; j < hw; j++) {
            dx[base + j] = k * d[base + j];
          }
        }
      }
    }
    return new SpatialBatchNormGrads(
        Tensor.of(dout.dtype(), dx, xhatT.shape()),
        Tensor.of(dout.dtype(), dgamma, c),
        Tensor.of(dout.dtype(), dbeta, c));
  }
}
