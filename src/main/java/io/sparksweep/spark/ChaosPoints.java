package io.sparksweep.spark;

/**
 * Named moments of a search where a test may want the driver to die (writing a model file, a commit
 * of the tables, a manifest): with {@code -Dsparksweep.chaos.pauseMillis=N} each moment is
 * announced on standard error as {@code CHAOS <point>} and then lasts N ms longer, so that a test
 * reading the announcements can {@code kill -9} the process while it is inside that moment. Off
 * (one property read) unless set.
 */
public final class ChaosPoints {
  private static final long PAUSE_MILLIS = Long.getLong("sparksweep.chaos.pauseMillis", -1);

  private ChaosPoints() {}

  /** Whether the points are announced (the property is set). */
  public static boolean enabled() {
    return PAUSE_MILLIS >= 0;
  }

  /**
   * Announces {@code point} and pauses, when enabled; otherwise does nothing.
   *
   * @param point what is happening, e.g. {@code commit trials} or {@code file-written x.npz}
   */
  public static void reach(String point) {
    if (PAUSE_MILLIS < 0) {
      return;
    }
    System.err.println("CHAOS " + point);
    System.err.flush();
    if (PAUSE_MILLIS > 0) {
      try {
        Thread.sleep(PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
