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
          "Folder or URI of the results tables (Parquet: <DIR>/trials, <DIR>/epochs)."
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

  @Option(
      names = "--secret-file",
      paramLabel = "FILE",
      defaultValue = "${env:SPARKSWEEP_SECRET_FILE}",
      description =
          "The spark:// cluster's authentication secret, a file only you can read (default:"
              + " $SPARKSWEEP_SECRET_FILE, set by jobs/sparksweep while jobs/standalone-cluster.sh"
              + " runs). Never pass the secret itself on a command line.")
  Path secretFile;

  /** Opens (or joins) the session and registers the warehouse's tables. */
  SparkSession session(String appName) {
    return settings(appName).getOrCreate();
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
