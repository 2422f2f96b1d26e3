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
    assertTrue(r.err().startsWith("error: Unknown option: '--epochz'"), r.err());
    assertTrue(r.err().contains("Try 'sparksweep train --help' for the options."), r.err());
    assertTrue(r.err().lines().count() <= 4, "not the whole usage:\n" + r.err());
    assertTrue(!r.err().contains("--learning-rate"), r.err());

    Run bad = run("train", "--epochs", "three");
    assertEquals(2, bad.exit());
    assertTrue(bad.err().contains("'three'"), bad.err());
    assertTrue(bad.err().lines().count() <= 3, bad.err());
  }

  @Test
  void environmentProblemsAreOneLineWithoutATrace() {
    assertEquals(
        "no such file or directory: /nope/x.npz",
        UserErrors.userMessage(
            new java.io.UncheckedIOException(new java.nio.file.NoSuchFileException("/nope/x.npz"))));
    assertEquals(null, UserErrors.userMessage(new NullPointerException()));
  }
}
