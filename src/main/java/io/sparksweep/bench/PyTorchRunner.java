package io.sparksweep.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs {@code torch_nets.py} (the PyTorch side, {@code shared/bench/pytorch/}; it flushes denormals
 * by default) as a subprocess for one workload, one thread, and reads its JSON line.
 *
 * @param python the python with torch installed
 * @param script torch_nets.py
 * @param libraryPath LD_LIBRARY_PATH for PyTorch's BLAS (the OpenMP OpenBLAS)
 */
public record PyTorchRunner(String python, Path script, String libraryPath) {
  /** PyTorch run as its README says. */
  public static final String MALLOC_DEFAULT = "torch";

  /** PyTorch with glibc malloc keeping freed memory. */
  public static final String MALLOC_NO_TRIM = "torch/no-trim";

  /** Thrown (with a one-line reason) when PyTorch cannot run here. */
  public static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /**
   * Runs the script for {@code w}.
   *
   * @param variant {@link #MALLOC_DEFAULT} or {@link #MALLOC_NO_TRIM}
   * @param maxForeign the script's ANCHOR_MAX_FOREIGN (repetitions above it are repeated)
   * @return PyTorch's row
   * @throws Unavailable when python or torch is missing or the script fails
   */
  public Row run(
      Workload w, String variant, int reps, double targetSeconds, int numTrain, double maxForeign)
      throws IOException, InterruptedException, Unavailable {
    Path outFile = Files.createTempFile("sparksweep-torch-", ".jsonl");
    Path log = Files.createTempFile("sparksweep-torch-", ".log");
    try {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  python,
                  script.toString(),
                  "--threads",
                  "1",
                  "--nets",
                  w.id(),
                  "--reps",
                  Integer.toString(reps),
                  "--target-s",
                  Double.toString(targetSeconds),
                  "--n-train",
                  Integer.toString(numTrain),
                  "--skip-infer",
                  "--out",
                  outFile.toString()));
      ProcessBuilder pb = new ProcessBuilder(cmd);
      Map<String, String> env = pb.environment();
      env.put("OMP_NUM_THREADS", "1");
      env.put("OPENBLAS_NUM_THREADS", "1");
      env.put("MKL_NUM_THREADS", "1");
      env.put("LD_LIBRARY_PATH", libraryPath);
      if (MALLOC_NO_TRIM.equals(variant)) {
        // Keep freed blocks in the heap instead of unmapping them: otherwise every large
        // temporary is a fresh mmap whose pages fault in one by one.
        env.put("MALLOC_MMAP_THRESHOLD_", "4294967296");
        env.put("MALLOC_TRIM_THRESHOLD_", "4294967296");
        env.put("MALLOC_TOP_PAD_", "268435456");
      }
      env.put("ANCHOR_MAX_FOREIGN", Double.toString(maxForeign));
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      int code;
      try {
        code = pb.start().waitFor();
      } catch (IOException e) {
        throw new Unavailable("cannot start " + python + ": " + e.getMessage());
      }
      Row row = null;
      for (String line : Files.readAllLines(outFile, StandardCharsets.UTF_8)) {
        if (line.contains("\"" + w.id() + "_train\"")) {
          row = parse(w, variant, line);
        }
      }
      if (code != 0 || row == null) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        throw new Unavailable(
            python
                + " exited with "
                + code
                + (tail.contains("No module named 'torch'") ? "; torch is not installed" : "")
                + ":\n"
                + tail);
      }
      return row;
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(log);
    }
  }

  /**
   * Parses one JSON line of torch_nets.py: its top-level rates, and the per-CPU rate of each clean
   * repetition ({@code rates[i] / own_cpus} of the i-th clean entry of {@code reps_info}).
   *
   * @throws IllegalArgumentException if the line is not a JSON object
   */
  public static Row parse(Workload w, String variant, String jsonLine) {
    JsonNode n = Report.parse(jsonLine);
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("not a torch_nets.py JSON line: " + jsonLine);
    }
    List<Double> cpuRates = new ArrayList<>();
    JsonNode rates = n.path("rates");
    int i = 0;
    for (JsonNode rep : n.path("reps_info")) {
      if (i >= rates.size()) {
        break;
      }
      if (rep.path("clean").asBoolean(false)) {
        cpuRates.add(rates.get(i).asDouble() / Report.number(rep, "own_cpus"));
        i++;
      }
    }
    return new Row(
        w,
        "torch",
        variant,
        Report.number(n, "median_rate"),
        Report.number(n, "min_rate"),
        Report.number(n, "max_rate"),
        cpuRates.isEmpty()
            ? Double.NaN
            : Stats.median(cpuRates.stream().mapToDouble(Double::doubleValue).sorted().toArray()),
        -1,
        -1,
        Double.NaN,
        "");
  }
}
