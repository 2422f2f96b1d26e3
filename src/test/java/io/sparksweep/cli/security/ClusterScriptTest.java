package io.sparksweep.cli.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import io.sparksweep.spark.ClusterSecret;
import io.sparksweep.spark.RpcProbe;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jobs/standalone-cluster.sh} run for real (a master and a worker JVM from the test's Maven
 * jars, state in a temporary folder): {@code start} writes a fresh secret 0600 in a 0700 folder,
 * hands it to the JVMs in their environment (not their command lines, which {@code ps} shows, nor
 * their logs or the script's output), the cluster refuses a client without it and admits one with
 * it, the launchers' helper finds the file for the driver, and {@code stop} deletes it.
 */
@Tag("slow")
class ClusterScriptTest {
  private static final Path SCRIPT = ProjectFiles.path("jobs/standalone-cluster.sh");

  @TempDir Path tmp;
  private Path state;

  private Process script(List<String> args, Path out) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString()));
    cmd.addAll(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.redirectOutput(out.toFile());
    pb.environment().put("SPARKSWEEP_CLUSTER_DIR", state.toString());
    pb.environment().put("SPARKSWEEP_SPARK_CLASSPATH", jarsOfThisJvm());
    pb.environment().remove("SPARKSWEEP_SPARK_DEFAULTS");
    return pb.start();
  }

  private static String jarsOfThisJvm() {
    return Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.endsWith(".jar"))
        .collect(Collectors.joining(":"));
  }

  @AfterEach
  void stop() throws Exception {
    if (state != null && Files.exists(state.resolve("master.pid"))) {
      Process p = script(List.of("stop"), tmp.resolve("stop-after.log"));
      p.waitFor(2, TimeUnit.MINUTES);
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void startWritesAnOwnerOnlySecretTheClusterRequiresAndStopDeletesIt() throws Exception {
    state = tmp.resolve("standalone");
    int port = freePort();
    Path startLog = tmp.resolve("start.log");
    Process start =
        script(
            List.of(
                "start",
                "--workers",
                "1",
                "--cores",
                "1",
                "--memory",
                "1g",
                "--port",
                Integer.toString(port),
                "--ui-port",
                Integer.toString(freePort())),
            startLog);
    assertTrue(start.waitFor(5, TimeUnit.MINUTES), "start did not return");
    String output = Files.readString(startLog);
    assertEquals(0, start.exitValue(), output);
    String url = "spark://127.0.0.1:" + port;
    assertTrue(output.strip().endsWith(url), output);

    Path secretFile = state.resolve("secret").resolve("auth-secret");
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile)));
    assertEquals(
        "rwx------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(secretFile.getParent())));
    String secret = ClusterSecret.read(secretFile);
    assertTrue(secret.matches("[0-9a-f]{64}"), "256 bits as hex, length " + secret.length());
    assertFalse(output.contains(secret), "start printed the secret");

    for (String jvm : List.of("master", "worker-1")) {
      long pid = Long.parseLong(Files.readString(state.resolve(jvm + ".pid")).strip());
      String cmdline = proc(pid, "cmdline");
      assertTrue(cmdline.contains("org.apache.spark.deploy."), jvm + " is a Spark JVM: " + cmdline);
      assertFalse(cmdline.contains(secret), jvm + "'s command line shows the secret");
      assertTrue(
          proc(pid, "environ").contains(ClusterSecret.SECRET_ENV + "=" + secret + "\0"),
          jvm + " has the secret in its environment");
      assertFalse(Files.readString(state.resolve(jvm + ".log")).contains(secret), jvm + " log");
    }
    String masterLog = Files.readString(state.resolve("master.log"));
    assertTrue(masterLog.contains("authentication enabled"), masterLog);
    assertFalse(masterLog.contains("REST server"), "the REST submission server stays off");

    assertNotNull(RpcProbe.lookUpMaster(url, Map.of()), "a client without the secret got in");
    Throwable admitted =
        RpcProbe.lookUpMaster(
            url,
            Map.of(
                "spark.authenticate", "true",
                "spark.authenticate.secret", secret,
                "spark.network.crypto.enabled", "true"));
    assertNull(admitted, () -> "a client with the secret was refused: " + admitted);

    // What jobs/sparksweep and jobs/submit.sh do: the driver is told the file, not the secret.
    ProcessBuilder lib =
        new ProcessBuilder(
                "bash",
                "-c",
                "source jobs/_lib.sh; export_cluster_secret; echo \"$SPARKSWEEP_SECRET_FILE\"")
            .directory(ProjectFiles.root().toFile())
            .redirectErrorStream(true);
    lib.environment().put("SPARKSWEEP_CLUSTER_DIR", state.toString());
    lib.environment().remove("SPARKSWEEP_SECRET_FILE");
    Process found = lib.start();
    String foundFile = new String(found.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(found.waitFor(30, TimeUnit.SECONDS));
    assertEquals(secretFile.toString(), foundFile.strip());

    Process stop = script(List.of("stop"), tmp.resolve("stop.log"));
    assertTrue(stop.waitFor(2, TimeUnit.MINUTES), "stop did not return");
    assertEquals(0, stop.exitValue(), Files.readString(tmp.resolve("stop.log")));
    assertFalse(Files.exists(secretFile), "stop deletes the secret");
    assertFalse(Files.exists(state.resolve("master.pid")));
  }

  private static String proc(long pid, String what) throws IOException {
    return new String(
        Files.readAllBytes(Path.of("/proc", Long.toString(pid), what)), StandardCharsets.UTF_8);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
