package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Every Spark-level bad input, on every command that starts Spark, is refused before a session
 * exists: exit status 2, one {@code error:} line naming the option (and key) and what is allowed,
 * no stack trace. Each command's session opener is replaced by one that counts and refuses, so a
 * check that let the input through is seen; the same commands with good Spark inputs do reach it.
 */
class SparkInputsTest {
  @TempDir static Path tmp;

  private record Outcome(int exit, String out, String err, int sessionsOpened) {}

  /** The commands that open a session, with arguments that need nothing else to get there. */
  static List<List<String>> sparkCommands() {
    return List.of(
        List.of("query", "SELECT 1"),
        List.of("report", "--run", "r1"),
        List.of("runs", "list"),
        List.of("runs", "show", "r1"),
        List.of("runs", "compare", "r1", "r2"),
        List.of("best", "r1"),
        List.of("search"));
  }

  private static Outcome run(List<String> command, List<String> more) {
    AtomicInteger opened = new AtomicInteger();
    SearchCommand.SessionOpener refuse =
        settings -> {
          opened.incrementAndGet();
          throw new IllegalStateException("a session would open here");
        };
    CommandLine cl;
    if (command.get(0).equals("search")) {
      SearchCommand.Wiring production = SearchCommand.Wiring.production();
      cl =
          new CommandLine(
              new SearchCommand(
                  new SearchCommand.Wiring(
                      production.grid(),
                      dir -> io.sparksweep.data.Cifar10Reader.withRecordsPerFile(20).read(dir),
                      production.trials(),
                      refuse)));
      UserErrors.install(cl);
    } else {
      cl = Main.commandLine();
      CommandLine leaf = cl;
      for (String word : command) {
        if (leaf.getSubcommands().containsKey(word)) {
          leaf = leaf.getSubcommands().get(word);
        }
      }
      ((SparkOptions) leaf.getMixins().get("sparkOptions")).opener = refuse;
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    List<String> args =
        new ArrayList<>(command.subList(command.get(0).equals("search") ? 1 : 0, command.size()));
    args.addAll(more);
    if (command.get(0).equals("search") && !more.contains("--grid")) {
      args.addAll(goodSearchInputs());
    }
    if (!more.contains("--warehouse")) {
      // query reads an existing warehouse (a missing one is its own error, QueryCommandTest).
      Path warehouse = tmp.resolve("warehouse");
      try {
        Files.createDirectories(warehouse);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      args.addAll(List.of("--warehouse", warehouse.toString()));
    }
    int exit = cl.execute(args.toArray(String[]::new));
    return new Outcome(exit, out.toString(), err.toString(), opened.get());
  }

  /** One bad input and the fragments its message must hold. */
  record Bad(String name, List<String> args, List<String> expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  static List<Bad> badInputs() throws IOException {
    Path file = Files.writeString(tmp.resolve("a-file.txt"), "not a folder");
    Path badDefaults =
        Files.writeString(tmp.resolve("bad-defaults.conf"), "spark.executor.memory  lots\n");
    return List.of(
        new Bad(
            "unknown master scheme",
            List.of("--master", "bogus://x"),
            List.of("--master bogus://x: not a Spark master URL", "local[N]", "spark://HOST:PORT")),
        new Bad(
            "zero local threads",
            List.of("--master", "local[0]"),
            List.of("--master local[0]: 0 threads", "N ≥ 1")),
        new Bad(
            "zero local-cluster workers",
            List.of("--master", "local-cluster[0,1,1024]"),
            List.of("--master local-cluster[0,1,1024]: 0 workers")),
        new Bad(
            "spark master without a port",
            List.of("--master", "spark://127.0.0.1"),
            List.of("'127.0.0.1' is not HOST:PORT")),
        new Bad(
            "spark master that refuses connections",
            List.of("--master", "spark://127.0.0.1:" + closedPort()),
            List.of("no Spark master reachable", "refused", "jobs/standalone-cluster.sh")),
        new Bad(
            "size that is not a size",
            List.of("--conf", "spark.executor.memory=abc"),
            List.of("--conf spark.executor.memory=abc: not a size", "4g")),
        new Bad(
            "number that is not a number",
            List.of("--conf", "spark.executor.cores=x"),
            List.of("--conf spark.executor.cores=x: not a whole number")),
        new Bad(
            "boolean that is not a boolean",
            List.of("--conf", "spark.ui.enabled=maybe"),
            List.of("--conf spark.ui.enabled=maybe: not a boolean", "true or false")),
        new Bad(
            "number out of Spark's range",
            List.of("--conf", "spark.sql.shuffle.partitions=-3"),
            List.of("--conf spark.sql.shuffle.partitions=-3:", "positive")),
        new Bad(
            "duration that is not a duration",
            List.of("--conf", "spark.network.timeout=soon"),
            List.of("--conf spark.network.timeout=soon: not a duration")),
        new Bad(
            "key that is not Spark's",
            List.of("--conf", "executor.memory=4g"),
            List.of("--conf executor.memory=4g: not a Spark setting")),
        new Bad(
            "missing defaults file",
            List.of("--spark-defaults", tmp.resolve("nope.conf").toString()),
            List.of("--spark-defaults " + tmp.resolve("nope.conf") + ": no such file")),
        new Bad(
            "bad value in the defaults file",
            List.of("--spark-defaults", badDefaults.toString()),
            List.of(badDefaults + ": spark.executor.memory lots: not a size")),
        new Bad(
            "master in the defaults file",
            List.of(
                "--spark-defaults",
                Files.writeString(tmp.resolve("master.conf"), "spark.master local[0]\n")
                    .toString()),
            List.of("master.conf: spark.master local[0]: 0 threads")),
        new Bad(
            "s3a warehouse without hadoop-aws",
            List.of("--warehouse", "s3a://bucket/warehouse"),
            List.of("--warehouse s3a://bucket/warehouse:", "org.apache.hadoop:hadoop-aws")),
        new Bad(
            "gs warehouse without the connector",
            List.of("--warehouse", "gs://bucket/warehouse"),
            List.of("--warehouse gs://bucket/warehouse:", "gcs-connector")),
        new Bad(
            "warehouse that is a file",
            List.of("--warehouse", file.toString()),
            List.of("--warehouse " + file + ":", "is a file")));
  }

  static Stream<Arguments> everyCommandAndBadInput() throws IOException {
    List<Arguments> all = new ArrayList<>();
    for (List<String> command : sparkCommands()) {
      for (Bad bad : badInputs()) {
        all.add(Arguments.of(String.join(" ", command), command, bad));
      }
    }
    return all.stream();
  }

  /** A tiny grid and synthetic data set that pass search's own checks. */
  private static synchronized List<String> goodSearchInputs() {
    try {
      Path data = tmp.resolve("good");
      if (!Files.isDirectory(data)) {
        io.sparksweep.data.SyntheticCifar.writeFolder(data, 20, 3);
      }
      Path grid =
          Files.writeString(
              tmp.resolve("good.yaml"),
              "name: good\nseed: 1\nhidden_dims: [10]\nlearning_rate: [1e-3]\nnum_train: 50\n"
                  + "batch_size: 10\nnum_epochs: 1\n");
      return List.of(
          "--grid",
          grid.toString(),
          "--data",
          data.toString(),
          "--runs-dir",
          tmp.resolve("runs").toString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static int closedPort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort(); // closed again when this returns: nothing listens there
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void assertRefusedBeforeSpark(Outcome o, List<String> expected, String what) {
    String context = what + "\nerr:\n" + o.err() + "\nout:\n" + o.out();
    assertEquals(2, o.exit(), context);
    assertEquals(0, o.sessionsOpened(), "no session may open: " + context);
    List<String> lines = o.err().lines().filter(l -> !l.isBlank()).toList();
    assertEquals(1, lines.size(), "one line: " + context);
    assertTrue(lines.get(0).startsWith("error: "), context);
    for (String e : expected) {
      assertTrue(lines.get(0).contains(e), "'" + e + "' in: " + context);
    }
    assertFalse(o.err().contains("\tat "), "no stack trace: " + context);
    assertFalse(o.err().contains("Exception"), "no exception name: " + context);
  }

  @ParameterizedTest(name = "{0}: {2}")
  @MethodSource("everyCommandAndBadInput")
  void aBadSparkInputIsOneLineBeforeSparkStarts(String name, List<String> command, Bad bad) {
    assertRefusedBeforeSpark(run(command, bad.args()), bad.expected(), name + ": " + bad);
  }

  /** The control: with good Spark inputs each command does reach its session opener. */
  @ParameterizedTest(name = "{0}")
  @MethodSource("sparkCommands")
  void goodSparkInputsReachTheSession(List<String> command) throws IOException {
    List<String> good =
        new ArrayList<>(
            List.of(
                "--master",
                "local[2]",
                "--conf",
                "spark.executor.memory=1g",
                "--conf",
                "spark.ui.enabled=false"));
    Outcome o = run(command, good);
    assertEquals(1, o.sessionsOpened(), String.join(" ", command) + "\n" + o.err() + o.out());
  }

  @Test
  void reportRefusesAnOutputThatIsAFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("report-out.txt"), "x");
    assertRefusedBeforeSpark(
        run(List.of("report", "--run", "r1"), List.of("--out", file.toString())),
        List.of("--out " + file + ": is a file", "a folder"),
        "report --out FILE");
    assertRefusedBeforeSpark(
        run(List.of("report", "--run", "r1"), List.of("--out", file.resolve("sub").toString())),
        List.of("--out " + file.resolve("sub"), file + " is a file"),
        "report --out FILE/sub");
  }

  @Test
  void queryRefusesAWarehouseThatIsAFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("warehouse-file"), "x");
    assertRefusedBeforeSpark(
        run(List.of("query", "SELECT 1"), List.of("--warehouse", file.toString())),
        List.of("--warehouse " + file + ": is a file"),
        "query --warehouse FILE");
  }

  /**
   * An address nothing answers on (TEST-NET-1, RFC 5737): the probe gives up within its budget,
   * well inside 15 s (a timeout, or "no route to host" where that net is on-link). A network whose
   * transparent proxy accepts every TCP connection would defeat a TCP probe; this one does not
   * intercept TEST-NET-1.
   */
  @Test
  @Timeout(value = 15, unit = TimeUnit.SECONDS)
  void anUnreachableStandaloneMasterIsReportedWithin15Seconds() {
    Outcome o = run(List.of("query", "SELECT 1"), List.of("--master", "spark://192.0.2.77:7077"));
    assertRefusedBeforeSpark(
        o,
        List.of("--master spark://192.0.2.77:7077: no Spark master reachable", "192.0.2.77"),
        "unroutable master");
  }

  @Test
  void everyMasterFormSparkAcceptsPassesTheFormCheck() {
    for (String master :
        List.of(
            "local",
            "local[1]",
            "local[16]",
            "local[*]",
            "local[4,2]",
            "local[*,3]",
            "local-cluster[2,1,1024]",
            "spark://127.0.0.1:7077",
            "spark://a.example:7077,b.example:7077")) {
      SparkInputs.checkMaster("--master " + master, master); // throws if refused
    }
  }

  @Test
  void yarnAndKubernetesNameTheModuleTheyNeed() {
    for (String[] m :
        new String[][] {
          {"yarn", "org.apache.spark.deploy.yarn.YarnClusterManager", "spark-yarn_2.13"},
          {
            "k8s://https://127.0.0.1:6443",
            "org.apache.spark.scheduler.cluster.k8s.KubernetesClusterManager",
            "spark-kubernetes_2.13"
          }
        }) {
      boolean present;
      try {
        Class.forName(m[1], false, getClass().getClassLoader());
        present = true;
      } catch (ClassNotFoundException e) {
        present = false;
      }
      org.junit.jupiter.api.Assumptions.assumeFalse(present, m[1] + " is on the test classpath");
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class, () -> SparkInputs.checkMaster("--master x", m[0]));
      assertTrue(e.getMessage().contains(m[2]), e.getMessage());
    }
  }
}
