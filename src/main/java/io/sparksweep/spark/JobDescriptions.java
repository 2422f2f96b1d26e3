package io.sparksweep.spark;

import io.sparksweep.search.TrialSpec;
import java.util.List;

/**
 * The description of a search's Spark job, as the Spark UI shows it: the run and the trials it
 * runs, by {@code key/r<repeat>} (the first {@value #MAX_KEYS}, then how many more), so a job in
 * the UI can be matched to its rows in the tables.
 */
public final class JobDescriptions {
  /** At most this many trial keys are spelt out. */
  static final int MAX_KEYS = 40;

  private JobDescriptions() {}

  /**
   * {@code sparksweep run R: 3 trials: 1a2b…/r0, 3c4d…/r0, 5e6f…/r0}.
   *
   * @param runId the run
   * @param trials the trials the job runs, in partition order
   * @return one line
   */
  public static String of(String runId, List<TrialSpec> trials) {
    StringBuilder b =
        new StringBuilder("sparksweep run ")
            .append(runId)
            .append(": ")
            .append(trials.size())
            .append(trials.size() == 1 ? " trial: " : " trials: ");
    for (int i = 0; i < Math.min(MAX_KEYS, trials.size()); i++) {
      if (i > 0) {
        b.append(", ");
      }
      TrialSpec t = trials.get(i);
      b.append(t.key()).append("/r").append(t.repeat());
    }
    if (trials.size() > MAX_KEYS) {
      b.append(" … and ").append(trials.size() - MAX_KEYS).append(" more");
    }
    return b.toString();
  }
}
