package io.sparksweep.cli;

import io.sparksweep.spark.Sessions;
import java.io.PrintWriter;
import java.util.Arrays;
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
      "Runs read-only Spark SQL on the results tables: trials (one row per trial), epochs (one"
          + " row per trial and epoch) and rungs. Statements that write or change the catalog are"
          + " refused; several statements (';'-separated, from -f FILE or stdin) share one"
          + " session. Each statement's time goes to stderr (time: 0.54 s), so stdout is the"
          + " result alone.",
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

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "SQL",
      description =
          "The query (quote it). Without it (and without -f), statements are read from stdin;"
              + " several statements are separated by ';' and run in one session.")
  String sql;

  @Option(
      names = {"-f", "--file"},
      paramLabel = "FILE",
      description = "Read the statements from FILE ('-' for stdin), separated by ';'.")
  java.nio.file.Path file;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
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
    if (sql != null && file != null) {
      err.println("error: both a statement and -f " + file + " given; expected one of them");
      return 2;
    }
    String text;
    try {
      text =
          sql != null
              ? sql
              : file != null && !file.toString().equals("-")
                  ? java.nio.file.Files.readString(file)
                  : new String(System.in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      err.println("error: -f " + file + ": cannot be read (" + e.getMessage() + ")");
      return 2;
    }
    List<String> statements = splitStatements(text);
    if (statements.isEmpty()) {
      err.println("error: no SQL statement given; expected one, e.g. \"SELECT * FROM trials\"");
      return 2;
    }
    String missing = sparkOptions.missingWarehouse();
    if (missing != null) {
      err.println(
          "error: --warehouse "
              + missing
              + " does not exist; expected the warehouse a search wrote (a query never"
              + " creates one)");
      return 2;
    }
    SparkSession spark = sparkOptions.readingSession("sparksweep query");
    String warehouseUri = Sessions.warehouseUri(sparkOptions.warehouse);
    boolean first = true;
    for (String statement : statements) {
      if (!first) {
        // The views name the tables' snapshots at the time they were made: see later commits.
        Sessions.registerSnapshotTables(spark, warehouseUri);
      }
      first = false;
      String refusal = ReadOnlySql.refusal(spark, statement);
      if (refusal != null) {
        err.println("error: " + refusal);
        return 2;
      }
      long start = System.nanoTime();
      int code = runOne(spark, warehouseUri, statement, out, err);
      if (code == 0) {
        // On stderr, as spark-sql's "Time taken": stdout stays the result alone (csv, json).
        err.printf(java.util.Locale.ROOT, "time: %.2f s%n", (System.nanoTime() - start) / 1e9);
        err.flush();
      }
      if (code != 0) {
        return code;
      }
    }
    return 0;
  }

  private int runOne(
      SparkSession spark, String warehouseUri, String statement, PrintWriter out, PrintWriter err)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        out.print(render(spark.sql(statement)));
        out.flush();
        return 0;
      } catch (Exception e) { // AnalysisException (undeclared by Scala) or an execution error
        if (attempt < MAX_ATTEMPTS && replacedWhileReading(e)) {
          Sessions.registerSnapshotTables(spark, warehouseUri); // the latest snapshots' files
          continue;
        }
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
    }
  }

  /** Statements separated by {@code ;} outside quotes and comments; blank ones dropped. */
  static List<String> splitStatements(String text) {
    List<String> out = new java.util.ArrayList<>();
    StringBuilder cur = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (quote != 0) {
        cur.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          cur.append(text.charAt(++i));
        } else if (c == quote) {
          quote = 0;
        }
      } else if (c == '\'' || c == '"' || c == '`') {
        quote = c;
        cur.append(c);
      } else if (c == '-' && i + 1 < text.length() && text.charAt(i + 1) == '-') {
        while (i < text.length() && text.charAt(i) != '\n') {
          i++;
        }
        cur.append('\n');
      } else if (c == ';') {
        add(out, cur);
      } else {
        cur.append(c);
      }
    }
    add(out, cur);
    return out;
  }

  private static void add(List<String> out, StringBuilder cur) {
    String s = cur.toString().strip();
    if (!s.isEmpty()) {
      out.add(s);
    }
    cur.setLength(0);
  }

  private static final int MAX_ATTEMPTS = 3;

  /** Whether a failure means a file changed or vanished after the query listed it. */
  static boolean replacedWhileReading(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String condition = t instanceof SparkThrowable st ? st.getCondition() : null;
      if ((condition != null && condition.startsWith("FAILED_READ_FILE"))
          || t instanceof java.io.FileNotFoundException
          || String.valueOf(t.getMessage()).contains("is not a Parquet file")) {
        return true;
      }
    }
    return false;
  }

  /** The whole output, computed before anything is printed (so a retry never prints twice). */
  private String render(Dataset<Row> result) {
    List<String> columns = Arrays.asList(result.columns());
    Dataset<Row> limited = maxRows == 0 ? result : result.limit(maxRows + 1);
    StringBuilder text = new StringBuilder();
    String nl = System.lineSeparator();
    switch (format) {
      case table -> {
        List<Row> rows = limited.collectAsList();
        boolean truncated = maxRows > 0 && rows.size() > maxRows;
        List<List<String>> cells =
            rows.stream().limit(truncated ? maxRows : rows.size()).map(TextTable::cells).toList();
        text.append(TextTable.render(columns, cells));
        text.append("(")
            .append(cells.size())
            .append(cells.size() == 1 ? " row" : " rows")
            .append(truncated ? ", truncated by --max-rows" : "")
            .append(")")
            .append(nl);
      }
      case csv -> {
        text.append(TextTable.csv(columns)).append(nl);
        List<Row> rows = limited.collectAsList();
        for (int n = 0; n < rows.size() && (maxRows == 0 || n < maxRows); n++) {
          Row r = rows.get(n);
          Object[] values = new Object[r.length()];
          for (int i = 0; i < values.length; i++) {
            values[i] = r.get(i);
          }
          text.append(TextTable.csv(Arrays.asList(values))).append(nl);
        }
      }
      case json -> {
        List<String> rows = limited.toJSON().collectAsList();
        for (int n = 0; n < rows.size() && (maxRows == 0 || n < maxRows); n++) {
          text.append(rows.get(n)).append(nl);
        }
      }
    }
    return text.toString();
  }

  private static List<String> tableNames(SparkSession spark) {
    return spark.sql("SHOW TABLES").collectAsList().stream().map(r -> r.getString(1)).toList();
  }
}
