package io.sparksweep.layer;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Kernels;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.VectorKernels;
import io.sparksweep.tensor.Workspace;

/**
 * Batch normalization (Ioffe and Szegedy, 2015, "Batch Normalization: Accelerating Deep Network
 * Training by Reducing Internal Covariate Shift"), the notebooks' {@code batchnorm_forward}, {@code
 * batchnorm_backward} and {@code batchnorm_backward_alt}.
 *
 * <p>In {@link Mode#TRAIN} each feature is normalized with the minibatch mean μ and (biased)
 * variance v: {@code xhat = (x − μ) / sqrt(v + eps)}, {@code out = gamma·xhat + beta}, and the
 * running statistics are updated with the CS231n convention {@code running = momentum·running + (1
 * − momentum)·batch} (see {@link RunningStats}). In {@link Mode#TEST} the running mean and variance
 * replace μ and v and nothing is updated.
 *
 * <p>Two backward passes compute the same gradients: {@link #backward} backpropagates through every
 * node of the computation graph (the reference), {@link #backwardAlt} uses the simplified closed
 * form derived on paper. Both have the signature of {@link Backward}, and tests hold them equal.
 */
public final class BatchNorm {
  private BatchNorm() {}

  /** A batchnorm backward pass: {@link #backward} or {@link #backwardAlt}. */
  @FunctionalInterface
  public interface Backward {
    /**
     * @param dout upstream gradient of shape (N, D)
     * @param cache the cache of the matching {@link BatchNorm#forward}
     * @return dx (N, D), dgamma (D), dbeta (D)
     */
    Grads apply(Tensor dout, Cache cache);
  }

  /**
   * What the backward passes need.
   *
   * @param mode the mode of the forward pass
   * @param xmu centered input {@code x − μ}, shape (N, D)
   * @param xhat normalized input, shape (N, D)
   * @param gamma scale, shape (D)
   * @param invStd {@code 1 / sqrt(v + eps)}, shape (D)
   */
  public record Cache(Mode mode, Tensor xmu, Tensor xhat, Tensor gamma, Tensor invStd) {}

  /**
   * Gradients of batchnorm.
   *
   * @param dx gradient of the input, shape (N, D)
   * @param dgamma gradient of the scale, shape (D)
   * @param dbeta gradient of the shift, shape (D)
   */
  public record Grads(Tensor dx, Tensor dgamma, Tensor dbeta) {}

  /**
   * Forward pass.
   *
   * @param x input of shape (N, D), N ≥ 1
   * @param gamma scale of shape (D)
   * @param beta shift of shape (D)
   * @param mode {@link Mode#TRAIN}: batch statistics, {@code stats} updated; {@link Mode#TEST}:
   *     {@code stats} used and left unchanged
   * @param stats running mean and variance of shape (D), with the momentum and eps to use
   * @return out of shape (N, D) and the cache
   * @throws IllegalArgumentException if the shapes or dtypes do not fit together
   */
  public static Forward<Cache> forward(
      Tensor x, Tensor gamma, Tensor beta, Mode mode, RunningStats stats) {
    return forward(x, gamma, beta, mode, stats, Workspace.allocating());
  }

