package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

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

    Tensor mean;
    Tensor var;
    Tensor xmu;
    if (mode == Mode.TRAIN) {
      mean = x.meanRows();
      xmu = x.subRowVector(mean);
      // Biased variance of the batch (numpy's x.var(axis=0)), from the centered values.
      var = xmu.square().meanRows();
      stats.update(mean, var);
    } else {
      mean = stats.mean();
      var = stats.var();
      xmu = x.subRowVector(mean);
    }
    Tensor invStd = Norms.inverseStd(var, stats.eps());
    Tensor xhat = xmu.mulRowVector(invStd);
    Tensor out = xhat.mulRowVector(gamma).addRowVectorInPlace(beta);
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
    checkDout("batchnorm backwardAlt", dout, cache);
    Tensor xhat = cache.xhat();
    Tensor invStd = cache.invStd();
    int n = dout.dim(0);
    Tensor dbeta = dout.sumRows();
    Tensor dgamma = dout.mul(xhat).sumRows();
    Tensor dxhat = dout.mulRowVector(cache.gamma());
    if (cache.mode() == Mode.TEST) {
      return new Grads(dxhat.mulRowVector(invStd), dgamma, dbeta);
    }
    // Σ_n dxhat = gamma·dbeta and Σ_n dxhat·xhat = gamma·dgamma.
    Tensor sumDxhat = dbeta.mul(cache.gamma());
    Tensor sumDxhatXhat = dgamma.mul(cache.gamma());
    Tensor dx =
        dxhat
            .scaleInPlace(n)
            .subInPlace(xhat.mulRowVector(sumDxhatXhat))
            .addRowVectorInPlace(sumDxhat.scaleInPlace(-1))
            .mulRowVector(invStd.scale(1.0 / n));
    return new Grads(dx, dgamma, dbeta);
  }

  private static void checkDout(String where, Tensor dout, Cache cache) {
    ArgChecks.shape(where, "dout", dout, cache.xhat().shape());
    ArgChecks.sameDtype(where, "dout", dout, "x", cache.xhat());
  }
}
