package io.sparksweep.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;

/**
 * An example command line in the help of every command whose own description has none, added as the
 * usage footer (so {@code --help} of each command shows at least one runnable example).
 */
final class HelpExamples {
  private static final String DATA = "../shared/cifar10/cifar-10-batches-bin";

  /**
   * Examples by qualified command name (without the leading {@code sparksweep}); a long one is
   * split into lines ending in {@code \\}, so that it still pastes into a shell.
   */
  static final Map<String, List<String>> EXAMPLES =
      Map.of(
          "",
          List.of("sparksweep search --data " + DATA),
          "search",
          List.of(
              "sparksweep search --grid conf/grids/weight-scale-sweep.yaml --top-k 3 \\",
              "    --data " + DATA),
          "experiment",
          List.of("sparksweep experiment weight-scale --data " + DATA),
          "evaluate",
          List.of(
              "sparksweep evaluate --model warehouse/runs/RUN_ID/models/TRIAL_KEY.npz \\",
              "    --data " + DATA),
          "data",
          List.of("sparksweep data download --dir data"),
          "data download",
          List.of("sparksweep data download --dir data"),
          "help",
          List.of("sparksweep help search"));

  private HelpExamples() {}

  /** Adds the examples to {@code cl} and its subcommands, recursively. */
  static void install(CommandLine cl) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    String qualified = spec.qualifiedName(" ");
    String key = qualified.contains(" ") ? qualified.substring(qualified.indexOf(' ') + 1) : "";
    List<String> example = EXAMPLES.get(key);
    if (example != null && !mentionsExample(spec)) {
      List<String> footer = new ArrayList<>(List.of("", "Example:"));
      example.forEach(line -> footer.add("  " + line));
      spec.usageMessage().footer(footer.toArray(String[]::new));
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      install(sub);
    }
  }

  /** Whether the command's own help text already shows an example. */
  static boolean mentionsExample(CommandLine.Model.CommandSpec spec) {
    CommandLine.Model.UsageMessageSpec u = spec.usageMessage();
    return Arrays.stream(u.description()).anyMatch(s -> s.contains("Example"))
        || Arrays.stream(u.footer()).anyMatch(s -> s.contains("Example"));
  }
}
