package io.sparksweep.cli.security;

import io.sparksweep.cli.SearchCommand;
import io.sparksweep.data.Cifar10Reader;
import picocli.CommandLine;

/**
 * {@code sparksweep search} as {@code jobs/sparksweep} runs it (production grid parsing, trials and
 * session), reading a small CIFAR-format data set ({@code records-per-file} from the system
 * property {@code sparksweep.test.recordsPerFile}, default 100) instead of the official 10,000
 * records per file, so a test can run it in a child JVM.
 */
public final class SmallDataSearch {
  private SmallDataSearch() {}

  /** Runs {@code search} with {@code args} and exits with its status. */
  public static void main(String[] args) {
    int recordsPerFile = Integer.getInteger("sparksweep.test.recordsPerFile", 100);
    SearchCommand.Wiring production = SearchCommand.Wiring.production();
    SearchCommand.Wiring wiring =
        new SearchCommand.Wiring(
            production.grid(),
            dir -> Cifar10Reader.withRecordsPerFile(recordsPerFile).read(dir),
            production.trials(),
            production.sessions());
    System.exit(new CommandLine(new SearchCommand(wiring)).execute(args));
  }
}
