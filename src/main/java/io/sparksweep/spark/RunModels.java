package io.sparksweep.spark;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * One run's model files in its {@link RunStore} ({@code <run>/models/<key>[-r<repeat>].npz}), as
 * the driver sees them: the executors write them ({@link ModelSink}); the driver checks that a
 * trial entering the top-k has its file, deletes the files of trials pushed out, and tells the
 * executors (through {@code models/_threshold}) which results cannot enter any more, so that they
 * skip writing those.
 */
final class RunModels {
  private static final Logger LOG = LogManager.getLogger(RunModels.class);

  private final RunStore store;
  private final String runId;

  RunModels(RunStore store, String runId) {
    this.store = store;
    this.runId = runId;
  }

  /** A trial's name in the store: {@code <key>}, or {@code <key>-r<repeat>} for repeats ≥ 1. */
  static String trial(TrialSpec spec) {
    return spec.key() + (spec.repeat() == 0 ? "" : "-r" + spec.repeat());
  }

  /** Whether the trial's model file exists. */
  boolean has(TrialResult r) {
    return store.hasModel(runId, trial(r.spec()));
  }

  /** The trials (by {@link #trial}) that have a model file now. */
  Set<String> present() {
    try {
      return new HashSet<>(store.modelTrials(runId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the models of run " + runId, e);
    }
  }

  /** The trial's model URI. */
  String uri(TrialResult r) {
    return store.modelUri(runId, trial(r.spec()));
  }

  /** Writes a model the driver received as bytes (a trial function not run through a sink). */
  boolean write(TrialResult r, byte[] npz) {
    try {
      store.writeModel(runId, trial(r.spec()), npz);
      return true;
    } catch (IOException e) {
      LOG.warn(
          "run {}: cannot save the model of trial {}: {}", runId, trial(r.spec()), e.toString());
      return false;
    }
  }

  /** Deletes a trial's model file (a warning if that fails). */
  void delete(TrialResult r) {
    try {
      store.deleteModel(runId, trial(r.spec()));
    } catch (IOException e) {
      LOG.warn("run {}: cannot delete {}: {}", runId, uri(r), e.toString());
    }
  }

  /**
   * Tells executors that a result ranking after {@code kth} (the k-th best recorded) cannot enter
   * the top-k, so they need not write its model; null: every OK model must be written.
   */
  void publishThreshold(TrialResult kth) {
    try {
      if (kth == null) {
        store.writeThreshold(runId, null);
      } else {
        store.writeThreshold(
            runId,
            new ModelSink.Threshold(kth.bestValAcc(), kth.spec().index(), kth.spec().repeat()));
      }
    } catch (IOException e) {
      LOG.debug("run {}: cannot publish the top-k threshold: {}", runId, e.toString());
    }
  }

  /** Deletes the model files (and temporary files) of trials not in {@code top}. */
  void deleteUnowned(Collection<TrialResult> top) {
    Set<String> owned = new HashSet<>();
    top.forEach(r -> owned.add(trial(r.spec())));
    try {
      for (String t : store.modelTrials(runId)) {
        if (!owned.contains(t)) {
          store.deleteModel(runId, t);
        }
      }
      store.deleteTemporary(runId);
    } catch (IOException e) {
      LOG.warn("run {}: cannot tidy the models folder: {}", runId, e.toString());
    }
  }
}
