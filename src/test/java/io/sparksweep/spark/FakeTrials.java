package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Test double for {@code search.TrialRunner}: no training, a deterministic fake result computed
 * from the spec (and, to prove the broadcast arrives intact, from the data). It tests the Spark
 * plumbing, not learning.
 *
 * <ul>
 *   <li>{@code numFilters == }{@value #EXPLODE_FILTERS} (see {@code TestTrials.exploding}): throws
 *       (the job must turn it into a FAILED row);
 *   <li>learning rate &gt; 1: DIVERGED at epoch 2 (loss NaN);
 *   <li>otherwise OK with {@link #valAcc} as accuracy and {@link #modelBytes} as the model.
 * </ul>
 */
public final class FakeTrials implements TrialFunction {
  private static final long serialVersionUID = 1L;

  /** A {@code numFilters} that makes the trial throw (no grid produces it). */
  public static final int EXPLODE_FILTERS = -13;

  private final long sleepMillis;

  /**
   * @param sleepMillis how long each trial pretends to train
   */
  public FakeTrials(long sleepMillis) {
    this.sleepMillis = sleepMillis;
  }

  /** The fake validation accuracy of an OK trial: peaks at learning rate 1e-3, minus reg. */
  public static double valAcc(TrialSpec spec) {
    return 0.1 + 0.8 / (1 + Math.abs(Math.log10(spec.learningRate()) + 3)) - spec.reg();
  }

  /** The fake test accuracy: the fraction of test labels equal to 3 (depends only on the data). */
  public static double testAcc(Cifar10Data data) {
    int n = 0;
    for (byte y : data.testLabels()) {
      n += y == 3 ? 1 : 0;
    }
    return (double) n / data.numTest();
  }

  /** The fake model archive of a trial. */
  public static byte[] modelBytes(TrialSpec spec) {
    return ("npz:" + spec.key() + "/" + spec.repeat()).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public TrialResult run(TrialSpec spec, Cifar10Data data) {
    long start = System.currentTimeMillis();
    if (sleepMillis > 0) {
      try {
        Thread.sleep(sleepMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
    }
    if (spec.numFilters() == EXPLODE_FILTERS) {
      throw new IllegalStateException("boom in trial " + spec.key());
    }
    double acc = valAcc(spec);
    boolean diverges = spec.learningRate() > 1;
    List<EpochRecord> epochs = new ArrayList<>();
    for (int e = 1; e <= spec.numEpochs(); e++) {
      if (diverges && e == 2) {
        epochs.add(new EpochRecord(e, Double.NaN, 0.1, 0.1));
        break;
      }
      epochs.add(
          new EpochRecord(
              e, 2.3 / e, acc * e / spec.numEpochs() + 0.05, acc * e / spec.numEpochs()));
    }
    long end = System.currentTimeMillis();
    return new TrialResult(
        spec,
        diverges ? TrialStatus.DIVERGED : TrialStatus.OK,
        diverges ? "loss is NaN at epoch 2" : null,
        diverges ? 2 : 0,
        diverges ? 0.1 : acc,
        diverges ? 0.1 : acc,
        testAcc(data),
        diverges ? 0.1 : acc + 0.05,
        epochs.size(),
        (end - start) / 1000.0,
        "set-by-the-job",
        start,
        end,
        epochs,
        diverges ? null : modelBytes(spec));
  }
}
