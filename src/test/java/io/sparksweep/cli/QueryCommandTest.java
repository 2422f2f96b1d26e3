package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.model.ModelKind;
import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.spark.LocalSpark;
import io.sparksweep.spark.ResultTables;
import io.sparksweep.spark.Sessions;
import io.sparksweep.spark.TestTrials;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sparksweep query} over a warehouse written through {@link ResultTables}. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryCommandTest {
  private String warehouse;

  /** What a command printed and returned. */
  record Run(int exitCode, String out, String err) {}

  static Run run(CommandLine cmd, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out, true));
    cmd.setErr(new PrintWriter(err, true));
    int code = cmd.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  static TrialResult result(int index, double acc) {
    return new TrialResult(
        TestTrials.spec(index, ModelKind.FC, 1e-3, 0.0),
        TrialStatus.OK,
        null,
        0,
        acc,
        acc,
        acc - 0.01,
        acc + 0.1,
        1,
        1.5,
        "driver@127.0.0.1",
        1_700_000_000_000L,
        1_700_000_001_500L,
        List.of(new EpochRecord(1, 1.5, acc + 0.1, acc)),
        null);
  }

  @BeforeAll
  void writeTables(@TempDir Path tmp) {
    warehouse = tmp.resolve("warehouse").toString();
    SparkSession spark = LocalSpark.session(warehouse);
    List<Row> trials = new ArrayList<>();
    List<Row> epochs = new ArrayList<>();
    double[] acc = {0.41, 0.47, 0.38};
    for (int i = 0; i < acc.length; i++) {
      trials.add(
          ResultTables.trialRow("q-run", result(i, acc[i]), i == 1 ? "best, \"model\".npz" : null));
      epochs.addAll(ResultTables.epochRows("q-run", result(i, acc[i])));
    }
    String uri = Sessions.warehouseUri(warehouse);
    ResultTables.append(spark, uri, ResultTables.TRIALS_TABLE, trials);
    ResultTables.append(spark, uri, ResultTables.EPOCHS_TABLE, epochs);
  }

  private Run query(String sql, String... more) {
    List<String> args =
        new ArrayList<>(List.of("query", sql, "--warehouse", warehouse, "--master", "local[2]"));
    args.addAll(List.of(more));
    return run(Main.commandLine(), args.toArray(String[]::new));
  }

  @Test
  void csvHasAHeaderAndOneLinePerRow() {
    Run r =
        query(
            "SELECT trial_index, best_val_acc, model_path FROM trials ORDER BY best_val_acc DESC",
            "--format",
            "csv");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(
        List.of(
            "trial_index,best_val_acc,model_path",
            "1,0.47,\"best, \"\"model\"\".npz\"",
            "0,0.41,",
            "2,0.38,"),
        r.out().lines().toList());
  }

  @Test
  void tableIsAlignedAndCountsRows() {
    Run r =
        query(
            "SELECT t.trial_index, count(*) AS epochs, max(e.val_acc) AS best FROM trials t JOIN"
                + " epochs e USING (run_id, trial_key, repeat) GROUP BY t.trial_index ORDER BY"
                + " t.trial_index");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("trial_index  epochs  best", lines.get(0));
    assertEquals("          0       1  0.41", lines.get(2));
    assertEquals("(3 rows)", lines.get(lines.size() - 1));
    assertTrue(
        r.err().strip().matches("time: \\d+\\.\\d\\d s"), "the statement's time: " + r.err());
  }

  @Test
  void maxRowsTruncatesAndSaysSo() {
    Run r = query("SELECT trial_key FROM trials", "--max-rows", "2");
    assertTrue(r.out().contains("(2 rows, truncated by --max-rows)"), r.out());
  }

  @Test
  void jsonIsOneObjectPerLine() throws Exception {
    Run r =
        query(
            "SELECT trial_key, hidden_dims, started_at FROM trials WHERE trial_index = 2",
            "--format",
            "json");
    assertEquals(0, r.exitCode(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size());
    JsonNode row = new ObjectMapper().readTree(lines.get(0));
    assertEquals(TestTrials.spec(2, ModelKind.FC, 1e-3, 0.0).key(), row.get("trial_key").asText());
    assertEquals(100, row.get("hidden_dims").get(0).asInt());
  }

  @Test
  void aBadQueryIsAnErrorMessageNotAStackTrace() {
    Run r = query("SELECT nope FROM trials");
    assertEquals(1, r.exitCode());
    assertTrue(r.err().startsWith("error: "), r.err());
    assertTrue(r.err().contains("tables: "), r.err());
    assertTrue(r.err().contains("trials"), r.err());
    assertTrue(!r.err().contains("\tat "), r.err());
  }

  @Test
  void aFileReplacedUnderARunningQueryIsRetriedAndOtherErrorsAreNot() {
    assertTrue(
        QueryCommand.replacedWhileReading(
            new RuntimeException(
                "read failed", new java.io.FileNotFoundException("trials/r_k_r0.parquet"))));
    assertTrue(
        QueryCommand.replacedWhileReading(
            new RuntimeException(
                "file:/w/trials/r_k_r0.parquet is not a Parquet file. Expected magic number at"
                    + " tail")));
    assertFalse(QueryCommand.replacedWhileReading(new IllegalStateException("division by zero")));
  }

  @Test
  void writesAndCatalogChangesAreRefusedFromTheParsedPlan() {
    for (String sql :
        List.of(
            "INSERT INTO trials SELECT * FROM trials",
            "DELETE FROM trials WHERE true",
            "UPDATE trials SET status = 'OK'",
            "MERGE INTO trials t USING trials s ON t.trial_key = s.trial_key"
                + " WHEN MATCHED THEN DELETE",
            "DROP TABLE trials",
            "DROP VIEW trials",
            "CREATE TABLE x (a INT) USING delta",
            "CREATE TEMPORARY VIEW v AS SELECT 1",
            "ALTER TABLE trials ADD COLUMNS (x INT)",
            "TRUNCATE TABLE trials",
            "  with c AS (SELECT 1) INSERT INTO trials SELECT * FROM trials")) {
      Run r = query(sql);
      assertEquals(2, r.exitCode(), sql + ": " + r.out());
      assertEquals(1, r.err().lines().count(), sql + ": " + r.err());
      assertTrue(r.err().startsWith("error: query is read-only: "), sql + ": " + r.err());
    }
    Run count = query("SELECT count(*) AS n FROM trials", "--format", "csv");
    assertEquals(List.of("n", "3"), count.out().lines().toList(), "nothing was written");
    Run show = query("SHOW TABLES");
    assertEquals(0, show.exitCode(), show.err());
  }

  @Test
  void aMissingWarehouseIsAnErrorAndIsNotCreated(@TempDir Path tmp) {
    Path missing = tmp.resolve("no-such-warehouse");
    Run r =
        run(
            Main.commandLine(),
            "query",
            "SELECT count(*) FROM trials",
            "--warehouse",
            missing.toString(),
            "--master",
            "local[2]");
    assertEquals(2, r.exitCode(), r.out());
    assertTrue(r.err().contains("does not exist"), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertFalse(java.nio.file.Files.exists(missing), "a query never creates a warehouse");
  }

  @Test
  void aFileOfStatementsRunsThemAllInOneSession(@TempDir Path tmp) throws Exception {
    Path f = tmp.resolve("q.sql");
    java.nio.file.Files.writeString(
        f,
        "-- two statements; the ';' inside the string is not a separator\n"
            + "SELECT count(*) AS n FROM trials WHERE error IS NULL OR error <> 'a;b';\n"
            + "SELECT max(epoch) AS e FROM epochs;\n");
    Run r =
        run(
            Main.commandLine(),
            "query",
            "-f",
            f.toString(),
            "--format",
            "csv",
            "--warehouse",
            warehouse,
            "--master",
            "local[2]");
    assertEquals(0, r.exitCode(), r.err());
    assertEquals(List.of("n", "3", "e", "1"), r.out().lines().toList());
    assertEquals(
        List.of("SELECT 1", "SELECT ';'"), QueryCommand.splitStatements("SELECT 1; SELECT ';' ;"));
  }
}
