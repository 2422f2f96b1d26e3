package io.sparksweep.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.DefaultConfiguration;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/**
 * Creates the {@link SparkSession} every command uses (with Delta Lake's session extension and
 * catalog), and names the results tables at session start as temporary views over their Delta
 * tables ({@link #registerTables}).
 *
 * <p>Settings are applied in this order, later ones winning: a {@code spark-defaults.conf}-style
 * file ({@link Builder#defaultsFile}), {@code spark.*} system properties (what {@code spark-submit}
 * passes), then the builder's explicit settings. The master defaults to {@code local[*]}.
 *
 * <pre>{@code
 * try (SparkSession spark = Sessions.builder().appName("query").warehouse("warehouse").getOrCreate()) {
 *   spark.sql("SELECT * FROM trials ORDER BY best_val_acc DESC").show();
 * }
 * }</pre>
 */
public final class Sessions {
  /** The driver's result limit: results carry metrics only, never model bytes. */
  public static final String MAX_RESULT_SIZE = "256m";

  /** Default warehouse folder, relative to the working directory. */
  public static final String DEFAULT_WAREHOUSE = "warehouse";

  /** Default master when neither the builder, a system property nor a defaults file sets one. */
  public static final String DEFAULT_MASTER = "local[*]";

  private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern HAS_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:/.*");

  private Sessions() {}

  /** A new builder with the defaults: master {@code local[*]}, warehouse {@code warehouse/}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Settings for one session. Not thread-safe; use once. */
  public static final class Builder {
    private String master;
    private String appName = "sparksweep";
    private String warehouse = DEFAULT_WAREHOUSE;
    private Path defaultsFile;
    private Path secretFile;
    private boolean quietLogging = true;
    private boolean autoAppJar = true;
    private boolean snapshotViews;
    private final Map<String, String> config = new LinkedHashMap<>();

    private Builder() {}

    /** Master URL ({@code local[4]}, {@code spark://host:7077}, {@code yarn}, …); null keeps it. */
    public Builder master(String master) {
      this.master = master;
      return this;
    }

    /** Application name shown by the cluster manager. */
    public Builder appName(String appName) {
      this.appName = Objects.requireNonNull(appName, "appName");
      return this;
    }

    /** Warehouse folder or URI holding the tables' Parquet folders (default {@code warehouse}). */
    public Builder warehouse(String warehouse) {
      this.warehouse = Objects.requireNonNull(warehouse, "warehouse");
      return this;
    }

    /** A {@code spark-defaults.conf}-style file ({@code key value} lines); null for none. */
    public Builder defaultsFile(Path defaultsFile) {
      this.defaultsFile = defaultsFile;
      return this;
    }

    /**
     * The secret file of the standalone cluster to join ({@link ClusterSecret}); null for none.
     * Used for {@code spark://} masters only.
     */
    public Builder secretFile(Path secretFile) {
      this.secretFile = secretFile;
      return this;
    }

