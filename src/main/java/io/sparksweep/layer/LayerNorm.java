package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * Layer normalization (Ba, Kiros and Hinton, 2016, "Layer Normalization"), the notebooks' {@code
 * layernorm_forward} / {@code layernorm_backward}: batchnorm transposed. Each example (row) is
 * normalized with its own mean μ_n and (biased) variance v_n over its D features, {@code xhat = (x
 * − μ_n) / sqrt(v_n + eps)}, then scaled and shifted per feature, {@code out = gamma·xhat + beta}.
 *
 * <p>There are no running statistics: train and test behave identically, so there is no {@link
 * Mode} argument.
 */
public final class LayerNorm {
  /** Default epsilon, 1e-5 (as for batchnorm). */
  public static final double DEFAULT_EPS = 1e-5;

  private LayerNorm() {}

  /**
   * What {@link #backward} needs.
   *
   * @param xhat normalized input, shape (N, D)
   * @param gamma scale, shape (D)
   * @param invStd per-example {@code 1 / sqrt(v_n + eps)}, shape (N)
   */
  public record Cache(Tensor xhat, Tensor gamma, Tensor invStd) {}

  /**
   * Gradients of layernorm.
   *
   * @param dx gradient of the input, shape (N, D)
   * @param dgamma gradient of the scale, shape (D)
   * @param dbeta gradient of the shift, shape (D)
   */
  public record Grads(Tensor dx, Tensor dgamma, Tensor dbeta) {}

  /** {@link #forward(Tensor, Tensor, Tensor, double)} with eps = {@value #DEFAULT_EPS}. */
  public static Forward<Cache> forward(Tensor x, Tensor gamma, Tensor beta) {
    return forward(x, gamma, beta, DEFAULT_EPS);
  }

  /**
   * Forward pass.
   *
   * @param x input of shape (N, D), D ≥ 1
   * @param gamma scale of shape (D)
   * @param beta shift of shape (D)
   * @param eps added to each example's variance, &gt; 0
   * @return out of shape (N, D) and the cache
   * @throws IllegalArgumentException if the shapes or dtypes do not fit together, or eps ≤ 0
   */
  public static Forward<Cache> forward(Tensor x, Tensor gamma, Tensor beta, double eps) {
    ArgChecks.matrix("layernorm", "x", x);
    int d = x.dim(1);
    if (d < 1) {
      throw new IllegalArgumentException(
          "layernorm: x must have at least one feature, got " + x.shapeString());
    }
    ArgChecks.shape("layernorm", "gamma", gamma, d);
    ArgChecks.shape("layernorm", "beta", beta, d);
    ArgChecks.sameDtype("layernorm", "x", x, "gamma", gamma);
    ArgChecks.sameDtype("layernorm", "x", x, "beta", beta);
    if (!(eps > 0) || Double.isInfinite(eps)) {
      throw new IllegalArgumentException("layernorm: eps must be > 0 and finite, got " + eps);
    }
    Tensor mean = x.meanColumns();
    Tensor xmu = x.subColumnVector(mean);
    Tensor var = xmu.square().meanColumns();
    Tensor invStd = Norms.inverseStd(var, eps);
    Tensor xhat = xmu.mulColumnVector(invStd);
    Tensor out = xhat.mulRowVector(gamma).addRowVectorInPlace(beta);
    return new Forward<>(out, new Cache(xhat, gamma, invStd));
  }

  /**
   * Backward pass, batchnorm's simplified form with the roles of rows and columns swapped: with
   * {@code dxhat = dout·gamma}, for each example n,
   *
   * <pre>
   *   dx_n = (1 / (D·sqrt(v_n + eps))) · (D·dxhat_n − Σ_d dxhat_n − xhat_n · Σ_d (dxhat_n·xhat_n))
   * </pre>
   *
   * @param dout upstream gradient of shape (N, D)
   * @param cache the cache of the matching {@link #forward}
   * @return dx (N, D), dgamma (D), dbeta (D)
   * @throws IllegalArgumentException if dout's shape or dtype differs from the forward input's
   */
  public static Grads backward(Tensor dout, Cache cache) {
    Tensor xhat = cache.xhat();
    ArgChecks.shape("layernorm backward", "dout", dout, xhat.shape());
    ArgChecks.sameDtype("layernorm backward", "dout", dout, "x", xhat);
    int d = xhat.dim(1);
    Tensor dbeta = dout.sumRows();
    Tensor dgamma = dout.mul(xhat).sumRows();
    Tensor dxhat = dout.mulRowVector(cache.gamma());
    Tensor sumDxhat = dxhat.sumColumns();
    Tensor sumDxhatXhat = dxhat.mul(xhat).sumColumns();
    Tensor dx =
        dxhat
            .scaleInPlace(d)
            .subColumnVector(sumDxhat)
            .subInPlace(xhat.mulColumnVector(sumDxhatXhat))
            .mulColumnVector(cache.invStd().scale(1.0 / d));
    return new Grads(dx, dgamma, dbeta);
  }
}
