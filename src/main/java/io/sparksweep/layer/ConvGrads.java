package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * Gradients of a convolution (the notebooks' {@code dx, dw, db = conv_backward(dout, cache)}).
 *
 * @param dx gradient with respect to x, shape (N, C, H, W); {@code null} when the caller asked for
 *     the weight gradients only (see {@link Conv2d#backward(Tensor, ConvCache, boolean)})
 * @param dw gradient with respect to w, shape (F, C, HH, WW)
 * @param db gradient with respect to b, shape (F)
 */
public record ConvGrads(Tensor dx, Tensor dw, Tensor db) {}