  /**
   * {@link #forward(Tensor, Tensor, Tensor, Mode, RunningStats)} with the output, the cache and the
   * scratch statistics in buffers of {@code ws}.
   */
  public static Forward<Cache> forward(
      Tensor x, Tensor gamma, Tensor beta, Mode mode, RunningStats stats, Workspace ws) {
    ArgChecks.matrix("batchnorm", "x", x);
    int n = x.dim(0);
    int d = x.dim(1);
    if (n < 1) {
      throw new IllegalArgumentException(
          "batchnorm: x must have at least one row, got (0, " + d + ")");
    }
    ArgChecks.shape("batchnorm", "gamma", gamma, d);
    ArgChecks.shape("batchnorm", "beta", beta, d);
    if (mode == null || stats == null) {
      throw new IllegalArgumentException("batchnorm: mode and stats must not be null");
    }
    ArgChecks.shape("batchnorm", "running mean", stats.mean(), d);
    ArgChecks.sameDtype("batchnorm", "x", x, "gamma", gamma);
    ArgChecks.sameDtype("batchnorm", "x", x, "beta", beta);
    ArgChecks.sameDtype("batchnorm", "x", x, "running mean", stats.mean());

    // Statistics in double: mean, then the biased variance from the centered values (numpy's
    // x.var(axis=0)), as two passes over x.
    double[] mean;
    double[] var;
    // The mean as normalize subtracts it in float32 (the variance is taken around it).
    float[] meanF = x.dtype() == DType.FLOAT32 ? ws.floats(d) : null;
    if (mode == Mode.TRAIN) {
      mean = ws.zeroDoubles(d);
      var = ws.zeroDoubles(d);
      columnMoments(x, n, d, mean, var, meanF, ws);
      stats.update(ws.tensor(x.dtype(), d).setFrom(mean), ws.tensor(x.dtype(), d).setFrom(var));
    } else {
      mean = stats.mean().toDoubleArray();
      var = stats.var().toDoubleArray();
      if (meanF != null) {
        toFloat(mean, meanF);
      }
    }
    double[] inv = ws.doubles(d);
    for (int j = 0; j < d; j++) {
      inv[j] = 1 / Math.sqrt(var[j] + stats.eps());
    }
    Tensor invStd = ws.tensor(x.dtype(), d).setFrom(inv);
    // normalize writes every element of the three.
    Tensor xmu = ws.like(x);
    Tensor xhat = ws.like(x);
    Tensor out = ws.like(x);
    if (x.dtype() == DType.FLOAT32) {
      normalize(
          x.f32(),
          meanF,
          invStd.f32(),
          gamma.f32(),
          beta.f32(),
          n,
          d,
          xmu.f32(),
          xhat.f32(),
          out.f32());
    } else {
      normalize(
          x.f64(), mean, inv, gamma.f64(), beta.f64(), n, d, xmu.f64(), xhat.f64(), out.f64());
    }
    return new Forward<>(out, new Cache(mode, xmu, xhat, gamma, invStd));
  }

  /**
   * Backward pass through the full computation graph, node by node (the reference). In test mode
   * the statistics are constants and {@code dx = dout·gamma / sqrt(v + eps)}.
   *
   * @param dout upstream gradient of shape (N, D)
   * @param cache the cache of the matching {@link #forward}
   * @return dx (N, D), dgamma (D), dbeta (D)
   * @throws IllegalArgumentException if dout's shape or dtype differs from the forward input's
   */
  public static Grads backward(Tensor dout, Cache cache) {
    checkDout("batchnorm backward", dout, cache);
    Tensor xhat = cache.xhat();
    Tensor xmu = cache.xmu();
    Tensor invStd = cache.invStd();
    int n = dout.dim(0);

    // out = gamma·xhat + beta
    Tensor dbeta = dout.sumRows();
    Tensor dgamma = dout.mul(xhat).sumRows();
    Tensor dxhat = dout.mulRowVector(cache.gamma());
    if (cache.mode() == Mode.TEST) {
      return new Grads(dxhat.mulRowVector(invStd), dgamma, dbeta);
    }
    // xhat = xmu · ivar, where ivar = invStd: two branches, into xmu and into ivar.
    Tensor divar = dxhat.mul(xmu).sumRows();
    Tensor dxmu1 = dxhat.mulRowVector(invStd);
    // ivar = 1 / sqrtvar: d ivar / d sqrtvar = −1 / sqrtvar² = −ivar².
    Tensor dsqrtvar = divar.mul(invStd).mul(invStd).scaleInPlace(-1);
    // sqrtvar = sqrt(var + eps): d sqrtvar / d var = 0.5 / sqrtvar = 0.5·ivar.
    Tensor dvar = dsqrtvar.mul(invStd).scaleInPlace(0.5);
    // var = (1/N) Σ_n sq, sq = xmu²: d sq = dvar / N on every row; d xmu (second branch) =
    // 2·xmu·dsq.
    Tensor dxmu2 = xmu.mulRowVector(dvar.scale(2.0 / n));
    Tensor dx1 = dxmu1.addInPlace(dxmu2);
    // xmu = x − mu: x gets dx1 directly, mu gets −Σ_n dx1.
    Tensor dmu = dx1.sumRows().scaleInPlace(-1);
    // mu = (1/N) Σ_n x: every row of x gets dmu / N.
    Tensor dx = dx1.addRowVectorInPlace(dmu.scaleInPlace(1.0 / n));
    return new Grads(dx, dgamma, dbeta);
  }

