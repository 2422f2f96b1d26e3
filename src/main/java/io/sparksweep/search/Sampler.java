package io.sparksweep.search;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a search file's space becomes trials: every point of the grid ({@link #GRID}, the default),
 * or {@code num_samples} draws from it, independent pseudo-random ones ({@link #RANDOM}) or a
 * digitally shifted Sobol sequence ({@link #SOBOL}, which covers the space more evenly than random
 * draws for the same count). Both draws are seeded by the run seed.
 */
public enum Sampler {
  /** Every point of the grid, in the documented nested-loop order. */
  GRID,
  /** {@code num_samples} independent draws, draw i from its own generator seeded by (seed, i). */
  RANDOM,
  /** {@code num_samples} points of a Sobol sequence digitally shifted by a seeded random shift. */
  SOBOL;

  /** The name in search files: {@code grid}, {@code random}, {@code sobol}. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Every {@link #id()}, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(Sampler::id).toList();
  }
}