    /** One Spark setting, winning over the defaults file and system properties. */
    public Builder config(String key, String value) {
      config.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Whether to quiet Spark's logging (WARN for Spark, Hadoop and Parquet, INFO for sparksweep)
     * when no log4j2 configuration was given; default true.
     */
    public Builder quietLogging(boolean quietLogging) {
      this.quietLogging = quietLogging;
      return this;
    }

    /**
     * Whether the tables are named as views over their latest snapshots' Parquet files ({@link
     * #registerSnapshotTables}: a reading session's first query without Delta's start) instead of
     * over Delta ({@link #registerTables}); default false.
     */
    public Builder snapshotViews(boolean snapshotViews) {
      this.snapshotViews = snapshotViews;
      return this;
    }

    /**
     * Whether to ship the jar this class was loaded from to executors ({@code spark.jars}) when
     * they are separate JVMs (any master but {@code local}/{@code local[…]}) and {@code spark.jars}
     * is unset; default true.
     */
    public Builder autoAppJar(boolean autoAppJar) {
      this.autoAppJar = autoAppJar;
      return this;
    }

    /**
     * The settings as a {@link SparkConf} (defaults file, system properties, explicit settings).
     */
    public SparkConf sparkConf() {
      SparkConf conf = new SparkConf(true);
      if (defaultsFile != null) {
        for (Map.Entry<String, String> e : readDefaults(defaultsFile).entrySet()) {
          conf.setIfMissing(e.getKey(), e.getValue());
        }
      }
      for (Map.Entry<String, String> e : config.entrySet()) {
        conf.set(e.getKey(), e.getValue());
      }
      if (master != null) {
        conf.setMaster(master);
      }
      conf.setIfMissing("spark.master", DEFAULT_MASTER);
      conf.setIfMissing("spark.app.name", appName);
      if (!config.containsKey("spark.app.name")) {
        conf.setAppName(appName);
      }
      String warehouseUri = warehouseUri(warehouse);
      conf.setIfMissing("spark.sql.warehouse.dir", warehouseUri);
      conf.setIfMissing("spark.ui.showConsoleProgress", "false");
      // The trials table has 32 columns; don't warn about truncating plans that show them.
      conf.setIfMissing("spark.sql.debug.maxToStringFields", "100");
      // Executors write the models themselves (ModelSink): results are metrics, a few KB a trial,
      // so a finite limit (10,000 trials are ~30 MB) guards the driver against a runaway task.
      conf.setIfMissing("spark.driver.maxResultSize", MAX_RESULT_SIZE);
      // The results tables are Delta Lake tables (ResultTables).
      conf.setIfMissing("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
      conf.setIfMissing(
          "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
      // Their logs are small (a few hundred actions per run after OPTIMIZE): rebuilding a
      // snapshot in Delta's default 50 partitions costs seconds of task overhead per commit.
      conf.setIfMissing("spark.databricks.delta.snapshotPartitions", "1");
      // Commits to file: tables exclusive across JVMs too (Delta's local store is per JVM).
      conf.setIfMissing(ExclusiveLocalLogStore.SPARK_KEY, ExclusiveLocalLogStore.class.getName());
      // No per-session artifacts (Spark Connect's isolation): with it on (Spark 4's default) every
      // SQL task loads classes through a remote class loader that asks the driver's RPC server for
      // each name Janino probes (org/apache/spark/sql/catalyst/expressions/Object.class, …); in
      // local mode that fetch hung for 120 s and failed the search's first Delta job
      // (RemoteClassLoaderError, seen at session start and in `query`). The app jar travels in
      // spark.jars, which isolation does not concern.
      conf.setIfMissing("spark.sql.artifact.isolation.enabled", "false");
      ClusterSecret.apply(conf, secretFile);
      String resolvedMaster = conf.get("spark.master");
      boolean inProcess = resolvedMaster.equals("local") || resolvedMaster.startsWith("local[");
      if (autoAppJar && !inProcess && !conf.contains("spark.jars")) {
        String jar = appJar();
        if (jar != null) {
          conf.set("spark.jars", jar);
        }
      }
      return conf;
    }

    /**
     * Creates the session (or returns the JVM's active one, applying the non-static settings) and
     * registers the results tables of the warehouse.
     */
    public SparkSession getOrCreate() {
      if (quietLogging) {
        Sessions.quietLogging();
      }
      SparkSession spark = SparkSession.builder().config(sparkConf()).getOrCreate();
      if (snapshotViews) {
        registerSnapshotTables(spark, warehouseUri(warehouse));
      } else {
        registerTables(spark, warehouseUri(warehouse));
      }
      return spark;
    }
  }

  /**
   * The warehouse as an absolute URI: a path without a scheme is resolved against the working
   * directory ({@code warehouse} → {@code file:/…/warehouse}); a URI ({@code hdfs://…}, {@code
   * s3a://…}, {@code file:/…}) is kept. Never ends with a slash.
   *
   * @param warehouse a folder or URI
   */
  public static String warehouseUri(String warehouse) {
    Objects.requireNonNull(warehouse, "warehouse");
    if (warehouse.isBlank()) {
      throw new IllegalArgumentException("warehouse is blank, expected a folder or URI");
    }
    String uri =
        HAS_SCHEME.matcher(warehouse).matches()
            ? warehouse
            : Path.of(warehouse).toAbsolutePath().normalize().toUri().toString();
    while (uri.endsWith("/") && !uri.endsWith(":/")) {
      uri = uri.substring(0, uri.length() - 1);
    }
    return uri;
  }

  /**
   * A folder given as a path or URI, as a local path: a {@code file:} URI or a plain path (made
   * absolute), or null for a URI of another file system ({@code hdfs://}, {@code s3a://}, …).
   *
   * @param folder a path or URI, not blank
   * @return the local path, or null when the folder is not on the local file system
   */
  public static Path localFolder(String folder) {
    if (HAS_SCHEME.matcher(folder).matches()) {
      URI uri = URI.create(folder);
      return "file".equals(uri.getScheme()) ? Path.of(uri) : null;
    }
    return Path.of(folder).toAbsolutePath().normalize();
  }

  /**
   * Checks, without Spark and without creating anything, that a local folder can be written: it is
   * a folder a file can be created in, or it does not exist and its nearest existing ancestor is a
   * folder it can be created in. Used on the warehouse and the runs folder before any session
   * starts, so a bad one is refused at once. A URI of another file system ({@code hdfs://}, {@code
   * s3a://}, …) cannot be checked without Hadoop's settings and is left to {@link
   * #checkWritable(SparkSession, String, String)}.
   *
   * @param option what the folder is, for the message (e.g. {@code --warehouse})
   * @param folder a path or {@code file:} URI
   * @throws IllegalArgumentException naming the option, the folder, the problem and what is allowed
   */
  public static void checkWritable(String option, String folder) {
    Objects.requireNonNull(folder, option);
    if (folder.isBlank()) {
      throw notWritable(option, folder, "it is blank");
    }
    Path dir = localFolder(folder);
    if (dir == null) {
      return;
    }
    Path existing = dir;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      throw notWritable(option, folder, "no part of the path exists");
    }
    if (!Files.isDirectory(existing)) {
      throw notWritable(option, folder, existing + " is a file, not a folder");
    }
    // Probe where the first file or folder would be created; create nothing that stays.
    try {
      Files.delete(Files.createTempFile(existing, ".sparksweep-probe-", ".tmp"));
    } catch (IOException e) {
      throw notWritable(
          option,
          folder,
          (existing.equals(dir)
                  ? "no file can be created in it"
                  : "it cannot be created in " + existing)
              + " ("
              + e
              + ")");
    }
  }

  /**
   * Checks, in a running session but before any Spark job, that a warehouse on any Hadoop file
   * system can be written: creates the folder and one hidden probe file, then deletes it.
   *
   * @param spark the session (its Hadoop settings reach the file system)
   * @param option what the folder is, for the message (e.g. {@code --warehouse})
   * @param warehouseUri the warehouse as a URI
   * @throws IllegalArgumentException if it cannot be written
   */
  public static void checkWritable(SparkSession spark, String option, String warehouseUri) {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(warehouseUri);
    org.apache.hadoop.fs.Path probe =
        new org.apache.hadoop.fs.Path(root, "_sparksweep-probe-" + java.util.UUID.randomUUID());
    try {
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
        throw notWritable(option, warehouseUri, "it is a file, not a folder");
      }
      fs.mkdirs(root);
      fs.create(probe, false).close();
      fs.delete(probe, false);
    } catch (IOException e) {
      throw notWritable(option, warehouseUri, "a file cannot be created in it (" + e + ")");
    }
  }

