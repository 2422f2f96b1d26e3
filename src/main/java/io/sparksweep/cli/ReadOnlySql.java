package io.sparksweep.cli;

import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.InsertIntoStatement;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Decides from the parsed logical plan (not from the text) whether a statement only reads: a query,
 * or one of a few commands that show things. Anything else (INSERT, DELETE, UPDATE, MERGE, DROP,
 * CREATE, ALTER, TRUNCATE, OPTIMIZE, VACUUM, CACHE, …) is refused.
 */
final class ReadOnlySql {
  /** Commands that only show things (by class name of the parsed plan node). */
  private static final Set<String> SHOW_COMMANDS =
      Set.of(
          "ShowTables",
          "ShowTablesExtended",
          "ShowViews",
          "ShowColumns",
          "ShowFunctions",
          "ShowNamespaces",
          "ShowTableProperties",
          "ShowCreateTable",
          "ShowPartitions",
          "DescribeRelation",
          "DescribeColumn",
          "DescribeFunction",
          "DescribeNamespace",
          "DescribeDeltaDetailCommand",
          "DescribeDeltaHistory",
          "ExplainCommand",
          "SetCommand");

  private ReadOnlySql() {}

  /**
   * Why a statement is refused, or null when it only reads (or does not parse, which Spark then
   * reports itself).
   *
   * @param spark the session, whose parser (with Delta's extension) reads the statement
   * @param statement one SQL statement
   */
  static String refusal(SparkSession spark, String statement) {
    LogicalPlan plan;
    try {
      plan = spark.sessionState().sqlParser().parsePlan(statement);
    } catch (ParseException e) {
      return null;
    }
    String writer = writer(plan);
    if (writer == null) {
      return null;
    }
    String first = statement.strip().split("\\s+", 2)[0].toUpperCase(java.util.Locale.ROOT);
    return "query is read-only: "
        + first
        + " ("
        + writer
        + ") would change the tables or the catalog; allowed: SELECT, WITH, SHOW, DESCRIBE,"
        + " EXPLAIN";
  }

  /** The first plan node that writes or changes the catalog, or null. */
  private static String writer(LogicalPlan plan) {
    String name = plan.getClass().getSimpleName();
    if (plan instanceof InsertIntoStatement) {
      return name;
    }
    if (plan instanceof Command && !SHOW_COMMANDS.contains(name)) {
      return name;
    }
    if (plan instanceof Command && !name.equals("ExplainCommand")) {
      return null; // a show command: its children (e.g. a relation name) are not run
    }
    for (LogicalPlan child : CollectionConverters.asJava(plan.children())) {
      String w = writer(child);
      if (w != null) {
        return w;
      }
    }
    return null;
  }
}
