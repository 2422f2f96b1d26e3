package io.sparksweep.spark;

import java.time.Duration;
import java.util.Locale;

/**
 * Durations as people read them: {@code 0.4 s}, {@code 8.1 s}, {@code 1 min 12 s}, {@code 2 h 05
 * min}, never {@code PT8.058374699S}.
 */
public final class HumanDuration {
  private HumanDuration() {}

  /**
   * The duration in words.
   *
   * @param d a duration; null gives {@code ?}
   * @return tenths of seconds under a minute, whole minutes and seconds under an hour, else hours
   *     and minutes
   */
  public static String of(Duration d) {
    if (d == null) {
      return "?";
    }
    long millis = Math.max(0, d.toMillis());
    if (millis < 60_000) {
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
    long s = Math.round(millis / 1000.0);
    if (s < 3600) {
      return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
    }
    long m = Math.round(s / 60.0);
    return String.format(Locale.ROOT, "%d h %02d min", m / 60, m % 60);
  }

  /**
   * Seconds in words, as {@link #of(Duration)}.
   *
   * @param seconds seconds; not finite gives {@code ?}
   */
  public static String seconds(double seconds) {
    return Double.isFinite(seconds) ? of(Duration.ofMillis(Math.round(seconds * 1000))) : "?";
  }
}
