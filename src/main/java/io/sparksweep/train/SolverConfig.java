package io.sparksweep.train;

import io.sparksweep.optim.OptimConfig;
import io.sparksweep.optim.UpdateRule;

/**
 * The notebooks' {@code Solver(model, data, num_epochs=…, batch_size=…, update_rule=…,
 * optim_config=…, lr_decay=…, num_train_samples=…, num_val_samples=…)}, typed. The notebooks'
 * {@code print_every} is not here: how often progress is printed is the listener's business ({@link
 * SolverListener#notebookLines}), the solver never reads it.
 *
 * @param numEpochs epochs to train (≥ 1)
 * @param batchSize minibatch size (≥ 1)
 * @param updateRule update rule
 * @param optimConfig its hyperparameters
 * @param lrDecay learning-rate multiplier applied after each epoch (&gt; 0)
 * @param numTrainSamples training examples sampled for the per-epoch accuracy (1000)
 * @param numValSamples validation examples sampled for it; 0 = the whole validation set
 * @param seed seed of minibatch sampling and accuracy subsampling
 */
public record SolverConfig(
    int numEpochs,
    int batchSize,
    UpdateRule updateRule,
    OptimConfig optimConfig,
    double lrDecay,
    int numTrainSamples,
    int numValSamples,
    long seed) {

  /** Validates every field, naming the bad one and the allowed range. */
  public SolverConfig {
    if (numEpochs < 1) {
      throw new IllegalArgumentException("numEpochs must be ≥ 1, got " + numEpochs);
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be ≥ 1, got " + batchSize);
    }
    if (!(lrDecay > 0)) {
      throw new IllegalArgumentException("lrDecay must be > 0, got " + lrDecay);
    }
    if (numTrainSamples < 1 || numValSamples < 0) {
      throw new IllegalArgumentException(
          "numTrainSamples must be ≥ 1 and numValSamples ≥ 0, got "
              + numTrainSamples
              + " and "
              + numValSamples);
    }
  }

  /** The notebooks' defaults: 10 epochs, batch 100, SGD 1e-2, no decay. */
  public static SolverConfig defaults() {
    return new SolverConfig(
        10, 100, UpdateRule.SGD, OptimConfig.defaults(UpdateRule.SGD), 1.0, 1000, 0, 0L);
  }

  /** A copy with another number of epochs. */
  public SolverConfig withEpochs(int epochs) {
    return new SolverConfig(
        epochs, batchSize, updateRule, optimConfig, lrDecay, numTrainSamples, numValSamples, seed);
  }

  /** A copy with another batch size. */
  public SolverConfig withBatchSize(int size) {
    return new SolverConfig(
        numEpochs, size, updateRule, optimConfig, lrDecay, numTrainSamples, numValSamples, seed);
  }

  /** A copy with another update rule and its default config at learning rate {@code lr}. */
  public SolverConfig withUpdateRule(UpdateRule rule, double lr) {
    return new SolverConfig(
        numEpochs,
        batchSize,
        rule,
        OptimConfig.defaults(rule).withLearningRate(lr),
        lrDecay,
        numTrainSamples,
        numValSamples,
        seed);
  }

  /** A copy with another learning-rate decay. */
  public SolverConfig withLrDecay(double decay) {
    return new SolverConfig(
        numEpochs, batchSize, updateRule, optimConfig, decay, numTrainSamples, numValSamples, seed);
  }

  /** A copy with another seed. */
  public SolverConfig withSeed(long newSeed) {
    return new SolverConfig(
        numEpochs,
        batchSize,
        updateRule,
        optimConfig,
        lrDecay,
        numTrainSamples,
        numValSamples,
        newSeed);
  }
}
