package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * What {@link ConvRelu#backward} needs from the forward pass.
 *
 * @param conv the convolution's cache
 * @param out the forward output {@code relu(conv(x))}, shape (N, F, H', W'); the very tensor
 *     returned by forward, which must not be modified before backward (its positive entries are the
 *     relu's open gates)
 */
public record ConvReluCache(ConvCache conv, Tensor out) {}