  /**
   * Simplified backward pass, worked out on paper: with {@code dxhat = dout·gamma},
   *
   * <pre>
   *   dx = (1 / (N·sqrt(v + eps))) · (N·dxhat − Σ_n dxhat − xhat · Σ_n (dxhat·xhat))
   * </pre>
   *
   * <p>In test mode it equals {@link #backward}'s constant-statistics form.
   *
   * @param dout upstream gradient of shape (N, D)
   * @param cache the cache of the matching {@link #forward}
   * @return dx (N, D), dgamma (D), dbeta (D)
   * @throws IllegalArgumentException if dout's shape or dtype differs from the forward input's
   */
  public static Grads backwardAlt(Tensor dout, Cache cache) {
    return backwardAlt(dout, cache, Workspace.allocating());
  }

  /**
   * {@link #backwardAlt(Tensor, Cache)} with the gradients and scratch in buffers of {@code ws}.
   */
  public static Grads backwardAlt(Tensor dout, Cache cache, Workspace ws) {
    checkDout("batchnorm backwardAlt", dout, cache);
    Tensor xhat = cache.xhat();
    int n = dout.dim(0);
    int d = dout.dim(1);
    // One pass for the two reductions, one for dx.
    double[] dbeta = ws.zeroDoubles(d);
    double[] dgamma = ws.zeroDoubles(d);
    boolean train = cache.mode() == Mode.TRAIN;
    // altDx writes every element.
    Tensor dx = ws.like(dout);
    if (dout.dtype() == DType.FLOAT32) {
      float[] g = dout.f32();
      float[] xh = xhat.f32();
      Kernels.columnSumsAndDots(g, xh, n, d, dbeta, dgamma, ws.floats(d), ws.floats(d));
      float[] gamma = cache.gamma().f32();
      float[] inv = cache.invStd().f32();
      float[] k = ws.floats(d);
      float[] sb = ws.floats(d);
      float[] sg = ws.floats(d);
      for (int j = 0; j < d; j++) {
        k[j] = (float) ((double) gamma[j] * inv[j] / (train ? n : 1));
        sb[j] = (float) dbeta[j];
        sg[j] = (float) dgamma[j];
      }
      altDx(g, xh, k, sb, sg, train ? n : 0, n, d, dx.f32());
    } else {
      double[] g = dout.f64();
      double[] xh = xhat.f64();
      sums(g, xh, n, d, dbeta, dgamma);
      double[] gamma = cache.gamma().f64();
      double[] inv = cache.invStd().f64();
      double[] k = ws.doubles(d);
      for (int j = 0; j < d; j++) {
        k[j] = gamma[j] * inv[j] / (train ? n : 1);
      }
      altDx(g, xh, k, dbeta, dgamma, train ? n : 0, n, d, dx.f64());
    }
    return new Grads(
        dx, ws.tensor(dout.dtype(), d).setFrom(dgamma), ws.tensor(dout.dtype(), d).setFrom(dbeta));
  }

  // ---------------------------------------------------------------- kernels

  /**
   * Column means and biased variances (centered, two passes) of x (n, d), accumulated in double; in
   * float32 blocks of rows are summed in float first, and the variance is taken around the float
   * mean that {@link #normalize} subtracts, left in {@code meanF} (see {@link Kernels#columnSums}).
   */
  private static void columnMoments(
      Tensor x, int n, int d, double[] mean, double[] var, float[] meanF, Workspace ws) {
    if (x.dtype() == DType.FLOAT32) {
      float[] v = x.f32();
      float[] tmp = ws.floats(d);
      Kernels.columnSums(v, n, d, mean, tmp);
      for (int j = 0; j < d; j++) {
        mean[j] /= n;
      }
      Kernels.centeredSquareSums(v, n, d, toFloat(mean, meanF), var, tmp);
    } else {
      double[] v = x.f64();
      Kernels.columnSums(v, n, d, mean);
      for (int j = 0; j < d; j++) {
        mean[j] /= n;
      }
      for (int r = 0; r < n; r++) {
        int b = r * d;
        for (int j = 0; j < d; j++) {
          double c = v[b + j] - mean[j];
          var[j] += c * c;
        }
      }
    }
    for (int j = 0; j < d; j++) {
      var[j] /= n;
    }
  }

