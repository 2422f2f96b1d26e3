package io.sparksweep.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sparksweep.data.Cifar10Download.Checksum;
import io.sparksweep.data.Cifar10Download.Stage;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10DownloadTest {
  private static final int PER_FILE = 3;
  private static final long SEED = 11;
  private static final Cifar10Reader READER = Cifar10Reader.withRecordsPerFile(PER_FILE);

  @TempDir Path tmp;
  private HttpServer server;
  private byte[] tarball;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serveASyntheticTarball() throws IOException {
    Path file = SyntheticCifar.writeTarGz(tmp.resolve("served.tar.gz"), PER_FILE, SEED);
    tarball = Files.readAllBytes(file);
    Files.delete(file);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          boolean found = exchange.getRequestURI().getPath().equals("/cifar-10-binary.tar.gz");
          byte[] body = found ? tarball : new byte[0];
          exchange.sendResponseHeaders(found ? 200 : 404, found ? body.length : -1);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  private static String digest(String algorithm, byte[] bytes) throws NoSuchAlgorithmException {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  private static List<String> listing(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void downloadsVerifiesAndExtracts() throws Exception {
    Path dir = tmp.resolve("data");
    List<Stage> stages = new ArrayList<>();
    long[] downloaded = {0, 0};
    Cifar10Download download =
        new Cifar10Download(
            url("/cifar-10-binary.tar.gz"), Checksum.md5(digest("MD5", tarball)), READER);
    Path folder =
        download.download(
            dir,
            (stage, done, total) -> {
              stages.add(stage);
              if (stage == Stage.DOWNLOADING) {
                downloaded[0] = done;
                downloaded[1] = total;
              }
            });
    assertEquals(dir.resolve("cifar-10-batches-bin"), folder);
    assertEquals(List.of("cifar-10-batches-bin", "cifar-10-binary.tar.gz"), listing(dir));
    assertArrayEquals(tarball, Files.readAllBytes(dir.resolve("cifar-10-binary.tar.gz")));
    Cifar10Data expected = SyntheticCifar.generate(5 * PER_FILE, PER_FILE, SEED);
    Cifar10Data data = READER.read(folder);
    assertArrayEquals(expected.trainImages(), data.trainImages());
    assertArrayEquals(expected.testLabels(), data.testLabels());
    assertEquals(tarball.length, downloaded[0]);
    assertEquals(tarball.length, downloaded[1]);
    assertEquals(Stage.DONE, stages.get(stages.size() - 1));
    assertTrue(stages.contains(Stage.DOWNLOADING));

    // A second run finds the folder and fetches nothing.
    int before = requests.get();
    assertEquals(folder, download.download(dir, Cifar10Download.Listener.NONE));
    assertEquals(before, requests.get());
  }

  @Test
  void acceptsASha256Checksum() throws Exception {
    Path dir = tmp.resolve("data");
    new Cifar10Download(
            url("/cifar-10-binary.tar.gz"), Checksum.sha256(digest("SHA-256", tarball)), READER)
        .download(dir, Cifar10Download.Listener.NONE);
    assertEquals(5 * PER_FILE, READER.read(dir).numTrain());
  }

  @Test
  void aChecksumMismatchIsRefusedAndLeavesNothing() throws Exception {
    Path dir = tmp.resolve("data");
    String wrong = "0123456789abcdef0123456789abcdef";
    Cifar10Download download =
        new Cifar10Download(url("/cifar-10-binary.tar.gz"), Checksum.md5(wrong), READER);
    DataException e =
        assertThrows(
            DataException.class, () -> download.download(dir, Cifar10Download.Listener.NONE));
    assertTrue(
        e.getMessage().contains("MD5 is " + digest("MD5", tarball) + ", expected " + wrong),
        e::getMessage);
    assertTrue(e.getMessage().contains(url("/cifar-10-binary.tar.gz").toString()));
    assertEquals(List.of(), listing(dir));
  }

  @Test
  void anHttpErrorIsRefusedAndLeavesNothing() throws Exception {
    Path dir = tmp.resolve("data");
    Cifar10Download download =
        new Cifar10Download(url("/missing.tar.gz"), Checksum.md5(digest("MD5", tarball)), READER);
    DataException e =
        assertThrows(
            DataException.class, () -> download.download(dir, Cifar10Download.Listener.NONE));
    assertTrue(e.getMessage().contains("HTTP 404"), e::getMessage);
    assertEquals(List.of(), listing(dir));
  }

  @Test
  void aDamagedArchiveWithTheRightChecksumLeavesNoFolder() throws Exception {
    // Served bytes are valid gzip + tar, but data_batch_1.bin has a bad label.
    byte[] good = tarball;
    Path folder = SyntheticCifar.writeFolder(tmp.resolve("src"), PER_FILE, SEED);
    byte[] batch = Files.readAllBytes(folder.resolve("data_batch_1.bin"));
    batch[3073] = 12;
    Files.write(folder.resolve("data_batch_1.bin"), batch);
    Path bad = tmp.resolve("bad.tar.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(bad))) {
      TarWriter tar = new TarWriter(out);
      for (String name :
          List.of(
              "data_batch_1.bin",
              "data_batch_2.bin",
              "data_batch_3.bin",
              "data_batch_4.bin",
              "data_batch_5.bin",
              "test_batch.bin")) {
        tar.file("cifar-10-batches-bin/" + name, Files.readAllBytes(folder.resolve(name)));
      }
      tar.finish();
    }
    tarball = Files.readAllBytes(bad);
    try {
      Path dir = tmp.resolve("data");
      Cifar10Download download =
          new Cifar10Download(
              url("/cifar-10-binary.tar.gz"), Checksum.md5(digest("MD5", tarball)), READER);
      DataException e =
          assertThrows(
              DataException.class, () -> download.download(dir, Cifar10Download.Listener.NONE));
      assertTrue(e.getMessage().contains("record 1 has label 12"), e::getMessage);
      assertEquals(List.of("cifar-10-binary.tar.gz"), listing(dir));
    } finally {
      tarball = good;
    }
  }

  @Test
  void aTarballAlreadyThereWithTheRightChecksumIsNotFetchedAgain() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("data"));
    Files.write(dir.resolve("cifar-10-binary.tar.gz"), tarball);
    new Cifar10Download(
            url("/cifar-10-binary.tar.gz"), Checksum.md5(digest("MD5", tarball)), READER)
        .download(dir, Cifar10Download.Listener.NONE);
    assertEquals(0, requests.get());
    assertEquals(5 * PER_FILE, READER.read(dir.resolve("cifar-10-batches-bin")).numTrain());
  }

  @Test
  void aDamagedFolderAlreadyThereIsReported() throws Exception {
    Path dir = tmp.resolve("data");
    Path folder = SyntheticCifar.writeFolder(dir, PER_FILE, SEED);
    Files.delete(folder.resolve("test_batch.bin"));
    Cifar10Download download =
        new Cifar10Download(
            url("/cifar-10-binary.tar.gz"), Checksum.md5(digest("MD5", tarball)), READER);
    DataException e =
        assertThrows(
            DataException.class, () -> download.download(dir, Cifar10Download.Listener.NONE));
    assertTrue(e.getMessage().contains("lacks test_batch.bin"), e::getMessage);
  }

  @Test
  void checksumsAreParsedAndValidated() {
    assertEquals(
        Checksum.md5("c32a1d4ab5d03f1284b67883e8d87530"),
        Checksum.parse("MD5:C32A1D4AB5D03F1284B67883E8D87530"));
    assertEquals(
        Cifar10Download.OFFICIAL_MD5, Checksum.parse("md5:c32a1d4ab5d03f1284b67883e8d87530"));
    String sha = "ab".repeat(32);
    assertEquals(new Checksum("SHA-256", sha), Checksum.parse("sha256:" + sha));
    assertThrows(IllegalArgumentException.class, () -> Checksum.md5("c32a"));
    assertThrows(IllegalArgumentException.class, () -> Checksum.md5("z".repeat(32)));
    assertThrows(IllegalArgumentException.class, () -> Checksum.parse("crc:1234"));
    assertThrows(IllegalArgumentException.class, () -> new Checksum("SHA-1", "ab".repeat(20)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new Cifar10Download(URI.create("ftp://x/y"), Cifar10Download.OFFICIAL_MD5, READER));
  }
}
