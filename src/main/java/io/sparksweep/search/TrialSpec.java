package io.sparksweep.search;

import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import java.io.Serializable;
import java.util.List;

/**
 * One point of a grid: every hyperparameter of one training run, its stable key and its seed.
 *
 * @param key stable hash of the hyperparameters (not of the seed or run), hex
 * @param index position in the grid's documented expansion order
 * @param repeat repeat number (0-based) when the grid asks for several seeds per point
 * @param seed derived from (run seed, key, repeat): same trial, same seed, wherever it runs
 * @param model {@code fc} or {@code cnn}
 * @param hiddenDims FC hidden layer sizes; for cnn, a single element: the hidden affine size
 * @param numFilters cnn filters (32 in the notebooks); ignored for fc
 * @param filterSize cnn filter size (7 in the notebooks); ignored for fc
 * @param updateRule update rule
 * @param learningRate learning rate (&gt; 0)
 * @param weightScale std of the initial weights (&gt; 0)
 * @param dropoutKeepRatio keep probability in (0, 1]; 1 = no dropout
 * @param normalization none, batchnorm or layernorm
 * @param reg L2 strength (≥ 0)
 * @param batchSize minibatch size
 * @param numEpochs epochs
 * @param lrDecay learning-rate multiplier applied after each epoch
 * @param numTrain number of training images used (≤ the training split)
 */
public record TrialSpec(
    String key,
    int index,
    int repeat,
    long seed,
    String model,
    List<Integer> hiddenDims,
    int numFilters,
    int filterSize,
    UpdateRule updateRule,
    double learningRate,
    double weightScale,
    double dropoutKeepRatio,
    Normalization normalization,
    double reg,
    int batchSize,
    int numEpochs,
    double lrDecay,
    int numTrain)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Defensive copy of the hidden dims into an immutable (serializable) list. */
  public TrialSpec {
    hiddenDims = List.copyOf(hiddenDims);
  }
}
