package io.sparksweep.arch;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import io.sparksweep.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The tests cannot see {@code ../shared} (the team's CIFAR-10 copy, benchmarks and guide, which a
 * user's clone does not have): surefire runs them in {@code target/test-cwd}, where every relative
 * path a test or a command's default uses stays inside {@code target/}.
 */
class ShieldTest {
  private static final Path CWD = Path.of("").toAbsolutePath();
  private static final Path SHARED = ProjectFiles.root().getParent().resolve("shared").normalize();

  @Test
  void testsRunOutsideTheProjectRoot() {
    assertNotEquals(ProjectFiles.root(), CWD, "surefire's workingDirectory is not set");
    assertTrue(CWD.startsWith(ProjectFiles.root().resolve("target")), CWD.toString());
    assertFalse(Files.exists(Path.of("../shared")), "../shared is visible from " + CWD);
  }

  @Test
  void noCommandDefaultReachesShared() {
    List<String> reaching = new ArrayList<>();
    check(Main.commandLine(), reaching);
    assertTrue(reaching.isEmpty(), "defaults that reach " + SHARED + ": " + reaching);
  }

  private static void check(CommandLine cmd, List<String> reaching) {
    for (OptionSpec o : cmd.getCommandSpec().options()) {
      String d = o.defaultValue();
      if (d == null || d.isBlank() || d.contains("://")) {
        continue;
      }
      Path resolved;
      try {
        resolved = CWD.resolve(d).normalize();
      } catch (java.nio.file.InvalidPathException e) {
        continue; // not a path
      }
      if (resolved.startsWith(SHARED) || Files.exists(resolved) && isShared(resolved)) {
        reaching.add(cmd.getCommandName() + " " + o.longestName() + "=" + d + " -> " + resolved);
      }
    }
    cmd.getSubcommands().values().forEach(c -> check(c, reaching));
  }

  private static boolean isShared(Path p) {
    try {
      return p.toRealPath().startsWith(SHARED);
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
