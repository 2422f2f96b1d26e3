package io.sparksweep.cli;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkThrowable;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep query "SELECT … FROM trials …"}: Spark SQL over the results tables of a
 * warehouse, in a fresh session (the tables are registered at session start).
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Runs Spark SQL on the results tables: trials (one row per trial) and epochs (one row per"
          + " trial and epoch).",
      "Example: sparksweep query \"SELECT trial_key, learning_rate, best_val_acc FROM trials"
          + " WHERE status = 'OK' ORDER BY best_val_acc DESC LIMIT 10\""
    })
public final class QueryCommand implements Callable<Integer> {
  /** Output formats. */
  enum Format {
    table,
    csv,
    json
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Parameters(index = "0", paramLabel = "SQL", description = "The query (quote it).")
  String sql;

  @Option(
      names = "--format",
      defaultValue = "table",
      description = "Output: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(
      names = "--max-rows",
      defaultValue = "1000",
      paramLabel = "N",
      description = "Print at most N rows; 0 for all (default: ${DEFAULT-VALUE}).")
  int maxRows;

  @Mixin SparkOptions sparkOptions = new SparkOptions();

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (maxRows < 0) {
      err.println("error: --max-rows is " + maxRows + ", expected ≥ 0");
      return 2;
    }
    SparkSession spark = sparkOptions.session("sparksweep query");
    try {
      print(spark.sql(sql), out);
    } catch (Exception e) { // AnalysisException (undeclared by Scala) or an execution error
      if (!(e instanceof SparkThrowable)) {
        throw e;
      }
      if (e instanceof AnalysisException a) {
        err.println("error: " + a.getSimpleMessage()); // without the logical plan
        err.println("tables: " + String.join(", ", tableNames(spark)));
      } else {
        err.println("error: " + e.getMessage());
      }
      return 1;
    }
    return 0;
  }

  private void print(Dataset<Row> result, PrintWriter out) {
    List<String> columns = Arrays.asList(result.columns());
    Dataset<Row> limited = maxRows == 0 ? result : result.limit(maxRows + 1);
    switch (format) {
      case table -> {
        List<Row> rows = limited.collectAsList();
        boolean truncated = maxRows > 0 && rows.size() > maxRows;
        List<List<String>> cells =
            rows.stream().limit(truncated ? maxRows : rows.size()).map(TextTable::cells).toList();
        out.print(TextTable.render(columns, cells));
        out.println(
            "("
                + cells.size()
                + (cells.size() == 1 ? " row" : " rows")
                + (truncated ? ", truncated by --max-rows" : "")
                + ")");
      }
      case csv -> {
        out.println(TextTable.csv(columns));
        Iterator<Row> it = limited.toLocalIterator();
        for (int n = 0; it.hasNext() && (maxRows == 0 || n < maxRows); n++) {
          Row r = it.next();
          Object[] values = new Object[r.length()];
          for (int i = 0; i < values.length; i++) {
            values[i] = r.get(i);
          }
          out.println(TextTable.csv(Arrays.asList(values)));
        }
      }
      case json -> {
        Iterator<String> it = limited.toJSON().toLocalIterator();
        for (int n = 0; it.hasNext() && (maxRows == 0 || n < maxRows); n++) {
          out.println(it.next());
        }
      }
    }
    out.flush();
  }

  private static List<String> tableNames(SparkSession spark) {
    return spark.sql("SHOW TABLES").collectAsList().stream().map(r -> r.getString(1)).toList();
  }
}
