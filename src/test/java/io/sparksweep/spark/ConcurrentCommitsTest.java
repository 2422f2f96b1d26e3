package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.cli.reliability.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two JVMs commit to one {@code file:} table as fast as they can ({@link KernelAppenderMain}):
 * every batch of both ends up in the table exactly once, and the log is one file per version with
 * no gap. Delta's own local log store excludes writers within one JVM only; {@link
 * ExclusiveLocalLogStore} publishes each version with an exclusive hard link.
 */
@Tag("slow")
class ConcurrentCommitsTest {
  private static final int BATCHES = 40;

  @TempDir Path tmp;

  @Test
  void twoJvmsAppendingToOneLocalTableLoseNothingAndWriteEachVersionOnce() throws Exception {
    String uri = Sessions.warehouseUri(tmp.resolve("w").toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    String table = ResultTables.location(uri, ResultTables.TRIALS_TABLE);
    Path go = tmp.resolve("go");
    List<ChildJvm> jvms = new ArrayList<>();
    try {
      for (String run : List.of("a", "b")) {
        jvms.add(
            ChildJvm.start(
                tmp,
                "appender-" + run,
                KernelAppenderMain.class,
                List.of(),
                List.of(table, run, Integer.toString(BATCHES), go.toString())));
      }
      for (ChildJvm jvm : jvms) {
        await(jvm, "READY");
      }
      Files.createFile(go);
      for (ChildJvm jvm : jvms) {
        assertTrue(jvm.process.waitFor(5, TimeUnit.MINUTES), "appender still running: " + jvm);
        assertEquals(0, jvm.process.exitValue(), jvm.stderr());
        assertEquals("READY\nDONE " + BATCHES, jvm.stdout().trim(), jvm.stderr());
      }
    } finally {
      jvms.forEach(j -> j.process.destroyForcibly());
    }
    // The log: versions 0 (creation) .. 2 × BATCHES, one file each, no gap.
    Path log = Path.of(java.net.URI.create(table)).resolve("_delta_log");
    TreeSet<Long> versions = new TreeSet<>();
    try (Stream<Path> files = Files.list(log)) {
      files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.matches("\\d{20}\\.json"))
          .forEach(n -> versions.add(Long.parseLong(n.substring(0, 20))));
    }
    assertEquals(2L * BATCHES + 1, versions.size(), "commit files");
    assertEquals(2L * BATCHES, versions.last());
    // Spark's Delta (version 0) and Kernel (the appends) both published through our store, which
    // writes no Hadoop .crc beside a commit (Delta's local store does, one per commit).
    try (Stream<Path> files = Files.list(log)) {
      List<String> crcs =
          files
              .map(p -> p.getFileName().toString())
              .filter(n -> n.matches("\\.\\d{20}\\.json\\.crc"))
              .toList();
      assertEquals(List.of(), crcs, "commits written by another log store");
    }
    // Every row once, as Spark's Delta reads them; each run's transaction version is its last.
    for (String run : List.of("a", "b")) {
      long rows = spark.read().format("delta").load(table).where("run_id = '" + run + "'").count();
      assertEquals(2L * BATCHES, rows, "rows of run " + run);
      long distinct =
          spark
              .read()
              .format("delta")
              .load(table)
              .where("run_id = '" + run + "'")
              .select("trial_key")
              .distinct()
              .count();
      assertEquals(2L * BATCHES, distinct, "distinct trials of run " + run);
      KernelCommits kernel = new KernelCommits(spark.sparkContext().hadoopConfiguration());
      assertEquals(BATCHES - 1L, kernel.lastVersion(table, run));
    }
  }

  @Test
  void twoJvmsWritingTheSameVersionsGetOneWinnerEachAndItsContent() throws Exception {
    int versions = 3000;
    Path dir = tmp.resolve("log");
    Files.createDirectories(dir);
    Path go = tmp.resolve("go-store");
    List<ChildJvm> jvms = new ArrayList<>();
    List<String> tags = List.of("left", "right");
    try {
      for (String tag : tags) {
        jvms.add(
            ChildJvm.start(
                tmp,
                "writer-" + tag,
                LogStoreWriterMain.class,
                List.of(),
                List.of(
                    ExclusiveLocalLogStore.class.getName(),
                    dir.toUri().toString(),
                    tag,
                    Integer.toString(versions),
                    go.toString())));
      }
      for (ChildJvm jvm : jvms) {
        await(jvm, "READY");
      }
      Files.createFile(go);
      java.util.Map<Integer, String> winner = new java.util.HashMap<>();
      for (int j = 0; j < jvms.size(); j++) {
        ChildJvm jvm = jvms.get(j);
        assertTrue(jvm.process.waitFor(5, TimeUnit.MINUTES), "writer still running: " + jvm);
        assertEquals(0, jvm.process.exitValue(), jvm.stderr());
        String out = jvm.stdout().trim();
        assertTrue(out.startsWith("READY\nWON"), out);
        String list = out.substring("READY\nWON".length()).trim();
        for (String v : list.isEmpty() ? new String[0] : list.split(",")) {
          String before = winner.put(Integer.parseInt(v), tags.get(j));
          assertEquals(null, before, "version " + v + " was won by both JVMs");
        }
      }
      assertEquals(versions, winner.size(), "versions won by neither JVM");
      // Each file holds its winner's line, read through Hadoop's checksummed local file system.
      org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
      org.apache.hadoop.fs.FileSystem fs = org.apache.hadoop.fs.FileSystem.getLocal(conf);
      for (int v = 0; v < versions; v++) {
        org.apache.hadoop.fs.Path file =
            new org.apache.hadoop.fs.Path(dir.toUri().toString(), v + ".json");
        try (var in = fs.open(file)) {
          String text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
          assertEquals(winner.get(v) + "\n", text, "content of version " + v);
        }
      }
    } finally {
      jvms.forEach(j -> j.process.destroyForcibly());
    }
  }

  private static void await(ChildJvm jvm, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!jvm.stdout().contains(line)) {
      assertTrue(jvm.process.isAlive(), "appender died: " + jvm.stderr());
      assertTrue(System.nanoTime() < deadline, "no " + line + " from " + jvm + ": " + jvm.stderr());
      Thread.sleep(20);
    }
  }
}
