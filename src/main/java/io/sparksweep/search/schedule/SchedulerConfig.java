package io.sparksweep.search.schedule;

/**
 * The search file's {@code scheduler: {type, resource: epochs, min_resource, max_resource,
 * reduction_factor, brackets}}, typed. The resource is always epochs.
 *
 * @param type which scheduler
 * @param minResource epochs of the lowest rung ({@code r}, ≥ 1)
 * @param maxResource epochs of the top rung ({@code R}, ≥ {@code minResource}); every trial that is
 *     never stopped trains exactly this long
 * @param reductionFactor {@code η} (≥ 2): each rung keeps the best 1/η of the one below and trains
 *     η times longer
 * @param brackets Hyperband brackets, 1 ≤ brackets ≤ {@link #maxBrackets()} (the most aggressive
 *     first); 1 for the other schedulers
 */
public record SchedulerConfig(
    SchedulerType type, int minResource, int maxResource, int reductionFactor, int brackets) {

  /** The default {@code η}. */
  public static final int DEFAULT_REDUCTION_FACTOR = 3;

  /** Validates every field, naming it, its value and what is allowed. */
  public SchedulerConfig {
    if (type == null) {
      throw new IllegalArgumentException("scheduler: type must not be null");
    }
    if (minResource < 1) {
      throw new IllegalArgumentException(
          "scheduler: min_resource must be an integer ≥ 1 (epochs), got " + minResource);
    }
    if (maxResource < minResource) {
      throw new IllegalArgumentException(
          "scheduler: max_resource must be ≥ min_resource ("
              + minResource
              + "), got "
              + maxResource);
    }
    if (reductionFactor < 2) {
      throw new IllegalArgumentException(
          "scheduler: reduction_factor must be an integer ≥ 2, got " + reductionFactor);
    }
    int most = maxRungIndex(minResource, maxResource, reductionFactor) + 1;
    if (type == SchedulerType.HYPERBAND) {
      if (brackets < 1 || brackets > most) {
        throw new IllegalArgumentException(
            "scheduler: brackets must be in [1, "
                + most
                + "] for min_resource "
                + minResource
                + ", max_resource "
                + maxResource
                + ", reduction_factor "
                + reductionFactor
                + ", got "
                + brackets);
      }
    } else if (brackets != 1) {
      throw new IllegalArgumentException(
          "scheduler: brackets applies to hyperband only; "
              + type.id()
              + " takes 1, got "
              + brackets);
    }
  }

  /** {@code type} with the given budgets, η = 3, and every bracket Hyperband allows. */
  public static SchedulerConfig of(SchedulerType type, int minResource, int maxResource) {
    return of(type, minResource, maxResource, DEFAULT_REDUCTION_FACTOR);
  }

  /** {@code type} with the given budgets and η, and every bracket Hyperband allows. */
  public static SchedulerConfig of(
      SchedulerType type, int minResource, int maxResource, int reductionFactor) {
    int b =
        type == SchedulerType.HYPERBAND
            ? maxRungIndex(minResource, maxResource, reductionFactor) + 1
            : 1;
    return new SchedulerConfig(type, minResource, maxResource, reductionFactor, b);
  }

  /**
   * {@code s_max}: the largest s with {@code minResource · η^s ≤ maxResource} (Li et al.'s {@code
   * ⌊log_η R⌋} with R in units of the minimum resource).
   */
  public int maxRungIndex() {
    return maxRungIndex(minResource, maxResource, reductionFactor);
  }

  /** Hyperband's largest bracket count, {@code s_max + 1}. */
  public int maxBrackets() {
    return maxRungIndex() + 1;
  }

  private static int maxRungIndex(int minResource, int maxResource, int eta) {
    if (minResource < 1 || eta < 2) {
      return 0;
    }
    int s = 0;
    long r = minResource;
    while (r * eta <= maxResource) {
      r *= eta;
      s++;
    }
    return s;
  }
}
