package io.sparksweep.loss;

import io.sparksweep.tensor.Tensor;

/**
 * A data loss over a minibatch and its gradient with respect to the class scores: the notebooks'
 * {@code loss, dx = softmax_loss(x, y)}.
 *
 * @param loss mean loss over the N examples
 * @param dscores gradient of {@code loss} with respect to the scores, shape (N, C), the scores'
 *     dtype
 */
public record DataLoss(double loss, Tensor dscores) {}
