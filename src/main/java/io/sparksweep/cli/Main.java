package io.sparksweep.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code sparksweep} command line. */
@Command(
    name = "sparksweep",
    mixinStandardHelpOptions = true,
    version = "sparksweep 0.1.0",
    description = "Distributed hyperparameter search for small neural networks on Apache Spark.",
    subcommands = {
      CommandLine.HelpCommand.class,
      SearchCommand.class,
      QueryCommand.class,
      ReportCommand.class,
      RunsCommand.class,
      BestCommand.class,
      ExperimentCommand.class,
      TrainCommand.class,
      EvaluateCommand.class,
      DataCommand.class,
      BenchCommand.class
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @CommandLine.Option(
      names = "--verbose",
      scope = CommandLine.ScopeType.INHERIT,
      description = "On an error, also print its stack trace.")
  boolean verbose;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line, for tests and for {@link #main}. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new Main());
    UserErrors.install(cl);
    versionEverywhere(cl);
    HelpExamples.install(cl);
    return cl;
  }

  /** {@code -V} on every subcommand prints the application's version. */
  private static void versionEverywhere(CommandLine cl) {
    String[] version = cl.getCommandSpec().version();
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommandSpec().version().length == 0) {
        sub.getCommandSpec().version(version);
      }
      versionEverywhere(sub);
    }
  }
}
