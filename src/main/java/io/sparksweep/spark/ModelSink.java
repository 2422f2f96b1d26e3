package io.sparksweep.spark;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialStatus;
import java.io.IOException;
import java.io.Serializable;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Runs on the executor after a trial: writes its model to the run's store ({@link RunStore}, the
 * warehouse's file system) and drops the bytes from the result, so the driver receives metrics
 * only. A result that ranks after the run's published threshold (the k-th best recorded so far,
 * {@code models/_threshold}) cannot enter the top-k: its model is not written at all. The threshold
 * only rises, so a stale one costs a write, never a missing model.
 */
final class ModelSink implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LogManager.getLogger(ModelSink.class);

  /**
   * The k-th best recorded trial's rank ({@link SearchOutcome#BEST_FIRST}).
   *
   * @param bestValAcc its best validation accuracy
   * @param index its trial index
   * @param repeat its repeat
   */
  record Threshold(double bestValAcc, int index, int repeat) {
    /** Whether {@code r} ranks after this threshold, so it cannot enter the top-k. */
    boolean excludes(TrialResult r) {
      double a = Double.isNaN(r.bestValAcc()) ? Double.NEGATIVE_INFINITY : r.bestValAcc();
      double t = Double.isNaN(bestValAcc) ? Double.NEGATIVE_INFINITY : bestValAcc;
      if (a != t) {
        return a < t;
      }
      if (r.spec().index() != index) {
        return r.spec().index() > index;
      }
      return r.spec().repeat() > repeat;
    }
  }

  private final String runsUri;
  private final String runId;
  private final int topK;
  private final Broadcast<SerializableConfiguration> conf;

  ModelSink(String runsUri, String runId, int topK, Broadcast<SerializableConfiguration> conf) {
    this.runsUri = runsUri;
    this.runId = runId;
    this.topK = topK;
    this.conf = conf;
  }

  /**
   * Stores the result's model (if it may enter the top-k) and returns the result without bytes. If
   * the model cannot be written the trial still counts, without a model (it cannot enter the top-k:
   * the driver checks that the file exists).
   */
  TrialResult store(TrialResult result) {
    if (result.modelNpz() == null) {
      return result;
    }
    if (result.status() != TrialStatus.OK || topK == 0) {
      return result.withoutModel();
    }
    RunStore store = RunStore.open(conf.value().value(), runsUri);
    String trial = RunModels.trial(result.spec());
    try {
      Threshold t = store.readThreshold(runId);
      if (t != null && t.excludes(result)) {
        return result.withoutModel();
      }
      ChaosPoints.reach("model-write " + trial);
      store.writeModel(runId, trial, result.modelNpz());
    } catch (IOException | RuntimeException e) {
      LOG.warn("run {}: cannot save the model of trial {}: {}", runId, trial, e.toString());
    }
    return result.withoutModel();
  }
}
