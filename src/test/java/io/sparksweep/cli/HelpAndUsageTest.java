package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help}, {@code -V} and usage errors of every command. */
class HelpAndUsageTest {
  private record Run(int exit, String out, String err) {}

  private static Run run(String... args) {
    CommandLine cl = Main.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int exit = cl.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  private static List<CommandLine> all(CommandLine cl) {
    List<CommandLine> out = new ArrayList<>(List.of(cl));
    for (CommandLine sub : cl.getSubcommands().values()) {
      out.addAll(all(sub));
    }
    return out;
  }

  @Test
  void everyCommandsHelpShowsAnExample() {
    for (CommandLine cl : all(Main.commandLine())) {
      String usage = cl.getUsageMessage();
      assertTrue(
          usage.contains("Example"), cl.getCommandSpec().qualifiedName() + " help:\n" + usage);
    }
  }

  @Test
  void dashCapitalVPrintsTheVersionOnEveryCommand() {
    String version = Main.commandLine().getCommandSpec().version()[0];
    assertTrue(version.startsWith("sparksweep "), version);
    for (CommandLine cl : all(Main.commandLine())) {
      if (!cl.getCommandSpec().mixinStandardHelpOptions()) {
        continue;
      }
      List<String> args = new ArrayList<>();
      String q = cl.getCommandSpec().qualifiedName(" ");
      if (q.contains(" ")) {
        args.addAll(List.of(q.substring(q.indexOf(' ') + 1).split(" ")));
      }
      args.add("-V");
      Run r = run(args.toArray(String[]::new));
      assertEquals(0, r.exit(), q);
      assertEquals(version, r.out().strip(), q + " -V");
    }
  }

  @Test
  void aUsageErrorIsOneLinePlusAPointerToHelp() {
    Run r = run("train", "--epochz", "3");
    assertEquals(2, r.exit());
    assertTrue(r.err().startsWith("error: Unknown option"), r.err());
    assertTrue(r.err().contains("'--epochz'"), r.err());
    assertTrue(r.err().contains("--epochs"), "suggests the near miss:\n" + r.err());
    assertTrue(r.err().contains("Try 'sparksweep train --help' for the options."), r.err());
    assertTrue(r.err().lines().count() <= 4, "not the whole usage:\n" + r.err());
    assertTrue(!r.err().contains("--learning-rate"), r.err());

    Run bad = run("train", "--epochs", "three");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("'three'"), bad.err());
    assertTrue(bad.err().lines().count() <= 3, bad.err());
  }

  @Test
  void everyDefaultIsShownInTheHelp() {
    for (CommandLine cl : all(Main.commandLine())) {
      String usage = cl.getUsageMessage().replaceAll("\\s+", "");
      for (CommandLine.Model.ArgSpec arg : cl.getCommandSpec().args()) {
        String value = arg.defaultValueString();
        if (arg.hidden()
            || value == null
            || value.equals("null")
            || value.equals("{}")
            || value.equals("[]")
            || arg.type() == boolean.class
            || arg.type() == Boolean.class) {
          continue;
        }
        if (value.startsWith("${env:")) {
          String variable = value.substring(6, value.length() - 1);
          assertTrue(
              String.join(" ", arg.description()).contains("$" + variable),
              cl.getCommandSpec().qualifiedName() + ": names $" + variable);
          continue;
        }
        if (value.startsWith("${sys:") && value.contains(":-")) { // a property, else a default
          value = value.substring(value.indexOf(":-") + 2, value.length() - 1);
        }
        String name = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : "";
        assertTrue(
            usage.contains(value.replaceAll("\\s+", "")),
            cl.getCommandSpec().qualifiedName() + " " + name + ": default " + value + " not shown");
      }
    }
  }

  @Test
  void placeholdersAreUpperCaseWords() {
    for (CommandLine cl : all(Main.commandLine())) {
      for (CommandLine.Model.ArgSpec arg : cl.getCommandSpec().args()) {
        if (arg.hidden() || arg.arity().max() == 0) {
          continue;
        }
        String label = arg.paramLabel();
        assertTrue(
            label.matches("[A-Z][A-Z0-9_]*([|=:][A-Z][A-Z0-9_]*)*"),
            cl.getCommandSpec().qualifiedName() + ": placeholder " + label);
      }
    }
  }

  @Test
  void anInputErrorIsOneLineAndVerboseAddsTheTrace() {
    Run plain = run("experiment", "nope", "--grids-dir", "/nonexistent-grids");
    assertEquals(2, plain.exit(), plain.err());
    assertTrue(plain.err().startsWith("error: no experiment 'nope'"), plain.err());
    assertEquals(1, plain.err().lines().count(), plain.err());

    Run verbose = run("experiment", "nope", "--grids-dir", "/nonexistent-grids", "--verbose");
    assertEquals(2, verbose.exit(), verbose.err());
    assertTrue(verbose.err().startsWith("error: no experiment 'nope'"), verbose.err());
    assertTrue(verbose.err().contains("\tat io.sparksweep.cli."), verbose.err());
  }

  @Test
  void environmentProblemsAreOneLineWithoutATrace() {
    assertEquals(
        "no such file or directory: /nope/x.npz",
        UserErrors.userMessage(
            new java.io.UncheckedIOException(
                new java.nio.file.NoSuchFileException("/nope/x.npz"))));
    assertEquals(null, UserErrors.userMessage(new NullPointerException()));
  }
}
