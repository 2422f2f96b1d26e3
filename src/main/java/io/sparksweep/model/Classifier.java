package io.sparksweep.model;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.SplitMix64;
import io.sparksweep.tensor.Tensor;
import java.util.Optional;

/**
 * A model the {@code Solver} can train: the notebooks' {@code model.params} / {@code model.loss(X)}
 * / {@code model.loss(X, y)} contract.
 */
public interface Classifier {
  /** Learnable parameters, live (the optimizer updates them in place). */
  Params params();

  /**
   * Non-learnable state saved with the model (batchnorm running means/variances, named {@code
   * running_mean1}, {@code running_var1}, …); empty when the model has none. Live.
   */
  Params state();

  /** Element type of parameters and activations. */
  DType dtype();

  /** Test-mode class scores of shape (N, C) for a minibatch {@code x} of shape (N, …). */
  Tensor scores(Tensor x);

  /**
   * {@link #scores} for an evaluation loop (the Solver's accuracy checks): the same scores, but the
   * activations live in buffers the model keeps for evaluation and reuses from call to call, so
   * checks on equal-sized batches allocate no arrays. The result is overwritten by the next call;
   * the training buffers of {@link #trainingLoss} are not touched. The default delegates to {@link
   * #scores}.
   */
  default Tensor evalScores(Tensor x) {
    return scores(x);
  }

  /** Train-mode loss and gradients for minibatch {@code x} (N, …) with labels {@code y} (N). */
  Loss loss(Tensor x, int[] y);

  /**
   * {@link #loss(Tensor, int[])} for a training loop: the same loss and gradients (and the same
   * side effects: dropout draws, batchnorm running statistics), but the activations, caches,
   * scratch and gradients live in buffers the model owns and reuses from call to call, so a
   * steady-state step allocates no arrays. The returned gradients are overwritten by the next call;
   * {@link #loss(Tensor, int[])}, the allocating reference that gradient checks use, is unaffected.
   * The default delegates to it.
   */
  default Loss trainingLoss(Tensor x, int[] y) {
    return loss(x, y);
  }

  /** A small JSON object describing the architecture (saved in model files). */
  String architectureJson();

  /**
   * The state of the generator that train-mode {@link #loss(Tensor, int[])} draws from (dropout
   * masks), for checkpoints; empty when training draws no random numbers.
   */
  default Optional<SplitMix64.State> randomState() {
    return Optional.empty();
  }

  /**
   * Continues that generator from {@code state} (taken from {@link #randomState()} of a model of
   * the same architecture).
   *
   * @throws IllegalArgumentException if this model has no such generator
   */
  default void restoreRandomState(SplitMix64.State state) {
    throw new IllegalArgumentException(
        getClass().getSimpleName() + " draws no random numbers in training; nothing to restore");
  }
}