  private static IllegalArgumentException notWritable(String option, String folder, String why) {
    return new IllegalArgumentException(
        option
            + " "
            + folder
            + ": cannot be written: "
            + why
            + "; allowed: a folder this user can create files in (created if missing), or an"
            + " hdfs://, s3a://… URI");
  }

  /**
   * Names the warehouse's tables in the session: every table of {@link ResultTables#TABLES} as a
   * temporary view over its Delta table ({@code SELECT * FROM delta.`<warehouse>/<table>`}, read at
   * its latest version by every query), or, while the table does not exist yet, over no rows with
   * its schema, so queries on a fresh warehouse return no rows instead of failing; plus any other
   * sub-folder that is a Delta table or holds Parquet files. Creates nothing on the file system.
   *
   * @param spark the session (with Delta)
   * @param warehouseUri the warehouse as returned by {@link #warehouseUri}
   * @throws IllegalArgumentException if the warehouse holds sparksweep's old Parquet tables
   */
  public static void registerTables(SparkSession spark, String warehouseUri) {
    registerTables(spark, warehouseUri, false);
  }

  private static void registerTables(
      SparkSession spark, String warehouseUri, boolean snapshotFiles) {
    KernelCommits kernel =
        snapshotFiles ? new KernelCommits(spark.sparkContext().hadoopConfiguration()) : null;
    try {
      org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(warehouseUri);
      FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
      ResultTables.checkFormat(fs, warehouseUri);
      for (Map.Entry<String, StructType> t : ResultTables.TABLES.entrySet()) {
        String location = ResultTables.location(warehouseUri, t.getKey());
        if (ResultTables.isDelta(fs, location)) {
          if (snapshotFiles) {
            snapshotView(spark, t.getKey(), warehouseUri, t.getValue(), kernel);
          } else {
            view(spark, t.getKey(), ResultTables.byPath(warehouseUri, t.getKey()));
          }
        } else {
          spark
              .createDataFrame(java.util.List.<org.apache.spark.sql.Row>of(), t.getValue())
              .createOrReplaceTempView(t.getKey());
        }
      }
      if (!fs.exists(root)) {
        return;
      }
      for (FileStatus dir : fs.listStatus(root)) {
        String name = dir.getPath().getName();
        if (dir.isDirectory()
            && TABLE_NAME.matcher(name).matches()
            && !ResultTables.TABLES.containsKey(name.toLowerCase(Locale.ROOT))) {
          String location = ResultTables.location(warehouseUri, name);
          if (ResultTables.isDelta(fs, location)) {
            view(spark, name, ResultTables.byPath(warehouseUri, name));
          } else if (holdsParquet(fs, dir.getPath())) {
            view(spark, name, "parquet.`" + location.replace("`", "``") + "`");
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot register the tables of " + warehouseUri, e);
    }
  }

  /**
   * {@link #registerTables}, for a session that only reads, and at the end of a search: each
   * results table ({@link ResultTables#TABLES}) is a temporary view over the Parquet files of its
   * latest snapshot, which Delta Kernel lists on this thread, with the table's columns in its
   * order. Spark then plans a plain Parquet scan: no Delta snapshot state reconstruction (Spark
   * jobs) and none of delta-spark's first-use start in a fresh JVM, which made a fresh session's
   * first query cost about 5 s on a small warehouse against 0.65 s for the same Parquet files
   * (2026-12-04, docs/storage.md). The rows are those Delta gives at that version: a table whose
   * files a plain reader would misread (deletion vectors, column mapping, files outside their
   * partition folders) or whose columns differ from sparksweep's schema gets the Delta view
   * instead. Other Delta tables and Parquet folders of the warehouse are named as {@link
   * #registerTables} does. Call it again to see later commits.
   *
   * @param spark the session (with Delta)
   * @param warehouseUri the warehouse as returned by {@link #warehouseUri}
   * @throws IllegalArgumentException if the warehouse holds sparksweep's old Parquet tables
   */
  public static void registerSnapshotTables(SparkSession spark, String warehouseUri) {
    registerTables(spark, warehouseUri, true);
  }

  private static void snapshotView(
      SparkSession spark,
      String name,
      String warehouseUri,
      StructType schema,
      KernelCommits kernel) {
    String location = ResultTables.location(warehouseUri, name);
    java.util.Optional<KernelCommits.PlainFiles> plain = kernel.plainFiles(location);
    if (plain.isEmpty()
        || !plain.get().columns().equals(java.util.Arrays.asList(schema.fieldNames()))) {
      view(spark, name, ResultTables.byPath(warehouseUri, name));
      return;
    }
    KernelCommits.PlainFiles files = plain.get();
    Dataset<Row> rows;
    if (files.paths().isEmpty()) {
      rows = spark.createDataFrame(java.util.List.<Row>of(), schema);
    } else {
      rows =
          spark
              .read()
              .schema(schema)
              .option("basePath", location)
              .parquet(files.paths().toArray(String[]::new));
    }
    org.apache.spark.sql.Column[] columns =
        java.util.Arrays.stream(schema.fieldNames())
            .map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new);
    rows.select(columns).createOrReplaceTempView(name);
  }

  private static void view(SparkSession spark, String name, String source) {
    spark.sql("CREATE OR REPLACE TEMPORARY VIEW `" + name + "` AS SELECT * FROM " + source);
  }

  private static boolean holdsParquet(FileSystem fs, org.apache.hadoop.fs.Path dir)
      throws IOException {
    for (FileStatus f : fs.listStatus(dir)) {
      if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reads a {@code spark-defaults.conf}-style file: {@code key value} (or {@code key=value}) lines,
   * {@code #} comments.
   *
   * @param file the file
   * @return its settings, in file order for the keys it holds
   */
  public static Map<String, String> readDefaults(Path file) {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Spark defaults file " + file, e);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (String k : p.stringPropertyNames()) {
      m.put(k.trim(), p.getProperty(k).trim());
    }
    return m;
  }

  /**
   * The jar holding this class, as a URI, or null when running from a classes folder (tests, IDE).
   */
  public static String appJar() {
    CodeSource source = Sessions.class.getProtectionDomain().getCodeSource();
    URL url = source == null ? null : source.getLocation();
    if (url == null) {
      return null;
    }
    try {
      URI uri = url.toURI();
      return uri.getPath() != null && uri.getPath().endsWith(".jar") ? uri.toString() : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /**
   * Quiets Spark's logging when log4j2 is still on its built-in default configuration (no {@code
   * log4j2.properties} was given): WARN to stderr for everything, INFO for {@code io.sparksweep}. A
   * user's configuration is left alone.
   */
  public static void quietLogging() {
    if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
      return;
    }
    if (System.getProperty("log4j2.configurationFile") != null
        || System.getProperty("log4j.configurationFile") != null
        || !(context.getConfiguration() instanceof DefaultConfiguration)) {
      return;
    }
    URL quiet = Sessions.class.getResource("quiet-log4j2.properties");
    if (quiet == null) {
      Configurator.setRootLevel(Level.WARN);
      return;
    }
    try {
      context.setConfigLocation(quiet.toURI());
    } catch (URISyntaxException e) {
      Configurator.setRootLevel(Level.WARN);
    }
  }
}
