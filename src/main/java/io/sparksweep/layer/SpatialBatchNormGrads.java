package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * Gradients of spatial batch normalization.
 *
 * @param dx gradient with respect to x, shape (N, C, H, W)
 * @param dgamma gradient with respect to gamma, shape (C)
 * @param dbeta gradient with respect to beta, shape (C)
 */
public record SpatialBatchNormGrads(Tensor dx, Tensor dgamma, Tensor dbeta) {}
