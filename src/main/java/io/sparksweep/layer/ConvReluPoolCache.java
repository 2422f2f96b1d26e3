package io.sparksweep.layer;

/**
 * What {@link ConvReluPool#backward} needs from the forward pass.
 *
 * @param conv the convolution's cache
 * @param pool the max-pool's cache; its input is the relu output, whose positive entries are the
 *     relu's open gates
 */
public record ConvReluPoolCache(ConvCache conv, PoolCache pool) {}
