package io.sparksweep.search;

import java.io.Serializable;

/**
 * One epoch of a trial's learning curve.
 *
 * @param epoch 1-based epoch number
 * @param loss mean training loss over the epoch's iterations
 * @param trainAcc accuracy on the Solver's 1000-sample training subset
 * @param valAcc accuracy on the validation set
 */
public record EpochRecord(int epoch, double loss, double trainAcc, double valAcc)
    implements Serializable {
  private static final long serialVersionUID = 1L;
}
