package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * What {@link SpatialBatchNorm#backward} needs from the forward pass.
 *
 * @param xhat the normalized input {@code (x − μ_c) / sqrt(σ²_c + eps)}, shape (N, C, H, W), dtype
 *     of x
 * @param gamma the scale used, shape (C)
 * @param invStd {@code 1 / sqrt(σ²_c + eps)} per channel, shape (C), float64; batch statistics in
 *     train mode, running statistics in test mode
 * @param mode the mode of the forward pass
 */
public record SpatialBatchNormCache(Tensor xhat, Tensor gamma, Tensor invStd, Mode mode) {}
