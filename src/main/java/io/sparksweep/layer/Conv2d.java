package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * A 2-D convolution layer (the notebooks' {@code conv_forward_*} / {@code conv_backward_*}): N
 * images of C channels, H×W pixels, convolved (cross-correlated, as in every deep-learning library)
 * with F filters of C×HH×WW weights plus one bias per filter, with zero padding and a stride.
 *
 * <p>Two implementations, tested against each other: {@link NaiveConv2d} (direct loops, the
 * reference) and {@link Im2ColConv2d} (im2col plus one matrix product per image, the one used to
 * train). Both accept float32 and float64 tensors and share {@link ConvCache}, so the backward of
 * one runs on the forward of the other.
 *
 * <p>Output size: {@code H' = 1 + (H + 2·pad − HH) / stride} and {@code W' = 1 + (W + 2·pad − WW) /
 * stride}; a geometry where these divisions are not exact is rejected rather than silently floored.
 */
public interface Conv2d {

  /**
   * Forward pass.
   *
   * @param x input of shape (N, C, H, W)
   * @param w filter weights of shape (F, C, HH, WW), same dtype as x
   * @param b biases of shape (F), same dtype as x
   * @param spec stride and zero padding
   * @return output of shape (N, F, H', W') and the cache for {@link #backward}
   * @throws IllegalArgumentException naming the offending argument, its shape or value and what was
   *     expected: wrong ranks, dtypes that differ, channels of w ≠ channels of x, b not of shape
   *     (F), a filter larger than the padded input, or a non-integral output size
   */
  Forward<ConvCache> forward(Tensor x, Tensor w, Tensor b, ConvSpec spec);

  /**
   * Backward pass.
   *
   * @param dout upstream gradient of shape (N, F, H', W'), same dtype as the forward's x
   * @param cache the forward pass's cache
   * @param computeDx whether to compute dx; a first layer, whose input is data, can skip it (a
   *     third of the backward work), and then {@link ConvGrads#dx()} is {@code null}
   * @return dx (N, C, H, W) or null, dw (F, C, HH, WW), db (F)
   */
  ConvGrads backward(Tensor dout, ConvCache cache, boolean computeDx);

  /**
   * Backward pass computing all of dx, dw and db, see {@link #backward(Tensor, ConvCache,
   * boolean)}.
   */
  default ConvGrads backward(Tensor dout, ConvCache cache) {
    return backward(dout, cache, true);
  }
}
