package io.sparksweep.spark;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a search produced.
 *
 * @param runId the run's id ({@code run_id} in the tables)
 * @param runDir the run's folder: {@code models/} and {@code staging/}
 * @param results every trial's result in trial order (index, then repeat), without model bytes
 * @param modelPaths saved model files by position in {@code results}: the top-k OK trials
 * @param elapsed wall time of the whole search
 * @param jobError null if Spark ran every trial; otherwise why the job failed (the trials it did
 *     not finish are FAILED results with this error)
 */
public record SearchOutcome(
    String runId,
    Path runDir,
    List<TrialResult> results,
    Map<Integer, Path> modelPaths,
    Duration elapsed,
    String jobError) {

  /** Copies the collections. */
  public SearchOutcome {
    results = List.copyOf(results);
    modelPaths = Map.copyOf(modelPaths);
  }

  /**
   * Ranking order: best validation accuracy first (NaN last), then trial index, then repeat.
   * Deterministic, so the same results always give the same ranking.
   */
  public static final Comparator<TrialResult> BEST_FIRST =
      Comparator.comparingDouble((TrialResult r) -> rankValue(r.bestValAcc()))
          .reversed()
          .thenComparingInt(r -> r.spec().index())
          .thenComparingInt(r -> r.spec().repeat());

  private static double rankValue(double acc) {
    return Double.isNaN(acc) ? Double.NEGATIVE_INFINITY : acc;
  }

  /** The OK trials, best first ({@link #BEST_FIRST}). */
  public List<TrialResult> ranking() {
    return results.stream().filter(r -> r.status() == TrialStatus.OK).sorted(BEST_FIRST).toList();
  }

  /** Number of trials with the given status. */
  public long count(TrialStatus status) {
    return results.stream().filter(r -> r.status() == status).count();
  }

  /** The saved model of an element of {@link #results} (the same object), or null. */
  @SuppressWarnings("ReferenceEquality") // identity: two trials may hold equal values
  public Path modelPath(TrialResult result) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) == result) {
        return modelPaths.get(i);
      }
    }
    return null;
  }
}
