package io.sparksweep.spark;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The results tables and the one place where Java results become SQL rows. Both tables are Parquet
 * folders under the warehouse ({@code <warehouse>/trials}, {@code <warehouse>/epochs}) that {@link
 * Sessions} registers at session start, so any later session can query them.
 *
 * <ul>
 *   <li>{@code trials}: one row per trial of every run: the full spec (provenance), the outcome and
 *       where it ran. See {@link #TRIALS}.
 *   <li>{@code epochs}: one row per trial and epoch: the learning curves. See {@link #EPOCHS}.
 * </ul>
 *
 * <p>Schemas are explicit {@link StructType}s built from the same column list as the rows, so
 * names, types and values cannot drift apart ({@code Encoders.bean} does not work on records
 * anyway). Columns are snake_case.
 *
 * <p>Layout: a search commits each finished trial as its own Parquet file in each table's folder,
 * named {@code <run_id>_<trial_key>_r<repeat>.parquet} ({@link #writeTrial}); a file's name is a
 * function of the trial, so a trial written again replaces its rows instead of duplicating them,
 * and every file appears whole (hidden temporary name, then rename). {@link #append} adds
 * Spark-written {@code part-*.parquet} files. Readers see a consistent table at any moment: whole
 * files only, each trial at most once, and a trial's epochs before its {@code trials} row.
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

  /** Every table this class writes, by name, in registration order. */
  public static final Map<String, StructType> TABLES = tables();

  private ResultTables() {}

  private static Map<String, StructType> tables() {
    Map<String, StructType> m = new LinkedHashMap<>();
    m.put(TRIALS_TABLE, TRIALS);
    m.put(EPOCHS_TABLE, EPOCHS);
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
   * Location of a table's Parquet folder: {@code <warehouse>/<table>}.
   *
   * @param warehouseUri the warehouse as a URI (see {@link Sessions#warehouseUri})
   * @param table a table name
   */
  public static String location(String warehouseUri, String table) {
    return warehouseUri.endsWith("/") ? warehouseUri + table : warehouseUri + "/" + table;
  }

  /**
   * Appends rows to a table's Parquet folder (as one file, written by a Spark job) and refreshes
   * the session's view of the table, registering it first if needed. Searches use {@link
   * #writeTrial} instead, which cannot duplicate a trial.
   *
   * @param spark the session
   * @param warehouseUri the warehouse as a URI
   * @param table {@link #TRIALS_TABLE} or {@link #EPOCHS_TABLE}
   * @param rows rows with that table's schema; nothing is written when empty
   */
  public static void append(SparkSession spark, String warehouseUri, String table, List<Row> rows) {
    StructType schema = TABLES.get(table);
    if (schema == null) {
      throw new IllegalArgumentException(
          "table is '" + table + "', expected one of " + TABLES.keySet());
    }
    if (rows.isEmpty()) {
      return;
    }
    spark
        .createDataFrame(rows, schema)
        .coalesce(1)
        .write()
        .mode(SaveMode.Append)
        .parquet(location(warehouseUri, table));
    Sessions.registerTables(spark, warehouseUri);
    spark.catalog().refreshTable(table);
  }

  // ---- per-trial files: each finished trial is committed to the tables the moment it arrives

  /**
   * The name of one trial's file in each table's folder: {@code
   * <run_id>_<trial_key>_r<repeat>.parquet}. A function of the trial alone, so writing the trial
   * again replaces its file instead of adding a second copy of its rows.
   *
   * @param runId the search run
   * @param spec the trial
   */
  public static String trialFileName(String runId, TrialSpec spec) {
    return runId + "_" + spec.key() + "_r" + spec.repeat() + ".parquet";
  }

  /**
   * Commits one finished trial to the tables, each as one Parquet file named {@link
   * #trialFileName}: first its {@code epochs} rows (or, if it has none, removes a file left by an
   * earlier attempt), then its {@code trials} row. The {@code trials} file is the commit: a trial
   * is recorded once its row exists, and then its epochs exist too. Each file appears atomically
   * (see {@link ParquetFiles}); writing the same trial again replaces both files, so a trial is
   * never in the tables twice. Runs on the driver, without a Spark job.
   *
   * @param hadoopConf Hadoop settings (the session's), for non-local warehouses
   * @param warehouseUri the warehouse as a URI
   * @param runId the search run
   * @param result the finished trial
   * @param modelPath where its model was saved, or null
   * @throws UncheckedIOException if a file cannot be written
   */
  public static void writeTrial(
      Configuration hadoopConf,
      String warehouseUri,
      String runId,
      TrialResult result,
      String modelPath) {
    String name = trialFileName(runId, result.spec());
    List<Row> epochs = epochRows(runId, result);
    String epochsDir = location(warehouseUri, EPOCHS_TABLE);
    if (epochs.isEmpty()) {
      ParquetFiles.delete(hadoopConf, epochsDir, name);
    } else {
      ParquetFiles.write(hadoopConf, epochsDir, name, EPOCHS, epochs);
    }
    ChaosPoints.reach("commit " + name); // between the two tables' writes (chaos test)
    writeTrialRow(hadoopConf, warehouseUri, runId, result, modelPath);
  }

  /**
   * Writes (or atomically replaces) only the {@code trials} file of one trial, e.g. to record its
   * {@code model_path} once the run's top-k is known.
   *
   * @param hadoopConf Hadoop settings, for non-local warehouses
   * @param warehouseUri the warehouse as a URI
   * @param runId the search run
   * @param result the trial's result
   * @param modelPath where its model was saved, or null
   */
  public static void writeTrialRow(
      Configuration hadoopConf,
      String warehouseUri,
      String runId,
      TrialResult result,
      String modelPath) {
    ParquetFiles.write(
        hadoopConf,
        location(warehouseUri, TRIALS_TABLE),
        trialFileName(runId, result.spec()),
        TRIALS,
        List.of(trialRow(runId, result, modelPath)));
  }

  /**
   * The rows of run {@code runId} already in the tables, matched to the run's trials by {@code
   * (trial_key, repeat)}: what a resumed run need not run again. Reads the Parquet folders directly
   * (a fresh listing, not the session's cached view of the tables). Should a trial have several
   * rows (a run written before trials were committed one file each), the first is used.
   *
   * @param spark the session
   * @param warehouseUri the warehouse as a URI
   * @param runId the run
   * @param trials the run's trials (their specs become the results' specs)
   * @return stored trials by {@code trial_key + "/r" + repeat}; trials without a row are absent
   */
  static Map<String, RunReader.StoredTrial> readRun(
      SparkSession spark, String warehouseUri, String runId, List<TrialSpec> trials) {
    Map<String, TrialSpec> specs = new LinkedHashMap<>();
    for (TrialSpec t : trials) {
      specs.put(trialId(t.key(), t.repeat()), t);
    }
    Map<String, List<EpochRecord>> epochs = new HashMap<>();
    for (Row r : readTable(spark, warehouseUri, EPOCHS_TABLE, EPOCHS, runId)) {
      String id = trialId(r.getAs("trial_key"), r.<Integer>getAs("repeat"));
      epochs.computeIfAbsent(id, k -> new ArrayList<>()).add(TrialRows.epoch(r));
    }
    Map<String, RunReader.StoredTrial> stored = new LinkedHashMap<>();
    for (Row r : readTable(spark, warehouseUri, TRIALS_TABLE, TRIALS, runId)) {
      String id = trialId(r.getAs("trial_key"), r.<Integer>getAs("repeat"));
      TrialSpec spec = specs.get(id);
      if (spec == null || stored.containsKey(id)) {
        continue;
      }
      List<EpochRecord> curve = new ArrayList<>(epochs.getOrDefault(id, List.of()));
      curve.sort(java.util.Comparator.comparingInt(EpochRecord::epoch));
      stored.put(id, new RunReader.StoredTrial(resultOf(spec, r, curve), r.getAs("model_path")));
    }
    return stored;
  }

  /** {@code <trial_key>/r<repeat>}: a trial's identity within a run. */
  static String trialId(String key, int repeat) {
    return key + "/r" + repeat;
  }

  private static List<Row> readTable(
      SparkSession spark, String warehouseUri, String table, StructType schema, String runId) {
    return spark
        .read()
        .schema(schema)
        .parquet(location(warehouseUri, table))
        .where(org.apache.spark.sql.functions.col("run_id").equalTo(runId))
        .collectAsList();
  }

  /**
   * The inverse of {@link #trialRow}: a {@code trials} row (and the trial's epochs) back as a
   * result, without model bytes; SQL NULL accuracies become NaN.
   *
   * @param spec the trial's spec (the row's spec columns are not read back)
   * @param row a row with the columns of {@link #TRIALS}
   * @param epochs the trial's learning curve, in epoch order
   */
  static TrialResult resultOf(TrialSpec spec, Row row, List<EpochRecord> epochs) {
    return TrialRows.result(spec, row, epochs);
  }

  // ---- staging: one small JSON file per finished trial, written by the driver as trials finish

  /**
   * Writes one finished trial's rows as JSON lines under {@code <runDir>/staging/}: {@code
   * trial-<index>-r<repeat>.json} (its {@code trials} row, without model path) and {@code
   * epochs-<index>-r<repeat>.json}. Each file is written to a temporary name and then moved into
   * place, so a reader never sees half a file. A driver-local, human-readable copy of what {@link
   * #writeTrial} commits to the tables (the tables are the source of truth, e.g. for a resume);
   * {@link #readStaged} reads it back.
   *
   * @param runDir the run's folder
   * @param runId the search run
   * @param result a finished trial
   */
  public static void stage(Path runDir, String runId, TrialResult result) {
    Path dir = runDir.resolve("staging");
    String name = result.spec().index() + "-r" + result.spec().repeat() + ".json";
    try {
      StringBuilder epochs = new StringBuilder();
      for (Row r : epochRows(runId, result)) {
        epochs.append(json(r)).append('\n');
      }
      Files.createDirectories(dir);
      writeAtomically(dir.resolve("epochs-" + name), epochs.toString());
      writeAtomically(dir.resolve("trial-" + name), json(trialRow(runId, result, null)) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot stage trial " + result.spec().key(), e);
    }
  }

  private static final JsonFactory JSON = new JsonFactory();

  /**
   * One row as a JSON object that Spark's JSON reader reads back exactly with the table's schema:
   * timestamps as ISO-8601 instants with milliseconds, NaN and infinities as strings.
   */
  static String json(Row row) throws IOException {
    StringWriter text = new StringWriter();
    try (JsonGenerator g = JSON.createGenerator(text)) {
      g.writeStartObject();
      StructField[] fields = row.schema().fields();
      for (int i = 0; i < fields.length; i++) {
        g.writeFieldName(fields[i].name());
        writeValue(g, row.get(i));
      }
      g.writeEndObject();
    }
    return text.toString();
  }

  private static void writeValue(JsonGenerator g, Object v) throws IOException {
    if (v == null) {
      g.writeNull();
    } else if (v instanceof String s) {
      g.writeString(s);
    } else if (v instanceof Integer i) {
      g.writeNumber(i);
    } else if (v instanceof Long l) {
      g.writeNumber(l);
    } else if (v instanceof Double d) {
      if (Double.isFinite(d)) {
        g.writeNumber(d);
      } else {
        g.writeString(d.toString()); // NaN, Infinity, -Infinity: read back by Spark
      }
    } else if (v instanceof int[] a) {
      g.writeArray(a, 0, a.length);
    } else if (v instanceof Instant t) {
      g.writeString(t.toString());
    } else {
      throw new IllegalArgumentException("cannot stage a " + v.getClass().getName());
    }
  }

  private static void writeAtomically(Path target, String text) throws IOException {
    Path tmp = target.resolveSibling("." + target.getFileName() + ".tmp");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The staged rows of one run, as DataFrames with the tables' schemas. */
  public record Staged(Dataset<Row> trials, Dataset<Row> epochs) {}

  /**
   * Reads the rows staged by {@link #stage} under {@code <runDir>/staging/}.
   *
   * @param spark the session
   * @param runDir the run's folder (driver-local)
   * @return the staged {@code trials} and {@code epochs} rows
   */
  public static Staged readStaged(SparkSession spark, Path runDir) {
    Path dir = runDir.resolve("staging").toAbsolutePath();
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("runDir " + runDir + " has no staging folder " + dir);
    }
    String base = dir.toUri().toString();
    return new Staged(
        spark.read().schema(TRIALS).json(base + "trial-*.json"),
        spark.read().schema(EPOCHS).json(base + "epochs-*.json"));
  }
}
