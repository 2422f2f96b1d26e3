package io.sparksweep.report;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.GridAxis;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One trial of a run as the report sees it: one row of the {@code trials} table with its rows of
 * the {@code epochs} table (the learning curve).
 *
 * <p>Hyperparameters are text keyed by their column names ({@code learning_rate}, {@code
 * normalization}, …; see {@link GridAxis#id()}), as the tables hold them; a value that reads as a
 * decimal number ({@code 0.001}, {@code 1.0E-4}, {@code 100}) is treated as a number, so any
 * numeric axis that a run varies gets a chart. The map is kept in {@link GridAxis} order, then
 * other keys alphabetically.
 *
 * @param trialKey the trial's stable key ({@code trial_key})
 * @param trialIndex position in the grid's expansion order ({@code trial_index})
 * @param repeat repeat number, 0-based ({@code repeat})
 * @param seed the trial's seed ({@code seed})
 * @param hyperparameters column name to value text, such as {@code weight_scale → 0.001}
 * @param status OK, DIVERGED or FAILED
 * @param error error message or divergence description; null when OK
 * @param divergedEpoch 1-based epoch where the loss became non-finite; 0 when it did not
 * @param bestValAcc best validation accuracy seen at an epoch check; NaN if unknown
 * @param valAcc validation accuracy of the restored best parameters; NaN if unknown
 * @param testAcc test accuracy of the restored best parameters; NaN if unknown
 * @param finalTrainAcc training-subset accuracy at the last epoch check; NaN if unknown
 * @param epochsRun epochs completed
 * @param trainSeconds wall time of training and evaluation
 * @param executor where it ran; null if unknown
 * @param epochs the learning curve, sorted here by epoch (the tables need not keep an order)
 */
public record TrialRow(
    String trialKey,
    int trialIndex,
    int repeat,
    long seed,
    Map<String, String> hyperparameters,
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
    List<EpochRecord> epochs) {

  /** {@link GridAxis} order for known columns, then the others alphabetically. */
  static final Comparator<String> KEY_ORDER =
      Comparator.comparingInt(
              (String k) -> GridAxis.byId(k).map(Enum::ordinal).orElse(Integer.MAX_VALUE))
          .thenComparing(Comparator.naturalOrder());

  /** Validates, orders the hyperparameters and sorts the epochs; both become immutable. */
  public TrialRow {
    Objects.requireNonNull(trialKey, "trialKey");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(hyperparameters, "hyperparameters");
    Objects.requireNonNull(epochs, "epochs");
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, String> e : hyperparameters.entrySet()) {
      if (e.getKey() == null || e.getValue() == null) {
        throw new IllegalArgumentException(
            "hyperparameters of trial "
                + trialKey
                + " must not hold null keys or values, got "
                + e.getKey()
                + "="
                + e.getValue());
      }
      keys.add(e.getKey());
    }
    keys.sort(KEY_ORDER);
    Map<String, String> ordered = new LinkedHashMap<>();
    for (String k : keys) {
      ordered.put(k, hyperparameters.get(k));
    }
    hyperparameters = Collections.unmodifiableMap(ordered);
    List<EpochRecord> sorted = new ArrayList<>(epochs.size());
    for (EpochRecord r : epochs) {
      sorted.add(Objects.requireNonNull(r, "epochs must not hold null"));
    }
    sorted.sort(Comparator.comparingInt(EpochRecord::epoch));
    epochs = List.copyOf(sorted);
  }

  /**
   * The row of a trial result that has not been through the tables (tests, a local run).
   *
   * @param result a trial's result
   * @return its row, with {@link #hyperparametersOf(TrialSpec)} of its spec
   */
  public static TrialRow of(TrialResult result) {
    TrialSpec spec = result.spec();
    return new TrialRow(
        spec.key(),
        spec.index(),
        spec.repeat(),
        spec.seed(),
        hyperparametersOf(spec),
        result.status(),
        result.error(),
        result.divergedEpoch(),
        result.bestValAcc(),
        result.valAcc(),
        result.testAcc(),
        result.finalTrainAcc(),
        result.epochsRun(),
        result.trainSeconds(),
        result.executor(),
        result.epochs());
  }

  /**
   * A spec's hyperparameters as column name to text ({@link GridAxis#text}): the same text the
   * trial's key hashes ({@link TrialSpec#canonicalString()}).
   *
   * @param spec a trial spec
   * @return {@code model → fc}, {@code hidden_dims → [100,100]}, …, in {@link GridAxis} order
   */
  public static Map<String, String> hyperparametersOf(TrialSpec spec) {
    Map<String, String> m = new LinkedHashMap<>();
    for (GridAxis a : GridAxis.values()) {
      m.put(a.id(), a.text(a.get(spec)));
    }
    return Collections.unmodifiableMap(m);
  }

  /**
   * Best training accuracy: the largest training-subset accuracy over the epochs (the notebook's
   * {@code max(solver.train_acc_history)}), or {@link #finalTrainAcc} when there are no epochs.
   */
  public double bestTrainAcc() {
    double best = Double.NaN;
    for (EpochRecord e : epochs) {
      if (Double.isFinite(e.trainAcc()) && (Double.isNaN(best) || e.trainAcc() > best)) {
        best = e.trainAcc();
      }
    }
    return Double.isNaN(best) ? finalTrainAcc : best;
  }

  /**
   * Final training loss: the last epoch's mean loss (the notebook averages the last 100 iterations;
   * the tables keep one mean per epoch), or NaN when there are no epochs.
   */
  public double finalLoss() {
    return epochs.isEmpty() ? Double.NaN : epochs.get(epochs.size() - 1).loss();
  }
}
