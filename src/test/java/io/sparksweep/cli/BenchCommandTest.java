package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparksweep.bench.GemmBench;
import io.sparksweep.bench.PyTorchRunner;
import io.sparksweep.bench.Report;
import io.sparksweep.bench.Row;
import io.sparksweep.bench.Workload;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sparksweep bench}: option checks, PyTorch output parsing, one tiny end-to-end run. */
class BenchCommandTest {
  @TempDir Path dir;

  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Main.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void parsesPyTorchsJsonLineAndItsPerCpuRateFromCleanRepetitionsOnly() {
    // The shape of a torch_nets.py line (keys sorted as json.dumps(sort_keys=True) writes them):
    // rates[] lists the clean repetitions only, reps_info every repetition.
    String line =
        "{\"batch\": 100, \"max_rate\": 3000.0, \"median_rate\": 2000.0, \"min_rate\": 1000.0,"
            + " \"name\": \"fc_train\", \"rates\": [1000.0, 2000.0, 3000.0], \"reps_info\": ["
            + "{\"clean\": true, \"foreign_cpus\": 0.1, \"own_cpus\": 0.5, \"s\": 1.0},"
            + " {\"clean\": false, \"foreign_cpus\": 1.9, \"own_cpus\": 0.1, \"s\": 1.0},"
            + " {\"clean\": true, \"foreign_cpus\": 0.0, \"own_cpus\": 1.0, \"s\": 1.0},"
            + " {\"clean\": true, \"foreign_cpus\": 0.0, \"own_cpus\": 0.75, \"s\": 1.0}],"
            + " \"torch\": \"1.13.1\", \"unit\": \"img/s\"}";
    Row r = PyTorchRunner.parse(Workload.FC, "torch", line);
    assertEquals(2000.0, r.median());
    assertEquals(1000.0, r.min());
    assertEquals(3000.0, r.max());
    // Per-CPU rates 1000/0.5 = 2000, 2000/1.0 = 2000, 3000/0.75 = 4000: median 2000.
    assertEquals(2000.0, r.cpuMedian(), 1e-9);
    assertEquals("torch", r.blas());
  }

  @Test
  void jsonLinesAreRealJsonAndOurRowsRoundTrip() throws Exception {
    Row ours =
        new Row(
            Workload.CONV, Row.OURS, "JNIBLAS", 2400.5, 2300, 2500, 2450, 12.5, 1 << 30, 0.1, "");
    Row torch =
        new Row(
            Workload.CONV, "torch", "torch/no-trim", 2000, 1900, 2100, Double.NaN, -1, -1, 0, "");
    String line = Report.jsonLine(ours, java.util.List.of(torch));
    JsonNode n = new ObjectMapper().readTree(line);
    assertEquals("conv_train", n.get("name").asText());
    assertEquals(50, n.get("batch").asInt());
    assertEquals(12.5, n.get("alloc_bytes_per_image").asDouble());
    assertEquals(2400.5 / 2000, n.get("ratio_vs_torch_no_trim").asDouble(), 1e-12);
    // NaN (an unknown per-CPU rate) is written as null, never as an invalid token.
    assertTrue(n.get("cpu_ratio_vs_torch_no_trim").isNull(), line);
    Row back = Report.parseOurs(line, Workload.CONV, "child JVM");
    assertEquals(ours.median(), back.median());
    assertEquals(ours.allocPerImage(), back.allocPerImage());
    assertEquals(ours.peakRss(), back.peakRss());
    assertEquals("JNIBLAS", back.blas());
    assertEquals(
        null, Report.parseOurs(Report.jsonLine(torch, java.util.List.of()), Workload.CONV, ""));
  }

  // Structure only, never a timing: under load a figure printed with one decimal can read 0.0.
  @Test
  void gemmModeTimesEveryShapeOnEveryAvailableImplementation() {
    Run r = run("bench", "--gemm", "--reps", "1", "--target-seconds", "0.001");
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    String header = lines.get(0);
    for (io.sparksweep.tensor.Gemm.SgemmImpl impl : io.sparksweep.tensor.Gemm.availableSgemm()) {
      assertTrue(header.contains(impl.label()), header);
    }
    int impls = io.sparksweep.tensor.Gemm.availableSgemm().size();
    for (GemmBench.Shape g : GemmBench.SHAPES) {
      String row =
          lines.stream()
              .filter(l -> l.startsWith(g.what()))
              .findFirst()
              .orElseThrow(() -> new AssertionError(r.out()));
      // Columns: product (34 wide), shape (18 wide), then one GFLOP/s figure per implementation.
      String[] numbers = row.substring(34 + 1 + 18).trim().split("\\s+");
      assertEquals(impls, numbers.length, row);
      for (String n : numbers) {
        double v = Double.parseDouble(n);
        assertTrue(Double.isFinite(v) && v >= 0, row);
      }
    }
  }

  @Test
  void gemmModeRejectsNonPositiveRounds() {
    Run r = run("bench", "--gemm", "--reps", "0");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("--reps must be ≥ 1"), r.err());
  }

  @Test
  void unknownWorkloadIsRejectedNamingIt() {
    Run r = run("bench", "--workloads", "fc,resnet");
    assertEquals(2, r.code());
    assertTrue(r.err().contains("resnet"), r.err());
  }

  @Test
  void tinyRunReportsEveryFieldAndSaysWhenPyTorchIsMissing() throws Exception {
    Path json = dir.resolve("bench.jsonl");
    Run r =
        run(
            "bench",
            "--workloads",
            "fc",
            "--reps",
            "2",
            "--target-seconds",
            "0.02",
            "--warmup-seconds",
            "0",
            "--warmup-steps",
            "1",
            "--num-train",
            "300",
            "--compare-pytorch",
            "--pytorch-script",
            dir.resolve("missing.py").toString(),
            "--json",
            json.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("PyTorch comparison unavailable"), r.err());
    List<String> lines = Files.readAllLines(json);
    assertEquals(1, lines.size());
    String line = lines.get(0);
    JsonNode n = new ObjectMapper().readTree(line);
    // Structure only (the fields are present and numeric), never a timing.
    assertTrue(n.get("median_rate").isNumber(), line);
    assertTrue(n.get("alloc_bytes_per_image").isNumber(), line);
    assertTrue(n.get("alloc_bytes_per_image").asDouble() >= 0, line);
    assertEquals("sparksweep", n.get("impl").asText());
    assertTrue(r.out().contains("fc"), r.out());
  }
}
