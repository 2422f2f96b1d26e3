package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionsTest {
  @TempDir Path tmp;

  @Test
  void warehouseUriIsAbsoluteWithoutTrailingSlash() {
    String uri = Sessions.warehouseUri("warehouse/");
    assertEquals(
        Path.of("warehouse").toAbsolutePath().toUri().toString().replaceAll("/$", ""), uri);
    assertTrue(uri.startsWith("file:/"), uri);
    assertEquals("hdfs://nn:8020/sweep/wh", Sessions.warehouseUri("hdfs://nn:8020/sweep/wh/"));
    assertEquals("s3a://bucket/wh", Sessions.warehouseUri("s3a://bucket/wh"));
    assertThrows(IllegalArgumentException.class, () -> Sessions.warehouseUri(" "));
  }

  @Test
  void defaultsFileIsReadLikeSparkSubmitReadsIt() throws Exception {
    Path file = tmp.resolve("spark-defaults.conf");
    Files.writeString(
        file,
        """
        # comment
        spark.master            local[3]
        spark.executor.memory=2g

        spark.driver.maxResultSize   4g
        """);
    assertEquals(
        Map.of(
            "spark.master", "local[3]",
            "spark.executor.memory", "2g",
            "spark.driver.maxResultSize", "4g"),
        Sessions.readDefaults(file));
  }

  @Test
  void explicitSettingsWinOverTheDefaultsFile() throws Exception {
    Path file = tmp.resolve("spark-defaults.conf");
    Files.writeString(file, "spark.master local[3]\nspark.executor.memory 2g\n");
    SparkConf fromFile =
        Sessions.builder().defaultsFile(file).config("spark.executor.memory", "3g").sparkConf();
    assertEquals("local[3]", fromFile.get("spark.master"));
    assertEquals("3g", fromFile.get("spark.executor.memory"));
    assertEquals(
        Sessions.MAX_RESULT_SIZE,
        fromFile.get("spark.driver.maxResultSize"),
        "finite: executors write the models, results are metrics");
    assertEquals(
        "local[1]",
        Sessions.builder().defaultsFile(file).master("local[1]").sparkConf().get("spark.master"));
    assertEquals(Sessions.DEFAULT_MASTER, Sessions.builder().sparkConf().get("spark.master"));
    assertEquals(
        Sessions.warehouseUri(tmp.resolve("w").toString()),
        Sessions.builder()
            .warehouse(tmp.resolve("w").toString())
            .sparkConf()
            .get("spark.sql.warehouse.dir"));
  }

  @Test
  void noAppJarWhenRunningFromAClassesFolder() {
    assertNull(Sessions.appJar());
    assertTrue(
        !Sessions.builder().master("spark://127.0.0.1:1").sparkConf().contains("spark.jars"),
        "nothing to ship from target/classes");
  }

  @Test
  void aFreshWarehouseHasEmptyTablesAndOtherParquetFoldersAreRegistered() {
    Path warehouse = tmp.resolve("fresh-warehouse");
    SparkSession spark = LocalSpark.session(warehouse.toString());
    assertEquals(0L, spark.sql("SELECT count(*) FROM trials").first().getLong(0));
    assertEquals(0L, spark.sql("SELECT count(*) FROM epochs").first().getLong(0));
    assertEquals(0L, spark.sql("SELECT count(*) FROM rungs").first().getLong(0));
    assertTrue(!Files.exists(warehouse), "naming the tables creates nothing");

    spark.range(3).toDF("n").write().parquet(warehouse.resolve("notes").toUri().toString());
    Sessions.registerTables(spark, Sessions.warehouseUri(warehouse.toString()));
    assertEquals(3L, spark.sql("SELECT sum(n) FROM notes").first().getLong(0));

    Path other = tmp.resolve("other-warehouse");
    String otherUri = Sessions.warehouseUri(other.toString());
    ResultTables.ensureTables(spark, otherUri);
    ResultTables.append(
        spark,
        otherUri,
        ResultTables.TRIALS_TABLE,
        List.of(TrialRows.trialRow("o", DeltaTablesTest.result(0, 0.5), null)));
    SparkSession again = LocalSpark.session(other.toString());
    assertEquals(1L, again.sql("SELECT count(*) FROM trials").first().getLong(0));
    assertTrue(Files.isDirectory(other.resolve("trials").resolve("_delta_log")));
  }

  @Test
  void sqlTasksLoadClassesLocallyNotFromTheDriversClassServer() {
    // With Spark 4's per-session artifact isolation, a SQL task's classes come through an
    // ExecutorClassLoader that asks the driver's RPC server for every name Janino probes; in local
    // mode that fetch hung for 120 s and failed a search's first Delta job. Sessions turns it off.
    SparkSession spark = LocalSpark.session(tmp.resolve("w").toString());
    String loaders =
        String.join(
            " > ",
            spark
                .range(1)
                .map((MapFunction<Long, String>) SessionsTest::classLoaders, Encoders.STRING())
                .collectAsList());
    assertFalse(loaders.contains("ExecutorClassLoader"), loaders);
    assertEquals("false", spark.conf().get("spark.sql.artifact.isolation.enabled"));
  }

  private static String classLoaders(Long ignored) {
    StringBuilder chain = new StringBuilder();
    for (ClassLoader l = Thread.currentThread().getContextClassLoader();
        l != null;
        l = l.getParent()) {
      chain.append(l.getClass().getName()).append(' ');
    }
    return chain.toString();
  }
}
