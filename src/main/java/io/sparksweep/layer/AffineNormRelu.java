package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;
import java.util.random.RandomGenerator;

/**
 * The hidden block of the notebooks' {@code FullyConnectedNetImproved}: affine → normalization
 * (none, batchnorm or layernorm) → ReLU → dropout (off when the keep probability is 1).
 */
public final class AffineNormRelu {
  private AffineNormRelu() {}

  /** The normalization between the affine layer and the ReLU, with its parameters. */
  public sealed interface Norm permits Norm.Identity, Norm.Batch, Norm.Layer {
    /** No normalization. */
    record Identity() implements Norm {}

    /**
     * Batch normalization ({@link BatchNorm}).
     *
     * @param gamma scale of shape (M)
     * @param beta shift of shape (M)
     * @param stats running mean and variance of shape (M), updated in train mode
     */
    record Batch(Tensor gamma, Tensor beta, RunningStats stats) implements Norm {}

    /**
     * Layer normalization ({@link LayerNorm}).
     *
     * @param gamma scale of shape (M)
     * @param beta shift of shape (M)
     * @param eps added to each example's variance
     */
    record Layer(Tensor gamma, Tensor beta, double eps) implements Norm {}

    /** No normalization. */
    static Norm none() {
      return new Identity();
    }

    /** Batch normalization with the given parameters and running statistics. */
    static Norm batch(Tensor gamma, Tensor beta, RunningStats stats) {
      return new Batch(gamma, beta, stats);
    }

    /** Layer normalization with eps = {@value LayerNorm#DEFAULT_EPS}. */
    static Norm layer(Tensor gamma, Tensor beta) {
      return new Layer(gamma, beta, LayerNorm.DEFAULT_EPS);
    }
  }

  /**
   * What {@link #backward} needs; the cache of an absent layer is {@code null}.
   *
   * @param affine the affine layer's cache
   * @param batchNorm batchnorm's cache, or {@code null}
   * @param layerNorm layernorm's cache, or {@code null}
   * @param relu the ReLU's cache
   * @param dropout dropout's cache (identity when the keep probability is 1 or in test mode)
   */
  public record Cache(
      Affine.Cache affine,
      BatchNorm.Cache batchNorm,
      LayerNorm.Cache layerNorm,
      Relu.Cache relu,
      Dropout.Cache dropout) {}

  /**
   * Gradients of the block.
   *
   * @param dx gradient of the input, x's shape
   * @param dw gradient of the weights, shape (D, M)
   * @param db gradient of the bias, shape (M)
   * @param dgamma gradient of the normalization's scale, shape (M), or {@code null} without one
   * @param dbeta gradient of the normalization's shift, shape (M), or {@code null} without one
   */
  public record Grads(Tensor dx, Tensor dw, Tensor db, Tensor dgamma, Tensor dbeta) {}

  /**
   * Forward pass: {@code dropout(relu(norm(x·w + b)))}.
   *
   * @param x input of shape (N, d1, …, dk), D = d1·…·dk
   * @param w weights of shape (D, M)
   * @param b bias of shape (M)
   * @param norm the normalization and its parameters
   * @param keepProbability dropout keep probability in (0, 1]; 1 turns dropout off
   * @param mode train or test behaviour of batchnorm and dropout
   * @param rng source of the dropout mask; may be {@code null} when no mask is drawn
   * @return out of shape (N, M) and the cache
   * @throws IllegalArgumentException if the shapes or dtypes do not fit together, or the keep
   *     probability is outside (0, 1]
   */
  public static Forward<Cache> forward(
      Tensor x,
      Tensor w,
      Tensor b,
      Norm norm,
      double keepProbability,
      Mode mode,
      RandomGenerator rng) {
    return forward(x, w, b, norm, keepProbability, mode, rng, Workspace.allocating());
  }

  /**
   * {@link #forward(Tensor, Tensor, Tensor, Norm, double, Mode, RandomGenerator)} with every output
   * and cache in buffers of {@code ws}.
   */
  public static Forward<Cache> forward(
      Tensor x,
      Tensor w,
      Tensor b,
      Norm norm,
      double keepProbability,
      Mode mode,
      RandomGenerator rng,
      Workspace ws) {
    if (norm == null || mode == null) {
      throw new IllegalArgumentException("affine-norm-relu: norm and mode must not be null");
    }
    Dropout.checkKeepProbability(keepProbability);
    Forward<Affine.Cache> affine = Affine.forward(x, w, b, ws);
    Tensor a = affine.out();
    BatchNorm.Cache batchNormCache = null;
    LayerNorm.Cache layerNormCache = null;
    if (norm instanceof Norm.Batch bn) {
      Forward<BatchNorm.Cache> f =
          BatchNorm.forward(a, bn.gamma(), bn.beta(), mode, bn.stats(), ws);
      a = f.out();
      batchNormCache = f.cache();
    } else if (norm instanceof Norm.Layer ln) {
      Forward<LayerNorm.Cache> f = LayerNorm.forward(a, ln.gamma(), ln.beta(), ln.eps(), ws);
      a = f.out();
      layerNormCache = f.cache();
    }
    Forward<Relu.Cache> relu = Relu.forward(a, ws);
    Forward<Dropout.Cache> dropout = Dropout.forward(relu.out(), keepProbability, mode, rng, ws);
    return new Forward<>(
        dropout.out(),
        new Cache(affine.cache(), batchNormCache, layerNormCache, relu.cache(), dropout.cache()));
  }

  /**
   * Backward pass, the forward layers in reverse. Batchnorm uses {@link BatchNorm#backwardAlt}.
   *
   * @param dout upstream gradient of shape (N, M)
   * @param cache the cache of the matching {@link #forward}
   * @return dx, dw, db and (with a normalization) dgamma, dbeta
   */
  public static Grads backward(Tensor dout, Cache cache) {
    return backward(dout, cache, true);
  }

  /**
   * Backward pass, optionally without dx (see {@link Affine#backward(Tensor, Affine.Cache,
   * boolean)}).
   *
   * @param dout upstream gradient of shape (N, M)
   * @param cache the cache of the matching {@link #forward}
   * @param computeDx whether to compute dx; when false, {@link Grads#dx()} is {@code null}
   * @return dx (or null), dw, db and (with a normalization) dgamma, dbeta
   */
  public static Grads backward(Tensor dout, Cache cache, boolean computeDx) {
    return backward(dout, cache, computeDx, Workspace.allocating());
  }

  /** {@link #backward(Tensor, Cache, boolean)} with every gradient in buffers of {@code ws}. */
  public static Grads backward(Tensor dout, Cache cache, boolean computeDx, Workspace ws) {
    Tensor d = Dropout.backward(dout, cache.dropout(), ws);
    d = Relu.backward(d, cache.relu(), ws);
    Tensor dgamma = null;
    Tensor dbeta = null;
    if (cache.batchNorm() != null) {
      BatchNorm.Grads g = BatchNorm.backwardAlt(d, cache.batchNorm(), ws);
      d = g.dx();
      dgamma = g.dgamma();
      dbeta = g.dbeta();
    } else if (cache.layerNorm() != null) {
      LayerNorm.Grads g = LayerNorm.backward(d, cache.layerNorm(), ws);
      d = g.dx();
      dgamma = g.dgamma();
      dbeta = g.dbeta();
    }
    Affine.Grads a = Affine.backward(d, cache.affine(), computeDx, ws);
    return new Grads(a.dx(), a.dw(), a.db(), dgamma, dbeta);
  }
}
