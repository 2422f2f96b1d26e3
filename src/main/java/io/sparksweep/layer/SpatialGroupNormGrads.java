package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * Gradients of spatial group normalization.
 *
 * @param dx gradient with respect to x, shape (N, C, H, W)
 * @param dgamma gradient with respect to gamma, shape (1, C, 1, 1)
 * @param dbeta gradient with respect to beta, shape (1, C, 1, 1)
 */
public record SpatialGroupNormGrads(Tensor dx, Tensor dgamma, Tensor dbeta) {}
