package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sparksweep.data.SyntheticCifar;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code sparksweep data download} against a tarball served on 127.0.0.1. */
class DataDownloadCommandTest {
  @TempDir Path tmp;
  private HttpServer server;
  private String sha256;

  @BeforeEach
  void serve() throws Exception {
    Path file = SyntheticCifar.writeTarGz(tmp.resolve("served.tar.gz"), 4, 3);
    byte[] tarball = Files.readAllBytes(file);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarball));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.sendResponseHeaders(200, tarball.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(tarball);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz";
  }

  @Test
  void downloadsVerifiesAndExtractsWithAProgressBar() {
    Path dir = tmp.resolve("data");
    QueryCommandTest.Run r =
        QueryCommandTest.run(
            Main.commandLine(),
            "data",
            "download",
            "--dir",
            dir.toString(),
            "--url",
            url(),
            "--checksum",
            "sha256:" + sha256,
            "--records-per-file",
            "4");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("CIFAR-10 is ready in"), r.out());
    assertTrue(r.err().contains("downloading") && r.err().contains("#"), r.err());
    assertTrue(Files.isRegularFile(dir.resolve("cifar-10-batches-bin/test_batch.bin")));
  }

  @Test
  void aWrongChecksumIsRefusedAndLeavesNoDataFolder() {
    Path dir = tmp.resolve("data");
    QueryCommandTest.Run r =
        QueryCommandTest.run(
            Main.commandLine(),
            "data",
            "download",
            "--dir",
            dir.toString(),
            "--url",
            url(),
            "--checksum",
            "sha256:" + "0".repeat(64),
            "--records-per-file",
            "4");
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(
        r.err().toLowerCase(java.util.Locale.ROOT).contains("checksum")
            || r.err().contains("SHA-256"),
        r.err());
    assertFalse(Files.exists(dir.resolve("cifar-10-batches-bin")));
  }
}
