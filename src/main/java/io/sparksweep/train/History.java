package io.sparksweep.train;

import java.util.List;

/**
 * What a {@link Solver} run produced, immutable: the notebooks' {@code loss_history}, {@code
 * train_acc_history}, {@code val_acc_history}, {@code best_val_acc}.
 *
 * @param lossHistory minibatch loss of every iteration run
 * @param trainAccHistory training-subset accuracy at each check (index 0 = before training)
 * @param valAccHistory validation accuracy at each check
 * @param epochLoss mean minibatch loss of each completed epoch (index 0 = epoch 1)
 * @param bestValAcc best validation accuracy; its parameters were restored into the model
 * @param bestEpoch the check (epoch) that reached it
 * @param epochsRun completed epochs
 * @param divergedAt 1-based iteration where the loss became NaN/infinite; 0 if it did not
 * @param divergedEpoch 1-based epoch of that iteration; 0 if none
 */
public record History(
    List<Double> lossHistory,
    List<Double> trainAccHistory,
    List<Double> valAccHistory,
    List<Double> epochLoss,
    double bestValAcc,
    int bestEpoch,
    int epochsRun,
    int divergedAt,
    int divergedEpoch) {

  /** Defensive copies. */
  public History {
    lossHistory = List.copyOf(lossHistory);
    trainAccHistory = List.copyOf(trainAccHistory);
    valAccHistory = List.copyOf(valAccHistory);
    epochLoss = List.copyOf(epochLoss);
  }

  /**
   * Index into {@link #trainAccHistory()} / {@link #valAccHistory()} of the check that ended {@code
   * epoch} (1-based). The check before training has index 0 unless an epoch is a single iteration,
   * in which case that first check is also epoch 1's.
   */
  public int checkIndex(int epoch) {
    if (epoch < 1 || epoch > epochsRun) {
      throw new IllegalArgumentException("epoch " + epoch + " not in 1.." + epochsRun);
    }
    // Checks before divergence: one per completed epoch, plus the first if it was separate.
    int separateFirst = trainAccHistory.size() - epochsRun;
    return epoch - 1 + separateFirst;
  }

  /** Whether training stopped on a non-finite loss. */
  public boolean diverged() {
    return divergedAt > 0;
  }
}
