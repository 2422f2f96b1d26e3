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
    cl.setExecutionExceptionHandler(
        (ex, cmd, parseResult) -> {
          // Bad input (a data folder, a grid file, an argument) is one clear line, no stack trace.
          boolean badInput = ex instanceof IllegalArgumentException;
          cmd.getErr().println("error: " + (badInput ? ex.getMessage() : ex.toString()));
          if (!badInput || System.getenv("SPARKSWEEP_DEBUG") != null) {
            ex.printStackTrace(cmd.getErr());
          }
          cmd.getErr().flush();
          return badInput ? 2 : 1;
        });
    return cl;
  }
}