  private static float[] toFloat(double[] a, float[] f) {
    for (int i = 0; i < a.length; i++) {
      f[i] = (float) a[i];
    }
    return f;
  }

  /** {@code xmu = x − mean; xhat = xmu·inv; out = xhat·gamma + beta}, one pass. */
  private static void normalize(
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
    if (Kernels.VECTOR) {
      VectorKernels.normalize(x, mean, inv, gamma, beta, n, d, xmu, xhat, out);
      return;
    }
    for (int r = 0; r < n; r++) {
      int b = r * d;
      for (int j = 0; j < d; j++) {
        float c = x[b + j] - mean[j];
        float h = c * inv[j];
        xmu[b + j] = c;
        xhat[b + j] = h;
        out[b + j] = h * gamma[j] + beta[j];
      }
    }
  }

  private static void normalize(
      double[] x,
      double[] mean,
      double[] inv,
      double[] gamma,
      double[] beta,
      int n,
      int d,
      double[] xmu,
      double[] xhat,
      double[] out) {
    for (int r = 0; r < n; r++) {
      int b = r * d;
      for (int j = 0; j < d; j++) {
        double c = x[b + j] - mean[j];
        double h = c * inv[j];
        xmu[b + j] = c;
        xhat[b + j] = h;
        out[b + j] = h * gamma[j] + beta[j];
      }
    }
  }

  /** {@code dbeta = Σ_n dout}, {@code dgamma = Σ_n dout·xhat}, in double, one pass. */
  private static void sums(
      double[] dout, double[] xhat, int n, int d, double[] dbeta, double[] dgamma) {
    for (int r = 0; r < n; r++) {
      int b = r * d;
      for (int j = 0; j < d; j++) {
        double g = dout[b + j];
        dbeta[j] += g;
        dgamma[j] += g * xhat[b + j];
      }
    }
  }

  /**
   * The simplified dx, {@code k·(N·dout − Σdout − xhat·Σ(dout·xhat))} with {@code k =
   * gamma/(N·sqrt(v + eps))}; in test mode ({@code nTrain = 0}, {@code k = gamma/sqrt(v + eps)})
   * the statistics are constants and {@code dx = k·dout}.
   */
  private static void altDx(
      float[] dout,
      float[] xhat,
      float[] k,
      float[] dbeta,
      float[] dgamma,
      int nTrain,
      int n,
      int d,
      float[] dx) {
    if (nTrain != 0 && Kernels.VECTOR) {
      VectorKernels.batchNormDx(dout, xhat, k, dbeta, dgamma, nTrain, n, d, dx);
      return;
    }
    for (int r = 0; r < n; r++) {
      int b = r * d;
      if (nTrain == 0) {
        for (int j = 0; j < d; j++) {
          dx[b + j] = k[j] * dout[b + j];
        }
      } else {
        float fn = nTrain;
        for (int j = 0; j < d; j++) {
          dx[b + j] = k[j] * (fn * dout[b + j] - dbeta[j] - xhat[b + j] * dgamma[j]);
        }
      }
    }
  }

  private static void altDx(
      double[] dout,
      double[] xhat,
      double[] k,
      double[] dbeta,
      double[] dgamma,
      int nTrain,
      int n,
      int d,
      double[] dx) {
    for (int r = 0; r < n; r++) {
      int b = r * d;
      if (nTrain == 0) {
        for (int j = 0; j < d; j++) {
          dx[b + j] = k[j] * dout[b + j];
        }
      } else {
        for (int j = 0; j < d; j++) {
          dx[b + j] = k[j] * (nTrain * dout[b + j] - dbeta[j] - xhat[b + j] * dgamma[j]);
        }
      }
    }
  }

  private static void checkDout(String where, Tensor dout, Cache cache) {
    ArgChecks.shape(where, "dout", dout, cache.xhat().shape());
    ArgChecks.sameDtype(where, "dout", dout, "x", cache.xhat());
  }
}
