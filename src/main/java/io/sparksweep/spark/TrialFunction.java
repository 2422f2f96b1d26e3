package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import java.io.Serializable;

/**
 * What one Spark task does with one trial: train it on the broadcast data and report. Shipped to
 * the executors inside the task closure, so it must be serializable (a lambda or method reference
 * whose target type is this interface is).
 *
 * <p>The real implementation is {@code search.TrialRunner}, for example: {@code (spec, data) ->
 * TrialRunner.run(spec, data, "task", SolverListener.silent())}. The search job never trusts it not
 * to throw: anything it throws becomes a {@link io.sparksweep.search.TrialStatus#FAILED FAILED}
 * result.
 */
@FunctionalInterface
public interface TrialFunction extends Serializable {
  /**
   * Runs one trial.
   *
   * @param spec the trial's hyperparameters, key and seed
   * @param data CIFAR-10 bytes (the executor's copy of the broadcast; do not modify)
   * @return the trial's result; its {@code executor} field is overwritten by the job
   */
  TrialResult run(TrialSpec spec, Cifar10Data data);
}
