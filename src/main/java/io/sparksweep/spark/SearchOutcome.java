package io.sparksweep.spark;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * What a search produced.
 *
 * @param runId the run's id ({@code run_id} in the tables)
 * @param runDir the run's folder as a URI ({@link RunStore}): {@code run.json}, {@code models/}
 * @param results the result of every trial that has one, in trial order (index, then repeat),
 *     without model bytes: exactly the run's rows in the {@code trials} table, including those
 *     recorded by an earlier attempt of a resumed run
 * @param modelPaths saved model files (URIs) by position in {@code results}: the top-k OK trials
 *     (empty while trials are missing: the top-k is only known when every trial has run)
 * @param elapsed wall time of this attempt
 * @param jobError null if Spark ran every trial it was given; otherwise why the job failed
 * @param resumed how many of {@code results} were already recorded when this attempt started (0 for
 *     a fresh run)
 * @param notRun trials without a result because the job failed; they have no rows, and {@code
 *     sparksweep search --resume <runId>} runs them
 */
public record SearchOutcome(
    String runId,
    String runDir,
    List<TrialResult> results,
    Map<Integer, String> modelPaths,
    Duration elapsed,
    String jobError,
    int resumed,
    List<TrialSpec> notRun) {

  /** Copies the collections. */
  public SearchOutcome {
    results = List.copyOf(results);
    modelPaths = Map.copyOf(modelPaths);
    notRun = List.copyOf(notRun);
  }

  /** Whether every trial of the run has a result. */
  public boolean complete() {
    return notRun.isEmpty();
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
  public String modelPath(TrialResult result) {
    for (int i = 0; i < results.size(); i++) {
      if (results.get(i) == result) {
        return modelPaths.get(i);
      }
    }
    return null;
  }
}
