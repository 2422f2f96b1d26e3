package io.sparksweep.search.schedule;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The schedulers, by their search-file names. */
public enum SchedulerType {
  /** Every trial trains to {@code max_resource} in one segment: a plain grid or random search. */
  FIFO,
  /** Synchronous successive halving: one bracket, rung by rung, deterministic. */
  SHA,
  /** Hyperband: several successive-halving brackets trading breadth for depth, deterministic. */
  HYPERBAND,
  /** Asynchronous successive halving: promotes as soon as a slot frees, no rung barriers. */
  ASHA;

  /** The lower-case name used in search files. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code fifo}, {@code sha}, {@code hyperband} or {@code asha} (case-insensitive).
   *
   * @throws IllegalArgumentException listing the allowed names
   */
  public static SchedulerType parse(String s) {
    for (SchedulerType t : values()) {
      if (t.id().equalsIgnoreCase(s.trim())) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown scheduler type '"
            + s
            + "'; expected one of "
            + Arrays.stream(values()).map(SchedulerType::id).collect(Collectors.joining(", ")));
  }
}
