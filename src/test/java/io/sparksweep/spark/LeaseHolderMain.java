package io.sparksweep.spark;

import java.time.Duration;
import org.apache.hadoop.conf.Configuration;

/**
 * A second JVM for the lease tests: {@code hold RUNS RUN TTL_MILLIS} acquires the run's lease,
 * prints {@code HELD}, and keeps renewing it until killed; {@code try RUNS RUN TTL_MILLIS} tries
 * once and prints {@code ACQUIRED} (then holds until killed) or {@code REFUSED <message>} (exit 3).
 */
public final class LeaseHolderMain {
  private LeaseHolderMain() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    RunStore store = RunStore.open(new Configuration(), args[1]);
    Duration ttl = Duration.ofMillis(Long.parseLong(args[3]));
    Lease lease;
    try {
      lease = store.lease(args[2], ttl);
    } catch (IllegalArgumentException e) {
      System.out.println("REFUSED " + e.getMessage());
      System.out.flush();
      System.exit(3);
      return;
    }
    System.out.println(args[0].equals("hold") ? "HELD " + lease.holder() : "ACQUIRED");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
