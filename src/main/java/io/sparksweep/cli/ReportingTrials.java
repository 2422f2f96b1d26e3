package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.spark.EpochProgress;
import io.sparksweep.spark.TrialFunction;
import io.sparksweep.train.SolverListener;
import org.apache.spark.util.CollectionAccumulator;

/**
 * The production trial: {@link TrialRunner#run} with a listener that adds each finished epoch to
 * {@link EpochProgress}'s accumulator, so the driver's progress line shows how far running trials
 * have got.
 *
 * @param epochs the accumulator, or null before the session exists (then nothing is reported)
 */
record ReportingTrials(CollectionAccumulator<String> epochs) implements TrialFunction {
  private static final long serialVersionUID = 1L;

  @Override
  public TrialResult run(TrialSpec spec, Cifar10Data data) {
    CollectionAccumulator<String> acc = epochs;
    SolverListener listener =
        acc == null
            ? SolverListener.silent()
            : new SolverListener() {
              @Override
              public void epoch(int epoch, int numEpochs, double trainAcc, double valAcc) {
                if (epoch > 0) {
                  acc.add(EpochProgress.entry(spec.key(), spec.repeat(), epoch, numEpochs));
                }
              }
            };
    return TrialRunner.run(spec, data, "task", listener);
  }
}
