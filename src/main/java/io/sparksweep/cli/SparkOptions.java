package io.sparksweep.cli;

import io.sparksweep.spark.Sessions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Option;

/** The Spark options shared by the commands that open a session ({@code search}, {@code query}). */
final class SparkOptions {
  @Option(
      names = "--master",
      paramLabel = "URL",
      description =
          "Spark master: local[*] (default), local[N], spark://host:7077, yarn, k8s://…."
              + " Default: spark.master from --spark-defaults or -Dspark.master, else local[*].")
  String master;

  @Option(
      names = "--warehouse",
      paramLabel = "DIR|URI",
      defaultValue = Sessions.DEFAULT_WAREHOUSE,
      description =
          "Folder or URI of the results tables (Delta Lake: <DIR>/trials, <DIR>/epochs,"
              + " <DIR>/rungs)."
              + " Default: ${DEFAULT-VALUE}.")
  String warehouse;

  @Option(
      names = "--conf",
      paramLabel = "KEY=VALUE",
      description = "Extra Spark setting, e.g. --conf spark.executor.memory=4g (repeatable).")
  Map<String, String> conf = new LinkedHashMap<>();

  @Option(
      names = "--spark-defaults",
      paramLabel = "FILE",
      defaultValue = "${env:SPARKSWEEP_SPARK_DEFAULTS}",
      description =
          "spark-defaults.conf-style file applied first (default: $SPARKSWEEP_SPARK_DEFAULTS,"
              + " set by jobs/sparksweep to conf/spark-defaults.conf).")
  Path sparkDefaults;

  /**
   * The warehouse when it is a local path that does not exist (checked without Spark), else null;
   * other file systems are checked by the session.
   */
  String missingWarehouse() {
    String uri = Sessions.warehouseUri(warehouse);
    if (uri.startsWith("file:") && !java.nio.file.Files.exists(Path.of(java.net.URI.create(uri)))) {
      return warehouse;
    }
    return null;
  }

  @Option(
      names = "--secret-file",
      paramLabel = "FILE",
      defaultValue = "${env:SPARKSWEEP_SECRET_FILE}",
      description =
          "The spark:// cluster's authentication secret, a file only you can read (default:"
              + " $SPARKSWEEP_SECRET_FILE, set by jobs/sparksweep while jobs/standalone-cluster.sh"
              + " runs). Never pass the secret itself on a command line.")
  Path secretFile;

  /** Opens the session from checked settings; a test replaces it to see that none opens. */
  SearchCommand.SessionOpener opener = Sessions.Builder::getOrCreate;

  /**
   * Checks every Spark-level input before any session exists ({@link SparkInputs}): the defaults
   * file, the master (and that a {@code spark://} one answers), each setting's value, and the
   * warehouse's file system.
   *
   * @param uris more folders or URIs by option (e.g. {@code --runs-dir}) to check the same way
   * @throws IllegalArgumentException on the first problem, in one line
   */
  void check(Map<String, String> uris) {
    Sessions.quietLogging();
    Map<String, String> all = new LinkedHashMap<>();
    all.put("--warehouse", warehouse);
    all.putAll(uris);
    SparkInputs.check(sparkDefaults, conf, master, all);
  }

  /** Checks the inputs, then opens (or joins) the session and registers the warehouse's tables. */
  SparkSession session(String appName) {
    return session(settings(appName));
  }

  /**
   * A session that only reads the tables: they are named over their latest snapshots' Parquet files
   * ({@link Sessions#registerSnapshotTables}), so its first query pays no Delta start.
   */
  SparkSession readingSession(String appName) {
    return session(settings(appName).snapshotViews(true));
  }

  private SparkSession session(Sessions.Builder settings) {
    check(Map.of());
    SparkInputs.checkNotAFile(
        "--warehouse", warehouse, "the folder of the results tables (created if missing)");
    return opener.open(settings);
  }

  /** The session's settings, not yet applied. */
  Sessions.Builder settings(String appName) {
    Sessions.Builder b = Sessions.builder().appName(appName).master(master).warehouse(warehouse);
    if (sparkDefaults != null) {
      b.defaultsFile(sparkDefaults);
    }
    conf.forEach(b::config);
    return b.secretFile(secretFile);
  }
}
