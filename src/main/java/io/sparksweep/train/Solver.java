package io.sparksweep.train;

import io.sparksweep.data.Examples;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.Params;
import io.sparksweep.optim.Optimizer;
import io.sparksweep.tensor.SplitMix64;
import io.sparksweep.tensor.Tensor;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.random.RandomGenerator;

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
 *
 * <p>Training can stop at the end of any epoch and continue later, in another JVM: {@link #start},
 * {@link #runUntil(Checkpoint, int)} and {@link #finish} run the same loop as {@link #train()} in
 * segments, through {@link Checkpoint}s, with bit-identical results.
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
    Run run = new Run();
    run.advance(config.numEpochs());
    model.params().copyFrom(run.bestParams);
    model.state().copyFrom(run.bestState);
    return run.history();
  }

  /**
   * The checkpoint of a training that has not started: epoch 0, the model's current parameters,
   * generators freshly seeded from {@link SolverConfig#seed()}. {@code runUntil(start(), k)} trains
   * exactly as {@link #train()} does for its first k epochs.
   */
  public Checkpoint start() {
    return new Run().checkpoint();
  }

  /**
   * Continues the training of {@code from} up to the end of epoch {@code untilEpoch} and returns
   * its checkpoint there. The model is loaded from the checkpoint first (parameters, running
   * statistics, dropout generator) and holds the <em>current</em> parameters afterwards, not the
   * best ones ({@link #finish} restores those). A diverged checkpoint is returned unchanged.
   *
   * @param from a checkpoint of this model and configuration (same update rule, iterations per
   *     epoch, parameter names and shapes)
   * @param untilEpoch the epoch to stop after, {@code from.epoch() ≤ untilEpoch ≤
   *     config.numEpochs()}
   * @throws IllegalArgumentException naming what does not match
   */
  public Checkpoint runUntil(Checkpoint from, int untilEpoch) {
    if (untilEpoch < from.epoch() || untilEpoch > config.numEpochs()) {
      throw new IllegalArgumentException(
          "runUntil: untilEpoch must be in ["
              + from.epoch()
              + ", "
              + config.numEpochs()
              + "] (the checkpoint's epoch to numEpochs), got "
              + untilEpoch);
    }
    Run run = new Run(from);
    run.advance(untilEpoch);
    return run.checkpoint();
  }

  /**
   * Ends a training at {@code last}: restores its best parameters and running statistics into the
   * model and returns its history, as {@link #train()} does.
   */
  public History finish(Checkpoint last) {
    model.params().copyFrom(last.bestParams());
    model.state().copyFrom(last.bestState());
    return last.history();
  }

  /** The 1-based epoch of 1-based iteration {@code divergedAt}; 0 if it is 0. */
  static int divergedEpoch(int divergedAt, int itersPerEpoch) {
    return divergedAt == 0 ? 0 : (divergedAt - 1) / itersPerEpoch + 1;
  }

  private int itersPerEpoch() {
    return Math.max(train.size() / config.batchSize(), 1);
  }

  /** One training's mutable state: what a {@link Checkpoint} freezes. */
  private final class Run {
    final SplitMix64 batchRng;
    final SplitMix64 checkRng;
    final Optimizer optimizer;
    final int itersPerEpoch = itersPerEpoch();
    final List<Double> lossHistory = new ArrayList<>();
    final List<Double> trainAcc = new ArrayList<>();
    final List<Double> valAcc = new ArrayList<>();
    final List<Double> epochLoss = new ArrayList<>();
    double bestValAcc = -1;
    int bestEpoch;
    Params bestParams;
    Params bestState;
    final Checker checker = new Checker();
    int epoch;
    int divergedAt;

    /** A fresh training of the model as it is. */
    Run() {
      // SplitMix64 draws as SplittableRandom does: the streams of earlier versions are kept.
      SplitMix64 rng = new SplitMix64(config.seed());
      batchRng = rng.split();
      checkRng = rng.split();
      optimizer = new Optimizer(config.updateRule(), config.optimConfig());
      bestParams = model.params().deepCopy();
      bestState = model.state().deepCopy();
    }

    /** The training of {@code c}, loaded into the model. */
    Run(Checkpoint c) {
      if (c.updateRule() != config.updateRule()) {
        throw new IllegalArgumentException(
            "checkpoint is for update rule "
                + c.updateRule().id()
                + ", this Solver runs "
                + config.updateRule().id());
      }
      if (c.itersPerEpoch() != itersPerEpoch) {
        throw new IllegalArgumentException(
            "checkpoint has "
                + c.itersPerEpoch()
                + " iterations per epoch, this Solver "
                + itersPerEpoch
                + " (another training set size or batch size)");
      }
      model.params().copyFrom(c.params());
      model.state().copyFrom(c.state());
      if (c.modelRandom().isPresent()) {
        model.restoreRandomState(c.modelRandom().get());
      }
      batchRng = SplitMix64.of(c.batchRandom());
      checkRng = SplitMix64.of(c.checkRandom());
      optimizer =
          new Optimizer(
              config.updateRule(), config.optimConfig().withLearningRate(c.learningRate()));
      c.optimizerState().forEach(optimizer::setState);
      lossHistory.addAll(c.lossHistory());
      trainAcc.addAll(c.trainAccHistory());
      valAcc.addAll(c.valAccHistory());
      epochLoss.addAll(c.epochLoss());
      bestValAcc = c.bestValAcc();
      bestEpoch = c.bestEpoch();
      bestParams = c.bestParams().deepCopy();
      bestState = c.bestState().deepCopy();
      epoch = c.epoch();
      divergedAt = c.divergedAt();
    }

    /** Trains until the end of epoch {@code untilEpoch} or a non-finite loss. */
    void advance(int untilEpoch) {
      if (divergedAt > 0) {
        return;
      }
      int numIterations = config.numEpochs() * itersPerEpoch;
      int stop = untilEpoch * itersPerEpoch;
      double epochLossSum = 0;
      TrainingStep step = new TrainingStep(model, train, config.batchSize(), optimizer);

      for (int t = epoch * itersPerEpoch; t < stop; t++) {
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
          double tr = checker.accuracy(model, train, config.numTrainSamples(), checkRng);
          double va = checker.accuracy(model, val, config.numValSamples(), checkRng);
          trainAcc.add(tr);
          valAcc.add(va);
          listener.epoch(epoch, config.numEpochs(), tr, va);
          if (va > bestValAcc) {
            bestValAcc = va;
            bestEpoch = epoch;
            // In place: this run owns its copies (a checkpoint takes them when the run ends).
            bestParams.copyFrom(model.params());
            bestState.copyFrom(model.state());
          }
        }
      }
    }

    History history() {
      return new History(
          lossHistory,
          trainAcc,
          valAcc,
          epochLoss,
          Math.max(bestValAcc, 0),
          bestEpoch,
          epoch,
          divergedAt,
          divergedEpoch(divergedAt, itersPerEpoch));
    }

    Checkpoint checkpoint() {
      return new Checkpoint(
          config.updateRule(),
          itersPerEpoch,
          epoch,
          divergedAt > 0 ? divergedAt : epoch * itersPerEpoch,
          optimizer.config().learningRate(),
          model.params(),
          model.state(),
          optimizer.state(),
          batchRng.state(),
          checkRng.state(),
          model.randomState(),
          bestParams,
          bestState,
          bestValAcc,
          bestEpoch,
          lossHistory,
          trainAcc,
          valAcc,
          epochLoss,
          divergedAt);
    }
  }

  /**
   * The notebooks' {@code check_accuracy}: the fraction of {@code numSamples} examples (sampled
   * with replacement; 0 or ≥ size = all, in order) whose test-mode argmax score equals the label.
   */
  public static double accuracy(
      Classifier model, Examples data, int numSamples, RandomGenerator rng) {
    return new Checker().accuracy(model, data, numSamples, rng);
  }

  /**
   * The accuracy checks of one training: each data set's minibatch buffer is kept from one check to
   * the next and scored with {@link Classifier#evalScores}, so an epoch's checks allocate no
   * images' worth of arrays (a fresh 1.2 MB float32 batch of 100 is a humongous object for G1, and
   * each started a concurrent mark in executors whose heap holds the broadcast data).
   */
  private static final class Checker {
    private final IdentityHashMap<Examples, Tensor> batches = new IdentityHashMap<>();
    private int[] chunk = new int[0];

    double accuracy(Classifier model, Examples data, int numSamples, RandomGenerator rng) {
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
        if (chunk.length != len) {
          chunk = new int[len];
        }
        System.arraycopy(indices, start, chunk, 0, len);
        Tensor batch = batches.get(data);
        if (batch == null || batch.dim(0) != len || batch.dtype() != model.dtype()) {
          batch = data.batch(chunk, model.dtype());
          batches.put(data, batch);
        } else {
          data.batchInto(chunk, batch);
        }
        int[] pred = model.evalScores(batch).argmaxColumns();
        for (int i = 0; i < len; i++) {
          if (pred[i] == data.label(chunk[i])) {
            correct++;
          }
        }
      }
      return (double) correct / indices.length;
    }
  }

  /** Accuracy on every example of {@code data}. */
  public static double accuracy(Classifier model, Examples data) {
    return accuracy(model, data, 0, new SplitMix64(0));
  }
}
