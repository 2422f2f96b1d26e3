package io.sparksweep.spark;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The results tables: Delta Lake tables under the warehouse ({@code <warehouse>/trials}, {@code
 * <warehouse>/epochs}, {@code <warehouse>/rungs}), each partitioned by {@code run_id}. Rows come
 * from the one codec {@link TrialRows}.
 *
 * <ul>
 *   <li>{@code trials}: one row per trial of every run: the full spec (provenance), the outcome and
 *       where it ran. See {@link TrialRows#TRIALS}.
 *   <li>{@code epochs}: one row per trial and epoch: the learning curves. See {@link
 *       TrialRows#EPOCHS}.
 *   <li>{@code rungs}: one row per rung decision of an adaptive search. See {@link #RUNGS}.
 * </ul>
 *
 * <p>Exactly-once from the table format: a search commits its trials in batches ({@link
 * #commitBatch}), each a Delta append made from the driver through Delta Kernel ({@link
 * KernelCommits}: no Spark job, so no wait for a task slot held by a trial) carrying the
 * transaction id {@code appId} = the run id, {@code version} = the batch number; Delta records the
 * pair in the table's log and a transaction whose version is not above the recorded one is refused
 * before it writes anything, so a batch committed twice (a retry, a resumed driver) adds nothing.
 * Appends never read the table, so concurrent searches never conflict. Any Spark session with Delta
 * reads the tables by path ({@code delta.`<warehouse>/trials`}) or through {@code
 * <warehouse>/catalog.sql} ({@code spark-sql -i}), which names them.
 */
public final class ResultTables {
  /** Name of the per-trial table. */
  public static final String TRIALS_TABLE = "trials";

  /** Name of the per-epoch table. */
  public static final String EPOCHS_TABLE = "epochs";

  /** Schema of {@code trials}: {@link TrialRows#TRIALS}. */
  public static final StructType TRIALS = TrialRows.TRIALS;

  /** Schema of {@code epochs}: {@link TrialRows#EPOCHS}. */
  public static final StructType EPOCHS = TrialRows.EPOCHS;

  /** Name of the adaptive search's per-rung table. */
  public static final String RUNGS_TABLE = "rungs";

  /**
   * Schema of {@code rungs} (filled by the adaptive search): run_id, trial_key, repeat, bracket,
   * rung, epochs (trained so far), val_acc (at the rung), decision ({@code promoted} or {@code
   * stopped}), decided_at, executor.
   */
  public static final StructType RUNGS =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField(TrialRows.RUN_ID, DataTypes.StringType, false),
              DataTypes.createStructField("trial_key", DataTypes.StringType, false),
              DataTypes.createStructField("repeat", DataTypes.IntegerType, false),
              DataTypes.createStructField("bracket", DataTypes.IntegerType, false),
              DataTypes.createStructField("rung", DataTypes.IntegerType, false),
              DataTypes.createStructField("epochs", DataTypes.IntegerType, false),
              DataTypes.createStructField("val_acc", DataTypes.DoubleType, true),
              DataTypes.createStructField("decision", DataTypes.StringType, false),
              DataTypes.createStructField("decided_at", DataTypes.TimestampType, true),
              DataTypes.createStructField("executor", DataTypes.StringType, true)));

  /**
   * One row of the rungs table.
   *
   * @param runId the run
   * @param spec the trial
   * @param bracket its bracket
   * @param rung the rung it finished
   * @param epochs epochs trained at the rung
   * @param valAcc validation accuracy at the rung (NaN becomes NULL)
   * @param decision {@code promoted}, {@code stopped} or {@code completed} (trained the full
   *     budget)
   * @param decidedAtMillis when the scheduler decided
   * @param executor where the rung's segment ran
   */
  public static Row rungRow(
      String runId,
      TrialSpec spec,
      int bracket,
      int rung,
      int epochs,
      double valAcc,
      String decision,
      long decidedAtMillis,
      String executor) {
    return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
        new Object[] {
          runId,
          spec.key(),
          spec.repeat(),
          bracket,
          rung,
          epochs,
          Double.isNaN(valAcc) ? null : valAcc,
          decision,
          Instant.ofEpochMilli(decidedAtMillis),
          executor
        },
        RUNGS);
  }

  /** Every table this class writes, by name, in registration order. */
  public static final Map<String, StructType> TABLES = tables();

  /** The file under the warehouse that names the tables for a stock {@code spark-sql -i}. */
  public static final String CATALOG_FILE = "catalog.sql";

  private ResultTables() {}

  private static Map<String, StructType> tables() {
    Map<String, StructType> m = new LinkedHashMap<>();
    m.put(TRIALS_TABLE, TRIALS);
    m.put(EPOCHS_TABLE, EPOCHS);
    m.put(RUNGS_TABLE, RUNGS);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The {@code trials} row of one result.
   *
   * @param runId the search run
   * @param result the trial's result (its spec is the provenance)
   * @param modelPath where its best parameters were saved, or null
   * @return a row with schema {@link #TRIALS}
   */
  public static Row trialRow(String runId, TrialResult result, String modelPath) {
    return TrialRows.trialRow(runId, result, modelPath);
  }

  /**
   * The {@code epochs} rows of one result, one per epoch record, in epoch order.
   *
   * @param runId the search run
   * @param result the trial's result
   * @return rows with schema {@link #EPOCHS}
   */
  public static List<Row> epochRows(String runId, TrialResult result) {
    return TrialRows.epochRows(runId, result);
  }

  /**
   * Location of a table: {@code <warehouse>/<table>}.
   *
   * @param warehouseUri the warehouse as a URI (see {@link Sessions#warehouseUri})
   * @param table a table name
   */
  public static String location(String warehouseUri, String table) {
    return warehouseUri.endsWith("/") ? warehouseUri + table : warehouseUri + "/" + table;
  }

  /** {@code delta.`<location>`}: the table by path, in any session with Delta. */
  public static String byPath(String warehouseUri, String table) {
    return "delta.`" + location(warehouseUri, table).replace("`", "``") + "`";
  }

  /**
   * Whether a folder is a Delta table: its {@code _delta_log} holds a commit or a checkpoint (a log
   * folder without one is a table being created, which Delta reads as no table).
   */
  static boolean isDelta(FileSystem fs, String location) throws IOException {
    org.apache.hadoop.fs.Path log = new org.apache.hadoop.fs.Path(location, "_delta_log");
    if (!fs.exists(log)) {
      return false;
    }
    for (FileStatus f : fs.listStatus(log)) {
      if (DELTA_LOG_ENTRY.matcher(f.getPath().getName()).matches()) {
        return true;
      }
    }
    return false;
  }

  private static final java.util.regex.Pattern DELTA_LOG_ENTRY =
      java.util.regex.Pattern.compile("\\d{20}\\.(json|checkpoint.*\\.parquet)");

  /**
   * Refuses a warehouse whose {@code trials} or {@code epochs} folder holds Parquet files of
   * sparksweep's earlier one-file-per-trial format (no {@code _delta_log}), with one line that says
   * what to do.
   *
   * @throws IllegalArgumentException naming the folder and the fix
   */
  static void checkFormat(FileSystem fs, String warehouseUri) throws IOException {
    for (String table : List.of(TRIALS_TABLE, EPOCHS_TABLE)) {
      String loc = location(warehouseUri, table);
      org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(loc);
      if (!fs.exists(dir) || isDelta(fs, loc)) {
        continue;
      }
      for (FileStatus f : fs.listStatus(dir)) {
        if (f.isFile() && f.getPath().getName().endsWith(".parquet")) {
          throw new IllegalArgumentException(
              "warehouse "
                  + warehouseUri
                  + " holds results in sparksweep's old Parquet format ("
                  + loc
                  + " has no _delta_log); move its trials/ and epochs/ folders aside (they stay"
                  + " readable as parquet.`<folder>`) or use another --warehouse");
        }
      }
    }
  }

  /**
   * Creates the tables that do not exist yet (empty Delta tables with their schemas, partitioned by
   * {@code run_id}) and writes {@link #CATALOG_FILE}. Safe when two searches do it at once.
   *
   * @param spark the session (with Delta)
   * @param warehouseUri the warehouse as a URI
   */
  public static void ensureTables(SparkSession spark, String warehouseUri) {
    try {
      FileSystem fs =
          new org.apache.hadoop.fs.Path(warehouseUri)
              .getFileSystem(spark.sparkContext().hadoopConfiguration());
      checkFormat(fs, warehouseUri);
      boolean missing = false;
      for (String table : TABLES.keySet()) {
        missing |= !isDelta(fs, location(warehouseUri, table));
      }
      if (missing) {
        synchronized (ResultTables.class) {
          try (FileChannel lock = lockLocalWarehouse(warehouseUri)) {
            createMissingTables(spark, fs, warehouseUri);
          }
        }
      }
      writeCatalogFile(fs, warehouseUri);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the tables of " + warehouseUri, e);
    }
  }

  /** The statements that name the tables, as in {@link #CATALOG_FILE}. */
  public static String catalogSql(String warehouseUri) {
    StringBuilder b = new StringBuilder();
    b.append("-- sparksweep's results tables (Delta Lake), named for any Spark session:\n")
        .append("--   spark-sql --packages io.delta:delta-spark_2.13:4.4.0 \\\n")
        .append("--     --conf spark.sql.extensions=io.delta.sql.DeltaSparkSessionExtension \\\n")
        .append(
            "--     --conf"
                + " spark.sql.catalog.spark_catalog=org.apache.spark.sql.delta.catalog.DeltaCatalog"
                + " \\\n")
        .append("--     -i ")
        .append(location(warehouseUri, CATALOG_FILE))
        .append('\n');
    for (String table : TABLES.keySet()) {
      b.append("CREATE OR REPLACE TEMPORARY VIEW ")
          .append(table)
          .append(" AS SELECT * FROM ")
          .append(byPath(warehouseUri, table))
          .append(";\n");
    }
    return b.toString();
  }

  private static void writeCatalogFile(FileSystem fs, String warehouseUri) throws IOException {
    org.apache.hadoop.fs.Path file =
        new org.apache.hadoop.fs.Path(location(warehouseUri, CATALOG_FILE));
    String text = catalogSql(warehouseUri);
    if (fs.exists(file)) {
      return;
    }
    org.apache.hadoop.fs.Path tmp =
        new org.apache.hadoop.fs.Path(
            location(warehouseUri, "." + CATALOG_FILE + "." + java.util.UUID.randomUUID()));
    try (var out = fs.create(tmp, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    if (!fs.rename(tmp, file)) {
      fs.delete(tmp, false); // another search wrote it first
    }
  }

  /**
   * The highest batch number of run {@code runId} committed to any table ({@code txnVersion} of
   * {@code txnAppId = runId} in the Delta logs), or -1 when none was: a resumed run continues at
   * the next number, so its batches are never mistaken for committed ones.
   */
  public static long lastBatch(SparkSession spark, String warehouseUri, String runId) {
    KernelCommits kernel = new KernelCommits(spark.sparkContext().hadoopConfiguration());
    long last = -1;
    for (String table : List.of(TRIALS_TABLE, EPOCHS_TABLE, RUNGS_TABLE)) {
      last = Math.max(last, kernel.lastVersion(location(warehouseUri, table), runId));
    }
    return last;
  }

  /**
   * Commits one batch of a run: its {@code epochs} rows, then its {@code trials} rows (a trial is
   * recorded once its {@code trials} row is), each as one Delta append with {@code txnAppId =
   * runId}, {@code txnVersion = batch}. Committing the same batch again is a no-op on each table.
   *
   * @param spark the session
   * @param warehouseUri the warehouse as a URI (tables created by {@link #ensureTables})
   * @param runId the run
   * @param batch the batch number: increasing within a run, across its resumes too
   * @param trials rows with schema {@link #TRIALS}
   * @param epochs rows with schema {@link #EPOCHS}
   */
  public static void commitBatch(
      SparkSession spark,
      String warehouseUri,
      String runId,
      long batch,
      List<Row> trials,
      List<Row> epochs) {
    commitBatch(spark, warehouseUri, runId, batch, trials, epochs, List.of());
  }

  /**
   * Commits one batch of a run with its {@code rungs} rows (an adaptive search's decisions): its
   * {@code epochs}, then {@code rungs}, then {@code trials} rows, each table's append idempotent as
   * in {@link #commitBatch(SparkSession, String, String, long, List, List)}.
   *
   * @param rungs rows with schema {@link #RUNGS} ({@link #rungRow})
   */
  public static void commitBatch(
      SparkSession spark,
      String warehouseUri,
      String runId,
      long batch,
      List<Row> trials,
      List<Row> epochs,
      List<Row> rungs) {
    appendIdempotent(spark, warehouseUri, EPOCHS_TABLE, runId, batch, epochs);
    appendIdempotent(spark, warehouseUri, RUNGS_TABLE, runId, batch, rungs);
    // Between the two tables' commits (the chaos test kills the driver here).
    ChaosPoints.reach("commit batch " + batch + " of " + runId + ": epochs committed");
    appendIdempotent(spark, warehouseUri, TRIALS_TABLE, runId, batch, trials);
    ChaosPoints.reach("commit batch " + batch + " of " + runId + ": trials committed");
  }

  private static void appendIdempotent(
      SparkSession spark,
      String warehouseUri,
      String table,
      String runId,
      long batch,
      List<Row> rows) {
    if (rows.isEmpty()) {
      return;
    }
    // From the driver through Delta Kernel, not as a Spark job: a job's task would wait for a slot
    // that the running trials hold (KernelCommits).
    new KernelCommits(spark.sparkContext().hadoopConfiguration())
        .append(
            location(warehouseUri, table),
            TABLES.get(table),
            TrialRows.RUN_ID,
            runId,
            runId,
            batch,
            rows);
  }

  /**
   * Appends rows to a table (a plain Delta append, creating the tables if needed), e.g. for tests
   * and imports. Searches use {@link #commitBatch}.
   *
   * @param spark the session
   * @param warehouseUri the warehouse as a URI
   * @param table one of {@link #TABLES}
   * @param rows rows with that table's schema; nothing is written when empty
   */
  public static void append(SparkSession spark, String warehouseUri, String table, List<Row> rows) {
    StructType schema = TABLES.get(table);
    if (schema == null) {
      throw new IllegalArgumentException(
          "table is '" + table + "', expected one of " + TABLES.keySet());
    }
    ensureTables(spark, warehouseUri);
    if (!rows.isEmpty()) {
      spark
          .createDataFrame(rows, schema)
          .coalesce(1)
          .write()
          .format("delta")
          .mode(SaveMode.Append)
          .save(location(warehouseUri, table));
    }
    Sessions.registerTables(spark, warehouseUri);
  }

  /**
   * Records the top-k trials' saved models in {@code trials.model_path}: the given trials get their
   * path, every other row of the run NULL, in one Delta commit through Kernel on the calling thread
   * ({@link KernelCommits#rewrite}: no Spark job, and only the run's files holding a row that
   * changes are rewritten). Rows already right are left alone, so calling it again with the same
   * paths commits nothing (idempotent).
   *
   * @param paths model URI by trial id ({@link #trialId})
   * @param beforeCommit run once the new files are written, before the commit (a chaos point)
   * @return the number of rows changed
   */
  static int setModelPaths(
      SparkSession spark,
      String warehouseUri,
      String runId,
      Map<String, String> paths,
      Runnable beforeCommit) {
    StructType schema = TABLES.get(TRIALS_TABLE);
    int column = schema.fieldIndex(TrialRows.MODEL_PATH);
    return new KernelCommits(spark.sparkContext().hadoopConfiguration())
        .rewrite(
            location(warehouseUri, TRIALS_TABLE),
            schema,
            TrialRows.RUN_ID,
            runId,
            r -> {
              String path = paths.get(trialId(r));
              if (java.util.Objects.equals(path, r.isNullAt(column) ? null : r.getString(column))) {
                return r;
              }
              Object[] values = new Object[r.length()];
              for (int i = 0; i < values.length; i++) {
                values[i] = r.get(i);
              }
              values[column] = path;
              return new org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema(
                  values, schema);
            },
            beforeCommit);
  }

  private static void createMissingTables(SparkSession spark, FileSystem fs, String warehouseUri)
      throws IOException {
    for (Map.Entry<String, StructType> t : TABLES.entrySet()) {
      String loc = location(warehouseUri, t.getKey());
      if (isDelta(fs, loc)) {
        continue;
      }
      try {
        spark
            .createDataFrame(List.<Row>of(), t.getValue())
            .write()
            .format("delta")
            .mode(SaveMode.Append)
            .partitionBy(TrialRows.RUN_ID)
            .save(loc);
      } catch (RuntimeException e) {
        if (!isDelta(fs, loc)) { // not another search creating it at the same moment
          throw e;
        }
      }
    }
  }

  /**
   * On a {@code file:} warehouse, an OS lock on {@code <warehouse>/.sparksweep-tables.lock} held
   * while the tables are created; null (no lock needed) on other file systems. Delta's log store
   * for the local file system excludes concurrent commits within one JVM only (a check, then a
   * rename that replaces, the data file and its {@code .crc} renamed apart): two searches creating
   * a fresh warehouse's tables at once from two JVMs both wrote version 0, and the mixed {@code
   * .crc} later failed Kernel's read with a checksum error. HDFS's log store renames without
   * overwrite, atomically. The channel holds the lock until it is closed.
   */
  private static FileChannel lockLocalWarehouse(String warehouseUri) throws IOException {
    java.net.URI uri = java.net.URI.create(warehouseUri);
    if (!"file".equals(uri.getScheme())) {
      return null;
    }
    Path dir = Path.of(uri);
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(
            dir.resolve(".sparksweep-tables.lock"),
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
    try {
      channel.lock(); // released when the channel closes
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** Compacts the run's partition of each table into few files ({@code OPTIMIZE … WHERE}). */
  static void optimize(SparkSession spark, String warehouseUri, String runId) {
    for (String table : List.of(TRIALS_TABLE, EPOCHS_TABLE, RUNGS_TABLE)) {
      spark.sql("OPTIMIZE " + byPath(warehouseUri, table) + " WHERE run_id = " + literal(runId));
    }
  }

  /** A SQL string literal. */
  static String literal(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** {@code <trial_key>/r<repeat>}: a trial's identity within a run. */
  static String trialId(String key, int repeat) {
    return key + "/r" + repeat;
  }

  /** {@link #trialId(String, int)} of a {@code trials} or {@code epochs} row. */
  static String trialId(Row r) {
    return trialId(r.getAs("trial_key"), r.<Integer>getAs("repeat"));
  }

  /**
   * The rows of run {@code runId} already in the tables, matched to the run's trials by {@code
   * (trial_key, repeat)}: what a resumed run need not run again. Reads the latest snapshot of each
   * table through Delta Kernel on the calling thread ({@link KernelCommits#read}): no Spark job, so
   * a fresh driver does not pay Spark SQL's and Delta's first-query start here. Epoch rows of a
   * trial without a {@code trials} row (a driver that died between a batch's two appends) are
   * deleted, in one Kernel commit ({@link KernelCommits#rewrite}), so the trial's rerun adds its
   * epochs once.
   *
   * @param spark the session
   * @param warehouseUri the warehouse as a URI
   * @param runId the run
   * @param trials the run's trials (their specs become the results' specs)
   * @return stored trials by {@code trial_key + "/r" + repeat}; trials without a row are absent
   */
  static Map<String, RunReader.StoredTrial> readRun(
      SparkSession spark, String warehouseUri, String runId, List<TrialSpec> trials) {
    ensureTables(spark, warehouseUri);
    Map<String, TrialSpec> specs = new LinkedHashMap<>();
    for (TrialSpec t : trials) {
      specs.put(trialId(t.key(), t.repeat()), t);
    }
    RunReader.RunRows rows =
        RunReader.rows(
            new KernelCommits(spark.sparkContext().hadoopConfiguration()), warehouseUri, runId);
    Map<String, RunReader.StoredTrial> stored = new LinkedHashMap<>();
    for (Row r : rows.trials()) {
      String id = trialId(r);
      TrialSpec spec = specs.get(id);
      if (spec != null && !stored.containsKey(id)) {
        stored.put(id, rows.stored(spec, r));
      }
    }
    List<String> orphans =
        rows.curves().keySet().stream().filter(id -> !stored.containsKey(id)).toList();
    if (!orphans.isEmpty()) { // through Kernel, as the read: no Spark job at a resume's start
      java.util.Set<String> gone = new java.util.HashSet<>(orphans);
      new KernelCommits(spark.sparkContext().hadoopConfiguration())
          .rewrite(
              location(warehouseUri, EPOCHS_TABLE),
              TABLES.get(EPOCHS_TABLE),
              TrialRows.RUN_ID,
              runId,
              r -> gone.contains(trialId(r)) ? null : r,
              () -> {});
    }
    return stored;
  }
}
