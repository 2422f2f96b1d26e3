package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.sparksweep.data.Cifar10Reader;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.spark.FakeTrials;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A command that needs CIFAR-10 and finds none in its default data folder downloads it there (from
 * a server on 127.0.0.1 serving a synthetic tarball: no network), checksum-checked and atomically;
 * {@code --no-download} refuses in one line; another {@code --data} is never downloaded into. The
 * default folder is pointed at a temporary one with {@code -Dsparksweep.data}.
 */
class DataAutoDownloadTest {
  private static final int PER_FILE = 120;
  @TempDir Path tmp;
  private HttpServer server;
  private byte[] tarball;
  private String sha256;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicBoolean cutShort = new AtomicBoolean();
  private Path data;

  @BeforeEach
  void serve() throws Exception {
    Path file = SyntheticCifar.writeTarGz(tmp.resolve("served.tar.gz"), PER_FILE, 5);
    tarball = Files.readAllBytes(file);
    sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(tarball));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(200, tarball.length);
          OutputStream out = exchange.getResponseBody();
          if (cutShort.get()) { // the connection drops halfway
            out.write(tarball, 0, tarball.length / 2);
            out.flush();
            exchange.close();
            return;
          }
          out.write(tarball);
          out.close();
        });
    server.start();
    data = tmp.resolve("data");
    System.setProperty("sparksweep.data", data.toString());
  }

  @AfterEach
  void stop() {
    System.clearProperty("sparksweep.data");
    server.stop(0);
  }

  private List<String> download(String checksum) {
    return List.of(
        "--download-url",
        "http://127.0.0.1:" + server.getAddress().getPort() + "/cifar-10-binary.tar.gz",
        "--download-checksum",
        checksum);
  }

  private static QueryCommandTest.Run train(List<String> more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--records-per-file",
                "" + PER_FILE,
                "--hidden-dims",
                "20",
                "--epochs",
                "1",
                "--batch-size",
                "40",
                "--num-train",
                "200"));
    args.addAll(more);
    return QueryCommandTest.run(Main.commandLine(), args.toArray(String[]::new));
  }

  private List<String> listing() throws Exception {
    if (!Files.isDirectory(data)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(data)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void trainDownloadsIntoTheDefaultFolderThenReadsIt() throws Exception {
    QueryCommandTest.Run r = train(download("sha256:" + sha256));
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(
        r.err().contains("no CIFAR-10 in " + data + ": downloading http://127.0.0.1:"), r.err());
    assertTrue(
        r.err().contains("downloading") && r.err().contains("#"), "a progress bar:\n" + r.err());
    assertTrue(r.out().contains("test_acc: "), r.out());
    assertEquals(List.of("cifar-10-batches-bin", "cifar-10-binary.tar.gz"), listing());
    assertEquals(5 * PER_FILE, Cifar10Reader.withRecordsPerFile(PER_FILE).read(data).numTrain());
    assertEquals(1, requests.get());

    QueryCommandTest.Run again = train(download("sha256:" + sha256));
    assertEquals(0, again.exitCode(), again.err());
    assertFalse(again.err().contains("downloading"), again.err());
    assertEquals(1, requests.get(), "found the data: nothing fetched the second time");
  }

  @Test
  void aChecksumMismatchIsRefusedAndLeavesNoData() throws Exception {
    QueryCommandTest.Run r = train(download("sha256:" + "0".repeat(64)));
    assertEquals(2, r.exitCode(), r.err());
    List<String> errors = r.err().lines().filter(l -> l.startsWith("error: ")).toList();
    assertEquals(1, errors.size(), r.err());
    assertTrue(
        errors.get(0).contains("SHA-256 is " + sha256 + ", expected " + "0".repeat(64)), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals(List.of(), listing(), "no tarball, no .part, no folder");
  }

  @Test
  void anInterruptedDownloadLeavesNothingHalfWritten() throws Exception {
    cutShort.set(true);
    QueryCommandTest.Run r = train(download("sha256:" + sha256));
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains("cannot be downloaded"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
    assertEquals(List.of(), listing(), "no tarball, no .part, no folder");
  }

  @Test
  void noDownloadSaysWhatToDoInOneLine() throws Exception {
    QueryCommandTest.Run r = train(List.of("--no-download"));
    assertEquals(2, r.exitCode(), r.err());
    assertEquals(
        List.of(
            "error: "
                + data
                + ": holds no CIFAR-10 and --no-download forbids fetching it. Run `jobs/sparksweep"
                + " data download --dir "
                + data
                + "` (or leave out --no-download), or pass --data DIR where it is"),
        r.err().lines().toList());
    assertEquals(0, requests.get());
    assertEquals(List.of(), listing());
  }

  @Test
  void anotherDataFolderThatHoldsNothingIsNotDownloadedInto() {
    Path elsewhere = tmp.resolve("typo");
    List<String> more = new ArrayList<>(download("sha256:" + sha256));
    more.addAll(List.of("--data", elsewhere.toString()));
    QueryCommandTest.Run r = train(more);
    assertEquals(2, r.exitCode(), r.err());
    assertTrue(r.err().contains(elsewhere + ": does not exist"), r.err());
    assertEquals(0, requests.get());
    assertFalse(Files.exists(elsewhere));
  }

  @Test
  void searchWithNoDownloadRefusesInOneLine() throws Exception {
    Path grid = Files.writeString(tmp.resolve("g.yaml"), "hidden_dims: [10]\n");
    QueryCommandTest.Run r =
        QueryCommandTest.run(
            Main.commandLine(),
            "search",
            "--grid",
            grid.toString(),
            "--warehouse",
            tmp.resolve("warehouse").toString(),
            "--no-download");
    assertEquals(2, r.exitCode(), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertTrue(
        r.err().startsWith("error: " + data + ": holds no CIFAR-10 and --no-download"), r.err());
    assertEquals(0, requests.get());
  }

  @Test
  void searchDownloadsBeforeItReadsTheData() throws Exception {
    Path grid =
        Files.writeString(
            tmp.resolve("g.yaml"), "hidden_dims: [10]\nnum_train: 100\nbatch_size: 50\n");
    List<Path> asked = new ArrayList<>();
    SearchCommand.Wiring wiring =
        new SearchCommand.Wiring(
            (file, force) -> io.sparksweep.search.GridSpec.parse(file).expand(force),
            dir -> {
              asked.add(dir);
              return Cifar10Reader.withRecordsPerFile(PER_FILE).read(dir);
            },
            new FakeTrials(0),
            settings -> {
              throw new IllegalArgumentException("stop before Spark");
            });
    List<String> args =
        new ArrayList<>(
            List.of(
                "--grid",
                grid.toString(),
                "--warehouse",
                tmp.resolve("warehouse").toString(),
                "--download-records-per-file",
                "" + PER_FILE));
    args.addAll(download("sha256:" + sha256));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new SearchCommand(wiring));
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    cl.execute(args.toArray(String[]::new));
    assertTrue(err.toString().contains("no CIFAR-10 in " + data), err.toString());
    assertEquals(List.of(data), asked, "read from the default folder after the download");
    assertEquals(List.of("cifar-10-batches-bin", "cifar-10-binary.tar.gz"), listing());
  }
}
