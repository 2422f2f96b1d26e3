package io.sparksweep.cli.reliability;

import io.sparksweep.cli.SearchCommand;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.search.GridSpec;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.spark.TrialFunction;
import io.sparksweep.train.SolverListener;
import picocli.CommandLine;

/**
 * {@code sparksweep search} as the reliability tests run it in a child JVM (to kill it, or to run
 * two at once): the production grid parser and {@link TrialRunner}, on synthetic CIFAR-format files
 * of {@value #RECORDS_PER_FILE} records per batch file, each trial held back by {@code
 * -Dsparksweep.test.trialDelayMillis} so that a test can kill the driver mid-search.
 */
public final class TestSearchMain {
  /** Records per batch file of the synthetic data the tests write. */
  public static final int RECORDS_PER_FILE = 40;

  private TestSearchMain() {}

  /** Real training, after a delay; trials from index {@code holdFrom} on hang. */
  record DelayedTrials(long delayMillis, int holdFrom) implements TrialFunction {
    @Override
    public TrialResult run(TrialSpec spec, Cifar10Data data) {
      try {
        Thread.sleep(spec.index() >= holdFrom ? Long.MAX_VALUE : delayMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted", e);
      }
      return TrialRunner.run(spec, data, "task", SolverListener.silent());
    }
  }

  /** The wiring: real grid files and training, synthetic data, a delay before each trial. */
  public static SearchCommand.Wiring wiring(long trialDelayMillis, int holdFrom) {
    return new SearchCommand.Wiring(
        (file, force) -> GridSpec.parse(file).expand(force),
        dir -> Cifar10Reader.withRecordsPerFile(RECORDS_PER_FILE).read(dir),
        new DelayedTrials(trialDelayMillis, holdFrom));
  }

  /** Runs {@code search} with {@code args} and exits with its status. */
  public static void main(String[] args) {
    long delay = Long.getLong("sparksweep.test.trialDelayMillis", 0);
    int holdFrom = Integer.getInteger("sparksweep.test.holdFrom", Integer.MAX_VALUE);
    System.exit(new CommandLine(new SearchCommand(wiring(delay, holdFrom))).execute(args));
  }
}
