package io.sparksweep.spark;

import io.sparksweep.ProjectFiles;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * A real Spark standalone cluster on loopback for tests: one Master JVM and N Worker JVMs started
 * from the test's own classpath (Spark is a Maven dependency here, there is no Spark install). The
 * workers find the Spark jars for their executors under a {@code SPARK_HOME/jars} folder of links
 * made from that classpath; our code reaches the executors as an app jar ({@code spark.jars}) built
 * from the compiled main and test classes.
 *
 * <p>Secured as {@code jobs/standalone-cluster.sh} secures its cluster: the project's {@code
 * conf/spark-defaults.conf} is the cluster's ({@code spark.authenticate}, RPC encryption, no REST
 * server), a fresh {@link ClusterSecret} is written to {@link #secretFile()} (0600) and reaches the
 * master and workers in their environment. A driver joins with {@link #driver}.
 */
public final class StandaloneCluster implements AutoCloseable {
  /** The project's Spark defaults, which the cluster scripts and this cluster use. */
  public static final Path DEFAULTS = ProjectFiles.path("conf/spark-defaults.conf");

  private final Path dir;
  private final Path sparkHome;
  private final Path secretFile;
  private final List<Process> processes = new ArrayList<>();
  private final String masterUrl;

  private StandaloneCluster(Path dir) throws IOException {
    this.dir = dir;
    deleteRecursively(dir);
    this.sparkHome = dir.resolve("spark-home");
    Files.createDirectories(sparkHome.resolve("jars"));
    for (String entry : classpath()) {
      Path p = Path.of(entry);
      if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
        Path link = sparkHome.resolve("jars").resolve(p.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, p.toAbsolutePath());
        }
      }
    }
    Files.createDirectories(sparkHome.resolve("conf"));
    Files.copy(DEFAULTS, sparkHome.resolve("conf").resolve("spark-defaults.conf"));
    this.secretFile = ClusterSecret.generate(dir.resolve("secret").resolve("auth-secret"));
    int port = freePort();
    this.masterUrl = "spark://127.0.0.1:" + port;
  }

  /**
   * Starts a master and {@code workers} workers of {@code cores} cores and {@code memory} each, and
   * waits until the master listens.
   */
  public static StandaloneCluster start(Path dir, int workers, int cores, String memory)
      throws IOException, InterruptedException {
    StandaloneCluster c = new StandaloneCluster(dir);
    try {
      int port = Integer.parseInt(c.masterUrl.substring(c.masterUrl.lastIndexOf(':') + 1));
      c.launch(
          "master",
          "org.apache.spark.deploy.master.Master",
          "--host",
          "127.0.0.1",
          "--port",
          Integer.toString(port),
          "--webui-port",
          Integer.toString(freePort()));
      c.awaitPort(port, 120);
      for (int i = 1; i <= workers; i++) {
        Path work = dir.resolve("worker-" + i);
        Files.createDirectories(work);
        c.launch(
            "worker-" + i,
            "org.apache.spark.deploy.worker.Worker",
            "--host",
            "127.0.0.1",
            "--cores",
            Integer.toString(cores),
            "--memory",
            memory,
            "--webui-port",
            Integer.toString(freePort()),
            "--work-dir",
            work.toString(),
            c.masterUrl);
      }
      return c;
    } catch (IOException | InterruptedException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  /** {@code spark://127.0.0.1:<port>}. */
  public String masterUrl() {
    return masterUrl;
  }

  /** Where the master's and workers' logs are. */
  public Path dir() {
    return dir;
  }

  /** The cluster's secret file (0600): what a driver needs to join. */
  public Path secretFile() {
    return secretFile;
  }

  /**
   * A driver's settings for this cluster, as {@code jobs/sparksweep} makes them: the project's
   * defaults file and the secret file.
   */
  public Sessions.Builder driver() {
    return Sessions.builder().master(masterUrl).defaultsFile(DEFAULTS).secretFile(secretFile);
  }

  /**
   * Builds a jar of the compiled main and test classes (what executors need to run {@link
   * FakeTrials}) and returns its URI for {@code spark.jars}.
   */
  public String buildAppJar() throws IOException {
    Path jar = dir.resolve("app-with-tests.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String entry : classpath()) {
        Path root = Path.of(entry);
        if (!Files.isDirectory(root)) {
          continue;
        }
        try (Stream<Path> files = Files.walk(root)) {
          for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
            String name = root.relativize(f).toString().replace(File.separatorChar, '/');
            if (seen.add(name)) {
              out.putNextEntry(new JarEntry(name));
              Files.copy(f, out);
              out.closeEntry();
            }
          }
        }
      }
    }
    return jar.toUri().toString();
  }

  private static List<String> classpath() {
    return List.of(System.getProperty("java.class.path").split(File.pathSeparator));
  }

  private void launch(String name, String mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.addAll(sparkJvmOptions());
    if (mainClass.endsWith(".Master")) {
      cmd.add("-Dspark.master.rest.enabled=false"); // as jobs/standalone-cluster.sh
    }
    cmd.add("-cp");
    cmd.add(sparkHome.resolve("jars") + File.separator + "*");
    cmd.add(mainClass);
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("SPARK_HOME", sparkHome.toString());
    pb.environment().put("SPARK_SCALA_VERSION", "2.13");
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    pb.environment().put("OPENBLAS_NUM_THREADS", "1");
    pb.environment().put(ClusterSecret.SECRET_ENV, ClusterSecret.read(secretFile));
    pb.redirectErrorStream(true);
    pb.redirectOutput(dir.resolve(name + ".log").toFile());
    processes.add(pb.start());
  }

  /** The module options this JVM was started with (Spark's launcher list, from the pom). */
  private static List<String> sparkJvmOptions() {
    return ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(
            a ->
                a.startsWith("--add-opens")
                    || a.startsWith("--add-modules")
                    || a.startsWith("--add-exports")
                    || a.equals("-XX:+IgnoreUnrecognizedVMOptions")
                    || a.startsWith("-Djdk.reflect.")
                    || a.startsWith("-Dio.netty."))
        .toList();
  }

  private void awaitPort(int port, int seconds) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 500);
        return;
      } catch (IOException e) {
        for (Process p : processes) {
          if (!p.isAlive()) {
            throw new IOException("a cluster JVM exited early; see the logs in " + dir);
          }
        }
        Thread.sleep(200);
      }
    }
    throw new IOException("the master did not listen on " + port + " within " + seconds + " s");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Deletes a folder without following links (the jar links point into ~/.m2). */
  private static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** The executor JVMs the workers started (Spark's {@code CoarseGrainedExecutorBackend}). */
  public List<ProcessHandle> executors() {
    return processes.stream()
        .flatMap(Process::descendants)
        .filter(ProcessHandle::isAlive)
        .filter(
            h ->
                h.info()
                    .commandLine()
                    .map(c -> c.contains("CoarseGrainedExecutorBackend"))
                    .orElse(false))
        .toList();
  }

  /** The tail of a log, for failure messages. */
  public String logTail(String name, int lines) {
    try {
      List<String> all = Files.readAllLines(dir.resolve(name + ".log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  /** Stops the workers (which stop their executors), then the master. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      Process p = processes.get(i);
      List<ProcessHandle> children = p.descendants().toList();
      p.destroy();
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
      }
      children.forEach(ProcessHandle::destroyForcibly);
    }
  }

  @Override
  public String toString() {
    return "StandaloneCluster[" + masterUrl + ", logs in " + dir + "]";
  }
}
