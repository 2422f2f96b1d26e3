package io.sparksweep.search.schedule;

import java.util.List;

/**
 * One successive-halving bracket: its trials {@code firstTrial … firstTrial + configurations − 1}
 * start at rung 0 and the best 1/η of each rung continue to the next.
 *
 * @param index 0 = the first (most aggressive) bracket
 * @param s Li et al.'s bracket parameter: the number of halvings ({@code rungs().size() − 1})
 * @param firstTrial the index of its first configuration
 * @param configurations how many configurations it starts ({@code n} of Hyperband)
 * @param rungs its rungs, lowest first; the last trains {@code max_resource} epochs
 */
public record Bracket(int index, int s, int firstTrial, int configurations, List<Rung> rungs) {
  /** Keeps an unmodifiable copy of the rungs. */
  public Bracket {
    rungs = List.copyOf(rungs);
  }

  /** The top rung. */
  public Rung top() {
    return rungs.get(rungs.size() - 1);
  }

  /** Whether {@code trial} belongs to this bracket. */
  public boolean contains(int trial) {
    return trial >= firstTrial && trial < firstTrial + configurations;
  }

  /** Epochs the bracket trains in total when every rung is full (promotion form: no repeats). */
  public long plannedEpochs() {
    long total = 0;
    int previous = 0;
    for (Rung r : rungs) {
      total += (long) r.size() * (r.epochs() - previous);
      previous = r.epochs();
    }
    return total;
  }
}
