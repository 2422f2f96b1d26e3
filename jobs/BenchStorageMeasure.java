// Part of jobs/bench-storage.sh (a single-file program: `java -cp APP_JAR:SPARK_CLASSPATH
// jobs/BenchStorageMeasure.java WAREHOUSE RUN_ID [query-first|read-back-first]`). Uses only what
// both storage designs share (Sessions, RunStore, ResultTables.readRun), so one program measures
// the before and after jars: the session start, a top-5 query (twice), and a resume's read-back of
// the run's rows (twice), in that order (query-first, the default: a `query` session), or the
// read-back first (read-back-first: what a resumed driver does, right after its session start).
// Prints `key<TAB>value` lines.
import io.sparksweep.spark.RunStore;
import io.sparksweep.spark.Sessions;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

public class BenchStorageMeasure {
  public static void main(String[] args) throws Exception {
    String warehouse = Sessions.warehouseUri(args[0]);
    String runId = args[1];
    long t0 = System.nanoTime();
    boolean readBackFirst = args.length > 2 && args[2].equals("read-back-first");
    Sessions.Builder builder =
        Sessions.builder()
            .master("local[2]")
            .appName("bench-storage")
            .warehouse(warehouse)
            .config("spark.ui.enabled", "false");
    // A query session names the tables over their snapshots' Parquet files, as `query` does
    // (since 2026-12-04; an older jar has no such setting and reads through Delta).
    String views = "delta";
    if (!readBackFirst) {
      try {
        Sessions.Builder.class.getMethod("snapshotViews", boolean.class).invoke(builder, true);
        views = "snapshot";
      } catch (NoSuchMethodException e) {
        // the before jar
      }
    }
    SparkSession spark = builder.getOrCreate();
    print("session_start_s", seconds(t0));
    print("views", views);
    if (readBackFirst) {
      readBack(spark, warehouse, runId);
      query(spark, runId);
    } else {
      query(spark, runId);
      readBack(spark, warehouse, runId);
    }
    spark.stop();
  }

  private static void query(SparkSession spark, String runId) {
    long t0;
    String top5 =
        "SELECT trial_key, `repeat`, best_val_acc FROM trials WHERE run_id = '"
            + runId
            + "' ORDER BY best_val_acc DESC, trial_index LIMIT 5";
    for (int i = 1; i <= 2; i++) {
      t0 = System.nanoTime();
      List<Row> rows = spark.sql(top5).collectAsList();
      print("top5_query_" + i + "_s", seconds(t0));
      if (i == 1) {
        print("top5_rows", rows.size());
      }
    }
    Row sums =
        spark
            .sql(
                "SELECT count(*), sum(train_seconds), count(DISTINCT trial_key, `repeat`) FROM"
                    + " trials WHERE run_id = '" + runId + "'")
            .first();
    print("trials_rows", sums.getLong(0));
    print("trials_distinct", sums.getLong(2));
    print("train_seconds_sum", sums.getDouble(1));
    print(
        "epochs_rows",
        spark.sql("SELECT count(*) FROM epochs WHERE run_id = '" + runId + "'").first().getLong(0));
  }

  private static void readBack(SparkSession spark, String warehouse, String runId)
      throws Exception {
    long t0;
    RunStore store =
        RunStore.open(
            spark.sparkContext().hadoopConfiguration(), RunStore.defaultLocation(warehouse));
    Object manifest = store.readManifest(runId);
    List<?> trials = (List<?>) manifest.getClass().getMethod("trials").invoke(manifest);
    Class<?> tables = Class.forName("io.sparksweep.spark.ResultTables");
    Method readRun =
        tables.getDeclaredMethod(
            "readRun", SparkSession.class, String.class, String.class, List.class);
    readRun.setAccessible(true);
    for (int i = 1; i <= 2; i++) {
      t0 = System.nanoTime();
      Map<?, ?> stored = (Map<?, ?>) readRun.invoke(null, spark, warehouse, runId, trials);
      print("resume_read_back_" + i + "_s", seconds(t0));
      if (i == 1) {
        print("resume_read_back_trials", stored.size());
      }
    }
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void print(String key, Object value) {
    System.out.println(key + "\t" + value);
  }
}
