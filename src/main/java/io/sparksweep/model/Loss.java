package io.sparksweep.model;

/**
 * A training-mode evaluation of a model on a minibatch.
 *
 * @param value data loss plus L2 regularization {@code 0.5·reg·Σ W²}
 * @param grads gradient of {@code value} for every learnable parameter, same names
 */
public record Loss(double value, Params grads) {}
