package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * What a {@link Conv2d} backward pass needs from its forward pass. Shared by every implementation,
 * so the backward of one can be run on the forward of another. The tensors are the caller's, not
 * copies: they must not be modified between forward and backward.
 *
 * @param x input of shape (N, C, H, W)
 * @param w filter weights of shape (F, C, HH, WW)
 * @param spec stride and padding
 */
public record ConvCache(Tensor x, Tensor w, ConvSpec spec) {}
