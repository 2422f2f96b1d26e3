package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.cli.reliability.ChildJvm;
import io.sparksweep.spark.LocalSpark;
import io.sparksweep.spark.ResultTables;
import io.sparksweep.spark.Sessions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparksweep query} in a fresh JVM, as a user runs it: the tables written by this JVM are
 * found through the warehouse alone, the exit code is the command's, and Spark's INFO chatter is
 * quiet.
 */
@Tag("slow")
class MainFreshJvmTest {
  @Test
  void queryInANewJvmReadsTheTables(@TempDir Path tmp) throws Exception {
    Path warehouse = tmp.resolve("warehouse");
    SparkSession spark = LocalSpark.session(warehouse.toString());
    ResultTables.append(
        spark,
        Sessions.warehouseUri(warehouse.toString()),
        ResultTables.TRIALS_TABLE,
        List.of(
            ResultTables.trialRow("jvm-run", QueryCommandTest.result(0, 0.4), null),
            ResultTables.trialRow("jvm-run", QueryCommandTest.result(1, 0.6), null)));

    ChildJvm query =
        ChildJvm.start(
            tmp,
            "query",
            Main.class,
            List.of(),
            List.of(
                "query",
                "SELECT run_id, max(best_val_acc) AS best FROM trials GROUP BY run_id",
                "--warehouse",
                warehouse.toString(),
                "--master",
                "local[1]",
                "--conf",
                "spark.ui.enabled=false",
                "--format",
                "csv"));
    Process p = query.process;
    assertTrue(p.waitFor(3, TimeUnit.MINUTES), "the query JVM did not finish");
    String stdout = query.stdout();
    String stderr = query.stderr();
    assertEquals(0, p.exitValue(), stderr);
    assertEquals(List.of("run_id,best", "jvm-run,0.6"), stdout.lines().toList());
    assertTrue(
        stderr.lines().noneMatch(l -> l.contains(" INFO ") && l.contains("org.apache.spark")),
        "Spark's INFO logging is quiet:\n" + stderr);
    assertTrue(Files.isDirectory(warehouse.resolve("trials")));
  }
}
