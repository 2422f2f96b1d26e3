package io.sparksweep.cli.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import io.sparksweep.cli.Main;
import io.sparksweep.cli.reliability.ChildJvm;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.spark.ClusterSecret;
import io.sparksweep.spark.LocalSpark;
import io.sparksweep.spark.RpcProbe;
import io.sparksweep.spark.StandaloneCluster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalog.Table;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A real standalone cluster secured as the scripts secure theirs ({@link StandaloneCluster}: the
 * project's {@code conf/spark-defaults.conf}, a fresh secret in the master's and worker's
 * environment) admits only clients holding its secret, and a search that holds it — {@code
 * sparksweep search} in a child JVM, given the secret as a file exactly as {@code jobs/sparksweep}
 * gives it — runs every trial and leaves the secret in none of its outputs: the driver's logs and
 * progress lines, the cluster's and executors' logs, the event log, {@code run.json}, the models,
 * every string column of every table, and the rendered report.
 */
@Tag("slow")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClusterSecurityTest {
  private static final String RUN_ID = "secret-grep";
  private static final int TRIALS = 3;

  @TempDir Path tmp;
  private StandaloneCluster cluster;
  private String secret;

  @BeforeAll
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void startCluster() throws Exception {
    cluster =
        StandaloneCluster.start(ProjectFiles.path("target/standalone-security-test"), 1, 1, "1g");
    secret = ClusterSecret.read(cluster.secretFile());
  }

  @AfterAll
  void stopCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private Map<String, String> withSecret(String secret, boolean crypto) {
    return Map.of(
        "spark.authenticate",
        "true",
        "spark.authenticate.secret",
        secret,
        "spark.network.crypto.enabled",
        Boolean.toString(crypto),
        "spark.network.crypto.saslFallback",
        "false");
  }

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void theMasterRefusesClientsWithoutItsSecret() {
    Throwable noSecret = RpcProbe.lookUpMaster(cluster.masterUrl(), Map.of());
    assertNotNull(noSecret, "a client without the secret was admitted");

    byte[] other = new byte[32];
    new SecureRandom().nextBytes(other);
    Throwable wrongSecret =
        RpcProbe.lookUpMaster(
            cluster.masterUrl(), withSecret(HexFormat.of().formatHex(other), true));
    assertNotNull(wrongSecret, "a client with a wrong secret was admitted");

    Throwable unencrypted = RpcProbe.lookUpMaster(cluster.masterUrl(), withSecret(secret, false));
    assertNotNull(unencrypted, "a client that would not encrypt (SASL) was admitted");

    // The control: the same client with the cluster's secret is admitted, so the refusals above are
    // the secret's doing, not a dead master.
    Throwable admitted = RpcProbe.lookUpMaster(cluster.masterUrl(), withSecret(secret, true));
    assertNull(admitted, () -> "the client with the secret was refused: " + admitted);

    String masterLog = cluster.logTail("master", 10_000);
    assertTrue(masterLog.contains("authentication enabled"), masterLog);
    assertFalse(masterLog.contains("REST server"), "the REST submission server stays off");
  }

  @Test
  @Timeout(value = 25, unit = TimeUnit.MINUTES) // a loaded 2-core machine took 13 min
  void aSearchWithTheSecretRunsAndLeavesItNowhere() throws Exception {
    Path data = SyntheticCifar.writeFolder(tmp, 100, 21);
    Path grid = tmp.resolve("grid.yaml");
    Files.writeString(
        grid,
        """
        name: secret-grep
        seed: 3
        model: fc
        hidden_dims: [[20]]
        learning_rate: 1e-3
        weight_scale: [1e-2, 3e-2, 1e-1]
        num_train: 200
        num_epochs: 1
        batch_size: 50
        """);
    Path warehouse = tmp.resolve("warehouse");
    Path runs = tmp.resolve("runs");
    Path events = Files.createDirectories(tmp.resolve("events"));
    ChildJvm search =
        ChildJvm.start(
            tmp,
            "search",
            SmallDataSearch.class,
            List.of(),
            List.of(
                "--grid",
                grid.toString(),
                "--data",
                data.toString(),
                "--master",
                cluster.masterUrl(),
                "--warehouse",
                warehouse.toString(),
                "--runs-dir",
                runs.toString(),
                "--run-id",
                RUN_ID,
                "--top-k",
                "1",
                "--spark-defaults",
                StandaloneCluster.DEFAULTS.toString(),
                "--secret-file",
                cluster.secretFile().toString(),
                "--conf",
                "spark.jars=" + cluster.buildAppJar(),
                "--conf",
                "spark.executor.memory=512m",
                "--conf",
                "spark.cores.max=1",
                "--conf",
                "spark.ui.enabled=false",
                "--conf",
                "spark.eventLog.enabled=true",
                "--conf",
                "spark.eventLog.compress=false",
                "--conf",
                "spark.eventLog.dir=" + events.toUri()));
    assertTrue(search.process.waitFor(15, TimeUnit.MINUTES), "the search did not finish");
    String stdout = search.stdout();
    String stderr = search.stderr();
    assertEquals(0, search.process.exitValue(), stdout + stderr);
    assertTrue(stdout.contains(TRIALS + " OK, 0 diverged, 0 failed"), stdout + stderr);

    SparkSession spark = LocalSpark.session(warehouse.toString());
    long recorded =
        spark.sql("SELECT count(*) FROM trials WHERE run_id = '" + RUN_ID + "'").first().getLong(0);
    assertEquals(TRIALS, recorded, "every trial is recorded");

    // The event log holds the driver's settings: the secret's key is there (so the driver held it)
    // with Spark's redacted value.
    String eventLog = readAll(events);
    assertTrue(eventLog.contains("\"spark.authenticate.secret\""), "the event log lists the key");
    assertTrue(eventLog.contains("\"spark.authenticate\":\"true\""), "authentication was on");

    Path report = tmp.resolve("report");
    assertEquals(
        0,
        run(
            "report",
            "--run",
            RUN_ID,
            "--warehouse",
            warehouse.toString(),
            "--out",
            report.toString()));
    assertTrue(Files.isRegularFile(report.resolve("index.html")));

    List<String> forms = secretForms(secret);
    List<String> leaks = new ArrayList<>();
    for (Path root : List.of(tmp, cluster.dir())) {
      leaks.addAll(filesContaining(root, forms));
    }
    leaks.addAll(tableCellsContaining(spark, forms));
    assertEquals(List.of(), leaks, "the secret leaked");
    assertTrue(stdout.contains(TRIALS + "/" + TRIALS), "progress lines were printed");
  }

  /** The secret as written, in capitals, and base64-encoded (as Spark encodes secret files). */
  private static List<String> secretForms(String secret) {
    return List.of(
        secret,
        secret.toUpperCase(Locale.ROOT),
        Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.US_ASCII)));
  }

  /** Every regular file under {@code root} (links not followed) that holds one of {@code forms}. */
  private List<String> filesContaining(Path root, List<String> forms) throws IOException {
    List<String> hits = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f :
          files
              .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
              .filter(p -> !p.equals(cluster.secretFile().toAbsolutePath()))
              .toList()) {
        String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
        for (String form : forms) {
          if (text.contains(form)) {
            hits.add(f.toString());
          }
        }
      }
    }
    return hits;
  }

  /** Every string cell of every table in the session's catalog that holds one of {@code forms}. */
  private static List<String> tableCellsContaining(SparkSession spark, List<String> forms) {
    List<String> hits = new ArrayList<>();
    List<Table> tables = spark.catalog().listTables().collectAsList();
    assertTrue(tables.size() >= 2, "tables: " + tables);
    for (Table t : tables) {
      Dataset<Row> rows = spark.table(t.name());
      List<String> columns = new ArrayList<>();
      for (StructField f : rows.schema().fields()) {
        if (f.dataType().equals(DataTypes.StringType)) {
          columns.add(f.name());
        }
      }
      for (Row r : rows.collectAsList()) {
        for (String c : columns) {
          String v = r.getAs(c);
          for (String form : forms) {
            if (v != null && v.contains(form)) {
              hits.add(t.name() + "." + c);
            }
          }
        }
      }
    }
    return hits;
  }

  private static String readAll(Path dir) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        all.append(Files.readString(f, StandardCharsets.UTF_8));
      }
    }
    return all.toString();
  }

  private static int run(String... args) {
    CommandLine cmd = Main.commandLine();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(new StringWriter(), true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    if (code != 0) {
      System.err.println(err);
    }
    return code;
  }
}
