package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * The result of a layer's forward pass: the notebooks' {@code out, cache = x_forward(...)}, typed.
 *
 * @param out the layer's output
 * @param cache what the matching {@code backward} needs (a layer-specific record)
 * @param <C> the cache type
 */
public record Forward<C>(Tensor out, C cache) {}
