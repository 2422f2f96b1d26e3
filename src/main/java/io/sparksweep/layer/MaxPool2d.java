package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * 2-D max-pooling (the notebooks' {@code max_pool_forward_*} / {@code max_pool_backward_*}): each
 * channel of each image is covered by {@code height × width} windows, {@code stride} pixels apart,
 * and each window is replaced by its maximum. Output size {@code H' = 1 + (H − height) / stride},
 * {@code W' = 1 + (W − width) / stride}; windows must fit inside the input and tile it exactly (no
 * leftover rows or columns), as the notebooks' fast pooling asserts.
 *
 * <p>Tie rule, shared by every implementation so that they agree exactly: each window selects the
 * <em>first</em> maximum in row-major window order (top row first, left to right), and backward
 * routes the window's whole upstream gradient to that one position. (numpy's reshape path splits it
 * among tied maxima instead; both are valid subgradients, the difference only shows on exact ties.)
 * Where windows overlap, an input selected by several windows accumulates all their gradients.
 * Comparisons use strict {@code >} starting from the window's first element, so every
 * implementation treats NaNs identically (a leading NaN is kept, later ones are skipped).
 *
 * <p>Implementations: {@link NaiveMaxPool2d} (the reference) and {@link FastMaxPool2d}.
 */
public interface MaxPool2d {

  /**
   * Forward pass.
   *
   * @param x input of shape (N, C, H, W)
   * @param spec window height, width and stride
   * @return output of shape (N, C, H', W') and the cache for {@link #backward}
   * @throws IllegalArgumentException naming the argument, its shape or value and what was expected:
   *     x not of rank 4, a window larger than the input, or windows that do not tile it
   */
  Forward<PoolCache> forward(Tensor x, PoolSpec spec);

  /**
   * Backward pass.
   *
   * @param dout upstream gradient of shape (N, C, H', W'), dtype of the forward's x
   * @param cache the forward pass's cache
   * @return dx of shape (N, C, H, W)
   */
  Tensor backward(Tensor dout, PoolCache cache);
}
