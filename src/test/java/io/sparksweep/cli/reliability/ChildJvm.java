package io.sparksweep.cli.reliability;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A child JVM running a main class from the test classpath, with this JVM's Spark module options
 * (the pom's {@code spark.jvm.options}, passed on by surefire), its output in files.
 */
public final class ChildJvm {
  /** The running JVM. */
  public final Process process;

  final Path out;
  final Path err;

  private ChildJvm(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /**
   * Starts {@code mainClass} with {@code args} in {@code dir}.
   *
   * @param name prefix of the output files ({@code <name>.out}, {@code <name>.err} in {@code dir})
   * @param systemProperties extra {@code -D} settings, e.g. {@code sparksweep.test.x=1}
   */
  public static ChildJvm start(
      Path dir, String name, Class<?> mainClass, List<String> systemProperties, List<String> args)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g"); // Spark with Delta Lake needs more than 512m
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-")
                    || a.startsWith("-XX:+Ignore")
                    || a.startsWith("-Djdk.")
                    || a.startsWith("-Dio.netty."))
        .forEach(cmd::add);
    systemProperties.forEach(p -> cmd.add("-D" + p));
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(mainClass.getName());
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    Path out = dir.resolve(name + ".out");
    Path err = dir.resolve(name + ".err");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    return new ChildJvm(pb.start(), out, err);
  }

  /** What the JVM printed on standard output so far. */
  public String stdout() {
    return read(out);
  }

  /** What the JVM printed on standard error so far. */
  public String stderr() {
    return read(err);
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e + ")";
    }
  }

  /** Kills the JVM and everything it started, as {@code kill -9} does. */
  void kill() throws InterruptedException {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    process.waitFor();
  }

  @Override
  public String toString() {
    return "child JVM " + process.pid() + " (output in " + out + File.pathSeparator + err + ")";
  }
}
