package io.sparksweep.train;

import io.sparksweep.data.Examples;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.Loss;
import io.sparksweep.optim.Optimizer;
import io.sparksweep.tensor.Tensor;
import java.util.random.RandomGenerator;

/**
 * One training iteration, the only one in the code base: the {@link Solver}'s step and the one the
 * benchmark times. It gathers the minibatch whose indices are in {@link #indices()} into a tensor
 * it owns, evaluates {@link Classifier#trainingLoss} (the model's buffers) and, when the loss is
 * finite, applies the update rule to every parameter in place.
 *
 * <p>In steady state (after the first step has sized every buffer and the optimizer's moments) a
 * step allocates no arrays: the minibatch, the labels, the model's activations, caches and
 * gradients and the optimizer's state are all reused; what remains are a few small objects per
 * layer (records, views), well under 1 KB per image (see {@code TrainingStepAllocationTest}).
 */
public final class TrainingStep {
  private final Classifier model;
  private final Examples train;
  private final Optimizer optimizer;
  private final int[] indices;
  private final int[] labels;
  private final Tensor batch;
  private final String[] names;

  /**
   * @param model the model, trained in place
   * @param train the training examples
   * @param batchSize examples per step, ≥ 1
   * @param optimizer the update rule and its per-parameter state
   */
  public TrainingStep(Classifier model, Examples train, int batchSize, Optimizer optimizer) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    this.model = model;
    this.train = train;
    this.optimizer = optimizer;
    this.indices = new int[batchSize];
    this.labels = new int[batchSize];
    int[] example = train.exampleShape();
    int[] shape = new int[example.length + 1];
    shape[0] = batchSize;
    System.arraycopy(example, 0, shape, 1, example.length);
    this.batch = Tensor.zeros(model.dtype(), shape);
    this.names = model.params().names().toArray(new String[0]);
  }

  /** The next minibatch's example indices, live: a sampler writes them before {@link #run()}. */
  public int[] indices() {
    return indices;
  }

  /** The number of examples per step. */
  public int batchSize() {
    return indices.length;
  }

  /**
   * Fills {@link #indices()} uniformly with replacement from the training set (the notebooks'
   * {@code np.random.choice(num_train, batch_size)}).
   */
  public void sampleWithReplacement(RandomGenerator rng) {
    int n = train.size();
    for (int i = 0; i < indices.length; i++) {
      indices[i] = rng.nextInt(n);
    }
  }

  /**
   * Forward, backward and (for a finite loss) the update of every parameter, on the minibatch in
   * {@link #indices()}.
   *
   * @return the minibatch loss; when it is NaN or infinite the parameters are left unchanged
   */
  public double run() {
    train.batchInto(indices, batch);
    train.labelsInto(indices, labels);
    Loss loss = model.trainingLoss(batch, labels);
    double value = loss.value();
    if (Double.isFinite(value)) {
      for (String name : names) {
        optimizer.update(name, model.params().get(name), loss.grads().get(name));
      }
    }
    return value;
  }
}
