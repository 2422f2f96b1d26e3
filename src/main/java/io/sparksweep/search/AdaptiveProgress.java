package io.sparksweep.search;

import java.util.List;
import java.util.Locale;

/**
 * A snapshot of an adaptive search: rung occupancy, busy slots, the best trial so far, and the
 * epochs spent against a full-budget search of the same configurations.
 *
 * @param rungs every rung of every bracket, brackets in order, lowest rung first
 * @param busySlots segments submitted and not yet finished
 * @param slots the most segments in flight
 * @param bestValAcc best validation accuracy reported so far (NaN before any)
 * @param bestTrial index of that trial (−1 before any)
 * @param epochsSpent epochs trained by the finished segments
 * @param epochsInFlight epochs of the segments in flight (trained or being trained)
 * @param fullBudgetEpochs every configuration trained to {@code max_resource}
 * @param segmentsFinished segments whose results were recorded
 * @param trialsStopped trials stopped early
 * @param trialsCompleted trials that trained their full budget
 * @param finished whether the search is over
 */
public record AdaptiveProgress(
    List<RungCount> rungs,
    int busySlots,
    int slots,
    double bestValAcc,
    int bestTrial,
    long epochsSpent,
    long epochsInFlight,
    long fullBudgetEpochs,
    long segmentsFinished,
    int trialsStopped,
    int trialsCompleted,
    boolean finished) {

  /**
   * One rung's occupancy.
   *
   * @param bracket the bracket
   * @param rung the rung
   * @param epochs the epochs a trial has trained when it finishes the rung
   * @param finished trials that finished it
   * @param running trials training towards it now
   * @param size trials that will reach it ({@code n_i}); −1 when not fixed in advance (asha above
   *     rung 0)
   */
  public record RungCount(int bracket, int rung, int epochs, int finished, int running, int size) {}

  /** Copies the rungs. */
  public AdaptiveProgress {
    rungs = List.copyOf(rungs);
  }

  /** The share of the full-budget epochs spent so far, in [0, 1]. */
  public double budgetFraction() {
    return fullBudgetEpochs == 0 ? 0 : (double) epochsSpent / fullBudgetEpochs;
  }

  /**
   * {@code rung 0 27/27 · rung 1 6/9 · rung 2 0/3} (finished/size; asha's upper rungs show the
   * finished count only), brackets separated by {@code |}.
   */
  public String occupancy() {
    boolean several = !rungs.isEmpty() && rungs.get(rungs.size() - 1).bracket() > 0;
    StringBuilder out = new StringBuilder();
    int bracket = -1;
    for (RungCount r : rungs) {
      if (r.bracket() != bracket) {
        if (bracket >= 0) {
          out.append(" | ");
        }
        if (several) {
          out.append("bracket ").append(r.bracket()).append(": ");
        }
        bracket = r.bracket();
      } else {
        out.append(" · ");
      }
      out.append("rung ").append(r.rung()).append(' ').append(r.finished());
      if (r.size() >= 0) {
        out.append('/').append(r.size());
      }
    }
    return out.toString();
  }

  /**
   * The console line: {@code rung 0 27/27 · rung 1 6/9 · rung 2 0/3, busy 4/4, best 0.5120 (trial
   * 7), epochs 57 of 729 at full budget (7.8%)}.
   */
  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "%s, busy %d/%d, best %s, epochs %d of %d at full budget (%.1f%%)%s",
        occupancy(),
        busySlots,
        slots,
        bestTrial < 0
            ? "none yet"
            : String.format(Locale.ROOT, "%.4f (trial %d)", bestValAcc, bestTrial),
        epochsSpent,
        fullBudgetEpochs,
        100 * budgetFraction(),
        finished ? ", finished" : "");
  }
}
