package io.sparksweep.search;

import java.io.Serializable;
import java.util.List;

/**
 * What one trial produced. Never an exception: divergence and errors are statuses.
 *
 * @param spec the trial's full specification (provenance)
 * @param status OK, DIVERGED or FAILED
 * @param error error message (FAILED) or divergence description (DIVERGED); null when OK
 * @param divergedEpoch 1-based epoch where the loss became non-finite; 0 when it did not
 * @param bestValAcc best validation accuracy seen at an epoch check
 * @param valAcc validation accuracy of the restored best parameters
 * @param testAcc test accuracy of the restored best parameters
 * @param finalTrainAcc training-subset accuracy at the last epoch check
 * @param epochsRun epochs completed
 * @param trainSeconds wall time of training and evaluation
 * @param executor where it ran (host and executor id)
 * @param startedAtMillis epoch millis when the trial started
 * @param finishedAtMillis epoch millis when the trial finished
 * @param epochs per-epoch learning curve
 * @param modelNpz the best parameters as a portable .npz archive; null if none
 */
// modelNpz is bytes on their way from an executor to a file; results are never compared with
// equals (tests compare fields), so the array's reference equality in equals() does not matter.
@SuppressWarnings("ArrayRecordComponent")
public record TrialResult(
    TrialSpec spec,
    TrialStatus status,
    String error,
    int divergedEpoch,
    double bestValAcc,
    double valAcc,
    double testAcc,
    double finalTrainAcc,
    int epochsRun,
    double trainSeconds,
    String executor,
    long startedAtMillis,
    long finishedAtMillis,
    List<EpochRecord> epochs,
    byte[] modelNpz)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Defensive copy of the epochs. */
  public TrialResult {
    epochs = List.copyOf(epochs);
  }

  /**
   * A FAILED result for a trial that produced none: no accuracies (NaN, stored as NULL), no epochs,
   * no model.
   *
   * @param error what went wrong, one line (stored in the {@code error} column)
   * @param seconds time spent before the failure
   */
  public static TrialResult failed(
      TrialSpec spec,
      String error,
      String executor,
      long startedMillis,
      long finishedMillis,
      double seconds) {
    return new TrialResult(
        spec,
        TrialStatus.FAILED,
        error,
        0,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        Double.NaN,
        0,
        seconds,
        executor,
        startedMillis,
        finishedMillis,
        List.of(),
        null);
  }

  /** This result, recorded as run on {@code newExecutor}. */
  public TrialResult withExecutor(String newExecutor) {
    return copy(newExecutor, modelNpz);
  }

  /** This result without its model bytes (itself when it has none). */
  public TrialResult withoutModel() {
    return modelNpz == null ? this : copy(executor, null);
  }

  private TrialResult copy(String newExecutor, byte[] newModel) {
    return new TrialResult(
        spec,
        status,
        error,
        divergedEpoch,
        bestValAcc,
        valAcc,
        testAcc,
        finalTrainAcc,
        epochsRun,
        trainSeconds,
        newExecutor,
        startedAtMillis,
        finishedAtMillis,
        epochs,
        newModel);
  }
}
