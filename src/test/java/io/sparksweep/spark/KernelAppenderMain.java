package io.sparksweep.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;

/**
 * A second (and third) JVM for {@link ConcurrentCommitsTest}: {@code TABLE RUN BATCHES GO_FILE}
 * prints {@code READY}, waits until {@code GO_FILE} exists (so that the JVMs start together, warmed
 * up), then appends {@code BATCHES} batches of two {@code trials} rows of run {@code RUN} through
 * {@link KernelCommits} as fast as it can, and prints {@code DONE <committed>}.
 */
public final class KernelAppenderMain {
  private KernelAppenderMain() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    String table = args[0];
    String run = args[1];
    int batches = Integer.parseInt(args[2]);
    Path go = Path.of(args[3]);
    KernelCommits kernel = new KernelCommits(new Configuration());
    kernel.lastVersion(table, run); // loads Kernel's classes before the race starts
    System.out.println("READY");
    System.out.flush();
    while (!Files.exists(go)) {
      Thread.sleep(1);
    }
    int committed = 0;
    for (int b = 0; b < batches; b++) {
      if (kernel.append(
          table,
          TrialRows.TRIALS,
          TrialRows.RUN_ID,
          run,
          run,
          b,
          DeltaTablesTest.trialRows(run, 2 * b, 2 * b + 2))) {
        committed++;
      }
    }
    System.out.println("DONE " + committed);
    System.out.flush();
  }
}
