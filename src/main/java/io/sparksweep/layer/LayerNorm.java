package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;

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
    return forward(x, gamma, beta, eps, Workspace.allocating());
  }

  /**
   * {@link #forward(Tensor, Tensor, Tensor, double)} with the output and the cache in buffers of
   * {@code ws}. Each example's mean and variance are computed in double.
   */
  public static Forward<Cache> forward(
      Tensor x, Tensor gamma, Tensor beta, double eps, Workspace ws) {
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
    int n = x.dim(0);
    Tensor invStd = ws.tensor(x.dtype(), n);
    Tensor xhat = ws.like(x);
    Tensor out = ws.like(x);
    for (int r = 0; r < n; r++) {
      int base = r * d;
      double m = 0;
      for (int j = 0; j < d; j++) {
        m += x.getFlat(base + j);
      }
      m /= d;
      double v = 0;
      for (int j = 0; j < d; j++) {
        double c = x.getFlat(base + j) - m;
        v += c * c;
      }
      double inv = 1 / Math.sqrt(v / d + eps);
      invStd.setFlat(r, inv);
      for (int j = 0; j < d; j++) {
        xhat.setFlat(base + j, (x.getFlat(base + j) - m) * inv);
        out.setFlat(base + j, xhat.getFlat(base + j) * gamma.getFlat(j) + beta.getFlat(j));
      }
    }
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
    return backward(dout, cache, Workspace.allocating());
  }

  /** {@link #backward(Tensor, Cache)} with the gradients in buffers of {@code ws}. */
  public static Grads backward(Tensor dout, Cache cache, Workspace ws) {
    Tensor xhat = cache.xhat();
    ArgChecks.shape("layernorm backward", "dout", dout, xhat.shape());
    ArgChecks.sameDtype("layernorm backward", "dout", dout, "x", xhat);
    int d = xhat.dim(1);
    int n = xhat.dim(0);
    Tensor gamma = cache.gamma();
    Tensor invStd = cache.invStd();
    double[] sb = ws.zeroDoubles(d);
    double[] sg = ws.zeroDoubles(d);
    Tensor dx = ws.like(dout);
    for (int r = 0; r < n; r++) {
      int base = r * d;
      double sumDxhat = 0;
      double sumDxhatXhat = 0;
      for (int j = 0; j < d; j++) {
        double g = dout.getFlat(base + j);
        double h = xhat.getFlat(base + j);
        sb[j] += g;
        sg[j] += g * h;
        double dxh = g * gamma.getFlat(j);
        sumDxhat += dxh;
        sumDxhatXhat += dxh * h;
      }
      double k = invStd.getFlat(r) / d;
      for (int j = 0; j < d; j++) {
        double dxh = dout.getFlat(base + j) * gamma.getFlat(j);
        dx.setFlat(base + j, k * (d * dxh - sumDxhat - xhat.getFlat(base + j) * sumDxhatXhat));
      }
    }
    Tensor dgamma = ws.tensor(dout.dtype(), d).setFrom(sg);
    Tensor dbeta = ws.tensor(dout.dtype(), d).setFrom(sb);
    return new Grads(dx, dgamma, dbeta);
  }
}
