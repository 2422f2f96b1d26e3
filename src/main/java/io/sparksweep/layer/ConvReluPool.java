package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * The conv → relu → max-pool sandwich (the notebooks' {@code conv_relu_pool_forward} / {@code
 * conv_relu_pool_backward}), the first block of the three-layer convnet, on the fast {@link
 * Im2ColConv2d} and {@link FastMaxPool2d}. The relu is applied in place to the convolution's fresh
 * output, which is then the pool's input; backward routes {@code dout} through the pool's argmax,
 * masks it by the relu gates and runs the convolution's backward.
 */
public final class ConvReluPool {
  private ConvReluPool() {}

  /**
   * Forward pass: {@code maxpool(relu(conv(x, w, b)))}.
   *
   * @param x input of shape (N, C, H, W)
   * @param w filter weights of shape (F, C, HH, WW)
   * @param b biases of shape (F)
   * @param convSpec the convolution's stride and padding
   * @param poolSpec the pool's window and stride, applied to the (N, F, H', W') conv output
   * @return output of shape (N, F, H'', W'') and the cache for {@link #backward}
   * @throws IllegalArgumentException as {@link Conv2d#forward} and {@link MaxPool2d#forward}
   *     (checked before any work is done; the pool's input is named "the conv output")
   */
  public static Forward<ConvReluPoolCache> forward(
      Tensor x, Tensor w, Tensor b, ConvSpec convSpec, PoolSpec poolSpec) {
    var g = ConvChecks.convForward(x, w, b, convSpec);
    PoolChecks.outputSize(
        "the conv output", new int[] {x.dim(0), w.dim(0), g.outHeight(), g.outWidth()}, poolSpec);
    Forward<ConvCache> conv = Im2ColConv2d.INSTANCE.forward(x, w, b, convSpec);
    Tensor a = conv.out();
    ConvRelu.reluInPlace(a);
    Forward<PoolCache> pool = FastMaxPool2d.INSTANCE.forward(a, poolSpec);
    return new Forward<>(pool.out(), new ConvReluPoolCache(conv.cache(), pool.cache()));
  }

  /**
   * Backward pass computing dx, dw and db, see {@link #backward(Tensor, ConvReluPoolCache,
   * boolean)}.
   */
  public static ConvGrads backward(Tensor dout, ConvReluPoolCache cache) {
    return backward(dout, cache, true);
  }

  /**
   * Backward pass.
   *
   * @param dout upstream gradient of shape (N, F, H'', W'')
   * @param cache the forward pass's cache
   * @param computeDx whether to compute dx (see {@link Conv2d#backward(Tensor, ConvCache,
   *     boolean)})
   * @return dx (N, C, H, W) or null, dw (F, C, HH, WW), db (F)
   */
  public static ConvGrads backward(Tensor dout, ConvReluPoolCache cache, boolean computeDx) {
    ConvChecks.requireNonNull("cache", cache);
    Tensor da = FastMaxPool2d.INSTANCE.backwardThroughRelu(dout, cache.pool());
    return Im2ColConv2d.INSTANCE.backward(da, cache.conv(), computeDx);
  }
}
