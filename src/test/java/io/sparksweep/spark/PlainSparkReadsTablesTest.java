package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tables a search commits are read by a plain Spark session in another JVM whose classpath
 * holds Spark and Delta Lake only — none of sparksweep's classes — through the warehouse's {@code
 * catalog.sql} and by path, as the README tells a {@code spark-sql} user to.
 */
class PlainSparkReadsTablesTest {
  @TempDir Path tmp;

  private static final String PROGRAM =
      """
      import org.apache.spark.sql.SparkSession;
      import java.nio.file.*;

      public class PlainRead {
        public static void main(String[] args) throws Exception {
          SparkSession spark = SparkSession.builder().master("local[1]").appName("plain")
              .config("spark.ui.enabled", "false")
              .config("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
              .config("spark.sql.catalog.spark_catalog",
                  "org.apache.spark.sql.delta.catalog.DeltaCatalog")
              .getOrCreate();
          String catalog = Files.readString(Path.of(args[0], "catalog.sql"));
          for (String s : catalog.split(";\\n")) {
            if (s.contains("CREATE")) spark.sql(s.substring(s.indexOf("CREATE")));
          }
          var r = spark.sql("SELECT count(*), count(DISTINCT trial_key), max(best_val_acc)"
              + " FROM trials WHERE run_id = 'plain'").first();
          System.out.println("TRIALS " + r.getLong(0) + " " + r.getLong(1) + " " + r.getDouble(2));
          long epochs = spark.sql("SELECT count(*) FROM delta.`" + args[0] + "/epochs`"
              + " WHERE run_id = 'plain'").first().getLong(0);
          System.out.println("EPOCHS " + epochs);
          spark.stop();
        }
      }
      """;

  @Test
  void aSessionWithOnlySparkAndDeltaReadsWhatASearchCommitted() throws Exception {
    Path w = tmp.resolve("w");
    String uri = Sessions.warehouseUri(w.toString());
    SparkSession spark = LocalSpark.session(uri);
    ResultTables.ensureTables(spark, uri);
    List<Row> trials = DeltaTablesTest.trialRows("plain", 0, 3);
    List<Row> epochs = DeltaTablesTest.epochRows("plain", 0, 3);
    ResultTables.commitBatch(spark, uri, "plain", 0, trials, epochs);
    ResultTables.commitBatch(spark, uri, "plain", 0, trials, epochs); // a no-op

    Path source = tmp.resolve("PlainRead.java");
    Files.writeString(source, PROGRAM, StandardCharsets.UTF_8);
    String classpath =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(e -> !e.contains("target" + File.separator + "classes"))
            .filter(e -> !e.contains("target" + File.separator + "test-classes"))
            .filter(e -> !e.contains("sparksweep"))
            .collect(Collectors.joining(File.pathSeparator));
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx1g");
    ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
        .filter(a -> a.startsWith("--add-") || a.startsWith("-Dio.netty."))
        .forEach(cmd::add);
    cmd.addAll(List.of("-cp", classpath, source.toString(), w.toString()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Path out = tmp.resolve("plain.out");
    Path err = tmp.resolve("plain.err");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    assertTrue(p.waitFor(5, TimeUnit.MINUTES), "the plain session did not finish");
    String stdout = Files.readString(out);
    assertEquals(0, p.exitValue(), stdout + Files.readString(err));
    double best = trials.stream().mapToDouble(r -> r.getAs("best_val_acc")).max().orElseThrow();
    assertTrue(
        stdout.contains("TRIALS " + trials.size() + " " + trials.size() + " " + best), stdout);
    assertTrue(stdout.contains("EPOCHS " + epochs.size()), stdout);
  }
}
