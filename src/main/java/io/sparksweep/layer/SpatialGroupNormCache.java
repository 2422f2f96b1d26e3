package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * What {@link SpatialGroupNorm#backward} needs from the forward pass.
 *
 * @param xhat the normalized input, shape (N, C, H, W), dtype of x
 * @param gamma the scale used, shape (1, C, 1, 1)
 * @param invStd {@code 1 / sqrt(σ²_{n,g} + eps)} per sample and group, shape (N, G), float64
 * @param groups G, the number of channel groups
 */
public record SpatialGroupNormCache(Tensor xhat, Tensor gamma, Tensor invStd, int groups) {}
