package io.sparksweep.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark's report: the text table (returned as lines for the command line to print) and the
 * JSON lines (one object per row, written with Jackson; non-finite numbers become {@code null}).
 */
public final class Report {
  static final ObjectMapper JSON = new ObjectMapper();

  private Report() {}

  /** The table of rows and, when PyTorch ran, the ours/PyTorch ratios. */
  public static List<String> table(List<Row> rows, Map<Workload, List<Row>> torch) {
    List<String> out = new ArrayList<>();
    out.add(
        String.format(
            Locale.ROOT,
            "%-5s %-14s %9s %9s %9s %10s %11s %9s %8s",
            "work",
            "impl",
            "median",
            "min",
            "max",
            "img/cpu-s",
            "alloc B/img",
            "peak RSS",
            "foreign"));
    for (Row r : rows) {
      boolean ours = r.ours();
      out.add(
          String.format(
              Locale.ROOT,
              "%-5s %-14s %,9.0f %,9.0f %,9.0f %,10.0f %11s %9s %8s",
              r.workload().id(),
              r.blas(),
              r.median(),
              r.min(),
              r.max(),
              r.cpuMedian(),
              ours ? String.format(Locale.ROOT, "%,.0f", r.allocPerImage()) : "",
              ours && r.peakRss() > 0 ? (r.peakRss() >> 20) + " MiB" : "",
              ours ? String.format(Locale.ROOT, "%.2f", r.foreignCpus()) : ""));
    }
    out.add(
        "img/s over the repetitions (median, min, max); img/cpu-s: median images per CPU-second"
            + " of the measuring process; alloc B/img: steady-state heap bytes allocated per"
            + " training image (the least of any repetition: the Vector API allocates until C2"
            + " compiles it); foreign: mean CPUs used by other processes while ours ran; peak"
            + " RSS: VmHWM of the measuring JVM so far.");
    if (torch.isEmpty()) {
      return out;
    }
    out.add("");
    out.add("ours / PyTorch, wall-clock img/s (and per CPU-second):");
    for (Row r : rows) {
      if (!r.ours()) {
        continue;
      }
      StringBuilder line =
          new StringBuilder(
              String.format(Locale.ROOT, "  %-5s %-12s", r.workload().id(), r.blas()));
      for (Row t : torch.getOrDefault(r.workload(), List.of())) {
        line.append(
            String.format(
                Locale.ROOT,
                "  vs %s %.2f× (%.2f×)",
                t.blas(),
                r.median() / t.median(),
                r.cpuMedian() / t.cpuMedian()));
      }
      out.add(line.toString());
    }
    return out;
  }

  /** One row as a JSON object (one line), with its ratios to the workload's PyTorch rows. */
  public static String jsonLine(Row r, List<Row> torchRows) {
    ObjectNode m = JSON.createObjectNode();
    m.put("name", r.workload().id() + "_train");
    m.put("workload", r.workload().id());
    m.put("impl", r.impl());
    m.put("blas", r.blas());
    m.put("batch", r.workload().batch());
    m.put("unit", "img/s");
    number(m, "median_rate", r.median());
    number(m, "min_rate", r.min());
    number(m, "max_rate", r.max());
    number(m, "cpu_median_rate", r.cpuMedian());
    if (r.ours()) {
      number(m, "alloc_bytes_per_image", r.allocPerImage());
      m.put("peak_rss_bytes", r.peakRss());
      number(m, "foreign_cpus", r.foreignCpus());
      for (Row t : torchRows) {
        String key = t.blas().replace("/", "_").replace("-", "_");
        number(m, key + "_median_rate", t.median());
        number(m, "ratio_vs_" + key, r.median() / t.median());
        number(m, "cpu_ratio_vs_" + key, r.cpuMedian() / t.cpuMedian());
      }
    }
    m.put("cpu", Machine.cpuModel());
    m.put("java", System.getProperty("java.version"));
    m.put("openblas_coretype", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
    if (!r.note().isEmpty()) {
      m.put("note", r.note());
    }
    try {
      return JSON.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes every row as a JSON line to {@code file}. */
  public static void writeJsonLines(Path file, List<Row> rows, Map<Workload, List<Row>> torch)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      sb.append(jsonLine(r, torch.getOrDefault(r.workload(), List.of()))).append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  /**
   * Our row read back from a JSON line this class wrote (a child JVM's), or null if the line is not
   * one of ours.
   */
  public static Row parseOurs(String line, Workload w, String note) {
    JsonNode n = parse(line);
    if (n == null || !Row.OURS.equals(n.path("impl").asText())) {
      return null;
    }
    return new Row(
        w,
        Row.OURS,
        n.path("blas").asText("?"),
        number(n, "median_rate"),
        number(n, "min_rate"),
        number(n, "max_rate"),
        number(n, "cpu_median_rate"),
        number(n, "alloc_bytes_per_image"),
        n.path("peak_rss_bytes").asLong(-1),
        number(n, "foreign_cpus"),
        note);
  }

  /** A JSON line as a tree, or null if it does not parse. */
  static JsonNode parse(String line) {
    try {
      return JSON.readTree(line);
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** A numeric field, NaN when absent, null or not a number. */
  static double number(JsonNode n, String key) {
    JsonNode v = n.get(key);
    return v != null && v.isNumber() ? v.asDouble() : Double.NaN;
  }

  private static void number(ObjectNode m, String key, double v) {
    if (Double.isFinite(v)) {
      m.put(key, v);
    } else {
      m.putNull(key);
    }
  }
}
