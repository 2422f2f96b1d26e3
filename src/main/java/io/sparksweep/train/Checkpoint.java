package io.sparksweep.train;

import io.sparksweep.model.Params;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.optim.UpdateState;
import io.sparksweep.tensor.SplitMix64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a {@link Solver} needs to continue a training exactly where it stopped, at the end of
 * an epoch: {@link Solver#runUntil(Checkpoint, int)} from a checkpoint taken at epoch k gives the
 * same histories and parameters, bit for bit, as training straight through. A value: the
 * constructor keeps deep copies, so the live model and optimizer can move on. {@link
 * CheckpointFile} stores it as a numpy-readable {@code .npz}.
 *
 * @param updateRule the rule the optimizer state belongs to
 * @param itersPerEpoch iterations per epoch of the training that wrote it ({@code max(N / batch,
 *     1)}); a Solver with another one refuses the checkpoint
 * @param epoch completed epochs
 * @param iteration iterations run ({@code epoch · itersPerEpoch}, or the diverged iteration)
 * @param learningRate the current learning rate, after {@code epoch} decays (the schedule's
 *     position)
 * @param params the model's current parameters ({@code W1, b1, …})
 * @param state the model's current non-learnable state (batchnorm running statistics)
 * @param optimizerState each parameter's update-rule state (empty before the first step)
 * @param batchRandom the minibatch sampler's generator
 * @param checkRandom the accuracy-subsampling generator
 * @param modelRandom the model's own generator (dropout masks), if it has one
 * @param bestParams parameters of the best validation accuracy so far
 * @param bestState the running statistics that went with them
 * @param bestValAcc best validation accuracy so far; −1 before the first check
 * @param bestEpoch the epoch of that check
 * @param lossHistory minibatch loss of every iteration so far
 * @param trainAccHistory training-subset accuracy of every check so far
 * @param valAccHistory validation accuracy of every check so far
 * @param epochLoss mean minibatch loss of every completed epoch
 * @param divergedAt 1-based iteration of a non-finite loss; 0 if none (a diverged checkpoint does
 *     not continue)
 */
public record Checkpoint(
    UpdateRule updateRule,
    int itersPerEpoch,
    int epoch,
    int iteration,
    double learningRate,
    Params params,
    Params state,
    Map<String, UpdateState> optimizerState,
    SplitMix64.State batchRandom,
    SplitMix64.State checkRandom,
    Optional<SplitMix64.State> modelRandom,
    Params bestParams,
    Params bestState,
    double bestValAcc,
    int bestEpoch,
    List<Double> lossHistory,
    List<Double> trainAccHistory,
    List<Double> valAccHistory,
    List<Double> epochLoss,
    int divergedAt) {

  /** Validates the counters and keeps deep copies of every tensor and list. */
  public Checkpoint {
    if (updateRule == null || batchRandom == null || checkRandom == null || modelRandom == null) {
      throw new IllegalArgumentException(
          "checkpoint: updateRule, batchRandom, checkRandom, modelRandom must not be null");
    }
    if (itersPerEpoch < 1 || epoch < 0 || iteration < 0 || divergedAt < 0) {
      throw new IllegalArgumentException(
          "checkpoint: itersPerEpoch must be ≥ 1 and epoch, iteration, divergedAt ≥ 0, got "
              + itersPerEpoch
              + ", "
              + epoch
              + ", "
              + iteration
              + ", "
              + divergedAt);
    }
    if (divergedAt == 0 && iteration != (long) epoch * itersPerEpoch) {
      throw new IllegalArgumentException(
          "checkpoint: iteration "
              + iteration
              + " is not at the end of epoch "
              + epoch
              + " ("
              + itersPerEpoch
              + " iterations per epoch)");
    }
    if (lossHistory.size() != iteration) {
      throw new IllegalArgumentException(
          "checkpoint: "
              + lossHistory.size()
              + " losses recorded for "
              + iteration
              + " iterations");
    }
    if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
      throw new IllegalArgumentException(
          "checkpoint: learningRate must be finite and > 0, got " + learningRate);
    }
    params = params.deepCopy();
    state = state.deepCopy();
    bestParams = bestParams.deepCopy();
    bestState = bestState.deepCopy();
    Map<String, UpdateState> opt = new LinkedHashMap<>();
    for (Map.Entry<String, UpdateState> e : optimizerState.entrySet()) {
      if (e.getValue().rule() != updateRule) {
        throw new IllegalArgumentException(
            "checkpoint: optimizer state of "
                + e.getKey()
                + " is for "
                + e.getValue().rule().id()
                + ", the checkpoint's rule is "
                + updateRule.id());
      }
      opt.put(e.getKey(), e.getValue().copy());
    }
    optimizerState = Collections.unmodifiableMap(opt);
    lossHistory = List.copyOf(lossHistory);
    trainAccHistory = List.copyOf(trainAccHistory);
    valAccHistory = List.copyOf(valAccHistory);
    epochLoss = List.copyOf(epochLoss);
  }

  /** Whether the training stopped on a non-finite loss (it does not continue). */
  public boolean diverged() {
    return divergedAt > 0;
  }

  /** The history so far, as {@link Solver#train()} would report it had training ended here. */
  public History history() {
    return new History(
        lossHistory,
        trainAccHistory,
        valAccHistory,
        epochLoss,
        Math.max(bestValAcc, 0),
        bestEpoch,
        epoch,
        divergedAt,
        Solver.divergedEpoch(divergedAt, itersPerEpoch));
  }
}
