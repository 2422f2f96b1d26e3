package io.sparksweep.train;

import io.sparksweep.data.Examples;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.Params;
import io.sparksweep.optim.Optimizer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Minibatch training of a {@link Classifier}: the notebooks' {@code Solver}.
 *
 * <p>Each iteration samples a minibatch of {@code batchSize} training examples uniformly with
 * replacement ({@code np.random.choice}), evaluates the loss and gradients and applies the update
 * rule to every parameter. An epoch is {@code max(N / batchSize, 1)} iterations; after each, the
 * learning rate is multiplied by {@code lrDecay}. Accuracy is checked on the first iteration, after
 * every epoch and on the last iteration: on {@code numTrainSamples} random training examples and on
 * the validation set. The parameters (and batchnorm running statistics) of the best validation
 * accuracy are kept and restored into the model when training ends. A NaN or infinite loss stops
 * training at once; the history records where, and the best parameters seen so far are restored.
 * Same config and seed ⇒ same history.
 */
public final class Solver {
  private static final int PREDICT_BATCH = 100;

  private final Classifier model;
  private final Examples train;
  private final Examples val;
  private final SolverConfig config;
  private final SolverListener listener;

  /**
   * @param model the model, trained in place
   * @param train training examples
   * @param val validation examples
   * @param config epochs, batch size, update rule, …
   * @param listener progress observer
   */
  public Solver(
      Classifier model,
      Examples train,
      Examples val,
      SolverConfig config,
      SolverListener listener) {
    if (train.size() < 1) {
      throw new IllegalArgumentException("the training set is empty");
    }
    if (val.size() < 1) {
      throw new IllegalArgumentException("the validation set is empty");
    }
    this.model = model;
    this.train = train;
    this.val = val;
    this.config = config;
    this.listener = listener;
  }

  /** Trains the model and returns the history; the best parameters are restored into the model. */
  public History train() {
    SplittableRandom rng = new SplittableRandom(config.seed());
    SplittableRandom batchRng = rng.split();
    SplittableRandom checkRng = rng.split();
    Optimizer optimizer = new Optimizer(config.updateRule(), config.optimConfig());
    int n = train.size();
    int itersPerEpoch = Math.max(n / config.batchSize(), 1);
    int numIterations = config.numEpochs() * itersPerEpoch;

    List<Double> lossHistory = new ArrayList<>();
    List<Double> trainAcc = new ArrayList<>();
    List<Double> valAcc = new ArrayList<>();
    List<Double> epochLoss = new ArrayList<>();
    double bestValAcc = -1;
    int bestEpoch = 0;
    Params bestParams = model.params().deepCopy();
    Params bestState = model.state().deepCopy();
    int epoch = 0;
    int divergedAt = 0;
    double epochLossSum = 0;
    TrainingStep step = new TrainingStep(model, train, config.batchSize(), optimizer);

    for (int t = 0; t < numIterations; t++) {
      step.sampleWithReplacement(batchRng);
      // Forward, backward and (for a finite loss) the update, on buffers reused every step.
      double loss = step.run();
      lossHistory.add(loss);
      listener.iteration(t + 1, numIterations, loss);
      if (!Double.isFinite(loss)) {
        divergedAt = t + 1;
        break;
      }
      epochLossSum += loss;

      boolean epochEnd = (t + 1) % itersPerEpoch == 0;
      if (epochEnd) {
        epoch++;
        epochLoss.add(epochLossSum / itersPerEpoch);
        epochLossSum = 0;
        optimizer.decayLearningRate(config.lrDecay());
      }
      if (t == 0 || t == numIterations - 1 || epochEnd) {
        double tr = accuracy(model, train, config.numTrainSamples(), checkRng);
        double va = accuracy(model, val, config.numValSamples(), checkRng);
        trainAcc.add(tr);
        valAcc.add(va);
        listener.epoch(epoch, config.numEpochs(), tr, va);
        if (va > bestValAcc) {
          bestValAcc = va;
          bestEpoch = epoch;
          bestParams = model.params().deepCopy();
          bestState = model.state().deepCopy();
        }
      }
    }
    model.params().copyFrom(bestParams);
    model.state().copyFrom(bestState);
    return new History(
        lossHistory,
        trainAcc,
        valAcc,
        epochLoss,
        Math.max(bestValAcc, 0),
        bestEpoch,
        epoch,
        divergedAt,
        divergedAt == 0 ? 0 : (divergedAt - 1) / itersPerEpoch + 1);
  }

  /**
   * The notebooks' {@code check_accuracy}: the fraction of {@code numSamples} examples (sampled
   * with replacement; 0 or ≥ size = all, in order) whose test-mode argmax score equals the label.
   */
  public static double accuracy(
      Classifier model, Examples data, int numSamples, SplittableRandom rng) {
    int n = data.size();
    int[] indices;
    if (numSamples <= 0 || numSamples >= n) {
      indices = new int[n];
      for (int i = 0; i < n; i++) {
        indices[i] = i;
      }
    } else {
      indices = new int[numSamples];
      for (int i = 0; i < numSamples; i++) {
        indices[i] = rng.nextInt(n);
      }
    }
    int correct = 0;
    for (int start = 0; start < indices.length; start += PREDICT_BATCH) {
      int len = Math.min(PREDICT_BATCH, indices.length - start);
      int[] chunk = new int[len];
      System.arraycopy(indices, start, chunk, 0, len);
      int[] pred = model.scores(data.batch(chunk, model.dtype())).argmaxColumns();
      for (int i = 0; i < len; i++) {
        if (pred[i] == data.label(chunk[i])) {
          correct++;
        }
      }
    }
    return (double) correct / indices.length;
  }

  /** Accuracy on every example of {@code data}. */
  public static double accuracy(Classifier model, Examples data) {
    return accuracy(model, data, 0, new SplittableRandom(0));
  }
}
