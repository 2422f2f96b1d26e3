package io.sparksweep.cli;

import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.spark.HumanDuration;
import io.sparksweep.spark.SearchProgress;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * The pieces of {@code search}'s console output: counts by status for the progress line, the Spark
 * UI's address, plurals and model locations as full URIs.
 */
final class SearchOutput {
  private SearchOutput() {}

  /** {@code 1 trial}, {@code 8 trials}. */
  static String trials(int n) {
    return n + (n == 1 ? " trial" : " trials");
  }

  /**
   * A model's location as a full URI ({@code file:///…/models/k.npz}, {@code hdfs://…}): kept if it
   * already has a scheme, else the absolute local path's URI; empty for none.
   */
  static String modelUri(Object path) {
    if (path == null) {
      return "";
    }
    String s = path.toString();
    if (s.matches("[A-Za-z][A-Za-z0-9+.-]*:.*") && !s.matches("[A-Za-z]:\\\\.*")) {
      return s;
    }
    URI uri = Path.of(s).toAbsolutePath().normalize().toUri();
    return uri.toString();
  }

  /** Prints the Spark UI's address, or that it is off. */
  static void printUi(PrintWriter out, SparkSession spark) {
    scala.Option<String> url = spark.sparkContext().uiWebUrl();
    out.println(
        url.isDefined()
            ? "Spark UI: " + url.get() + " (jobs are named after their trials)"
            : "Spark UI: off (spark.ui.enabled=false)");
    out.flush();
  }

  /**
   * What the progress line counts: this attempt's finished trials by status (DIVERGED, FAILED and
   * any other status apart), plus those recorded by earlier attempts of a resumed run.
   */
  static final class Counts {
    private final int slots;
    private final Supplier<List<String>> epochs;
    private final Map<TrialStatus, Integer> byStatus = new EnumMap<>(TrialStatus.class);
    private int resumed;

    /**
     * @param slots task slots: the running count shown never exceeds it (0: no cap)
     */
    Counts(int slots) {
      this(slots, List::of);
    }

    /**
     * @param slots task slots: the running count shown never exceeds it (0: no cap)
     * @param epochs the latest {@code key/r<repeat> epoch/epochs} of each running trial
     */
    Counts(int slots, Supplier<List<String>> epochs) {
      this.slots = slots;
      this.epochs = epochs;
    }

    void resumed(int recorded) {
      resumed = recorded;
    }

    void add(TrialResult r) {
      byStatus.merge(r.status(), 1, Integer::sum);
    }

    int count(TrialStatus s) {
      return byStatus.getOrDefault(s, 0);
    }

    /** Running trials as shown: Spark's active tasks, at most the slots and the trials left. */
    int running(SearchProgress p) {
      int running = Math.min(p.running(), p.total() - p.done());
      return slots > 0 ? Math.min(running, slots) : running;
    }

    /**
     * {@code running 2, ok 5, diverged 1, failed 0, best val 0.4510, elapsed 1 min 02 s, eta 30.0
     * s} (other statuses, such as STOPPED, appear when they occur; {@code resumed N} for a resume).
     */
    String line(SearchProgress p) {
      StringBuilder b = new StringBuilder();
      b.append("running ").append(running(p));
      for (TrialStatus s : TrialStatus.values()) {
        int n = count(s);
        if (n > 0 || s == TrialStatus.OK || s == TrialStatus.DIVERGED || s == TrialStatus.FAILED) {
          b.append(", ").append(s.name().toLowerCase(Locale.ROOT)).append(' ').append(n);
        }
      }
      if (resumed > 0) {
        b.append(", resumed ").append(resumed);
      }
      b.append(", best val ")
          .append(
              Double.isNaN(p.bestValAcc())
                  ? "-"
                  : String.format(Locale.ROOT, "%.4f", p.bestValAcc()))
          .append(", elapsed ")
          .append(HumanDuration.of(p.elapsed()))
          .append(", eta ")
          .append(p.eta() == null ? "?" : HumanDuration.of(p.eta()));
      List<String> running = epochs.get();
      if (!running.isEmpty() && p.done() < p.total()) {
        b.append(" | epochs ").append(String.join(", ", running));
      }
      return b.toString();
    }
  }
}
