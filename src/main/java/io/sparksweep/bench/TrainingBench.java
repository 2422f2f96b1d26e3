package io.sparksweep.bench;

import io.sparksweep.data.ByteImageExamples;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Split;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.model.Classifier;
import io.sparksweep.tensor.Gemm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The training-throughput measurement of one workload, ours in this JVM or in a child JVM on the
 * pure-Java GEMM: {@code reps} repetitions of {@link Throughput#measure} (one per call, so each can
 * be checked for load from other processes and repeated as PyTorch's benchmark does).
 *
 * @param reps timed repetitions
 * @param targetSeconds approximate length of one repetition
 * @param warmupSteps untimed steps before the first repetition
 * @param warmupSeconds untimed training before the repetitions
 * @param numTrain images held in memory
 * @param seed seed of data and weights
 * @param maxForeign discard a repetition during which other processes used more CPUs; null keeps
 *     every repetition
 */
public record TrainingBench(
    int reps,
    double targetSeconds,
    int warmupSteps,
    double warmupSeconds,
    int numTrain,
    long seed,
    Double maxForeign) {

  /** Validates the options, naming each bound. */
  public TrainingBench {
    if (reps < 1 || targetSeconds <= 0 || warmupSteps < 1 || warmupSeconds < 0 || numTrain < 100) {
      throw new IllegalArgumentException(
          "--reps must be ≥ 1, --target-seconds > 0, --warmup-steps ≥ 1, --warmup-seconds ≥ 0"
              + " and --num-train ≥ 100");
    }
  }

  /** {@code numTrain} synthetic CIFAR-shaped images (bytes, mean subtracted per minibatch). */
  public ByteImageExamples syntheticTrain(Consumer<String> progress) {
    long t0 = System.nanoTime();
    Cifar10Data data = SyntheticCifar.generate(numTrain, 0, seed);
    ByteImageExamples train = Cifar10Split.of(data, numTrain, 0, 0).train();
    progress.accept(
        String.format(
            Locale.ROOT,
            "  synthetic CIFAR: %d images in memory (%.1f s)",
            numTrain,
            (System.nanoTime() - t0) / 1e9));
    return train;
  }

  /** Measures {@code w} in this JVM, on the loaded GEMM. */
  public Row measure(Workload w, ByteImageExamples train) {
    String backend = Gemm.sgemmKernel();
    Classifier model = w.model(seed);
    List<Double> rates = new ArrayList<>();
    List<Double> cpuRates = new ArrayList<>();
    // The least of any repetition: until C2 has compiled a Vector API kernel its vectors are heap
    // objects, and the kernels called a few times a step (batchnorm's column sums) get there
    // seconds after the warm-up (2026-12-07, conv: 1,129 and 358 B/img in the 3rd and 4th 2-s
    // repetition, 88-91 from then on).
    double allocBytes = Double.POSITIVE_INFINITY;
    double foreignSum = 0;
    int attempts = 0;
    // Untimed: the JIT compiles the step's loops, and the heap grows into fresh pages whose first
    // touch faults (on some machines a fresh JVM trains at a fifth of its speed for seconds).
    Throughput.measure(model, train, w.batch(), warmupSteps, 1, warmupSeconds);
    boolean first = true;
    while (rates.size() < reps && attempts < reps * 5) {
      attempts++;
      if (maxForeign != null) {
        Machine.LoadMeter.waitQuiet(maxForeign, 60);
      }
      Machine.LoadMeter meter = Machine.LoadMeter.start();
      Throughput.Result r =
          Throughput.measure(model, train, w.batch(), first ? warmupSteps : 2, 1, targetSeconds);
      double foreign = meter.foreignCpus();
      double own = meter.ownCpus();
      first = false;
      if (maxForeign != null && foreign > maxForeign) {
        continue;
      }
      rates.add(r.medianImagesPerSecond());
      cpuRates.add(r.medianImagesPerSecond() / own);
      foreignSum += foreign;
      allocBytes = Math.min(allocBytes, r.allocatedBytesPerImage());
    }
    if (rates.isEmpty()) {
      return new Row(
          w,
          Row.OURS,
          backend,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          -1,
          Machine.peakRss(),
          Double.NaN,
          "no repetition below --max-foreign");
    }
    double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Row(
        w,
        Row.OURS,
        backend,
        Stats.median(sorted),
        sorted[0],
        sorted[sorted.length - 1],
        Stats.median(cpuRates.stream().mapToDouble(Double::doubleValue).sorted().toArray()),
        allocBytes,
        Machine.peakRss(),
        foreignSum / rates.size(),
        "");
  }

  /**
   * Runs {@code mainClass bench --workloads w …} in a child JVM with netlib's native BLAS disabled
   * (float32 products on VectorSgemm, or on netlib's VectorBLAS when {@code sparksweep.sgemm=blas}
   * is set here), and reads its JSON line.
   *
   * @return the child's row, or null (after reporting its output's tail) if it failed
   */
  public Row measureInChildJvm(Workload w, String mainClass, Consumer<String> progress)
      throws IOException, InterruptedException {
    Path outFile = Files.createTempFile("sparksweep-bench-", ".jsonl");
    Path log = Files.createTempFile("sparksweep-bench-", ".log");
    try {
      List<String> cmd = new ArrayList<>();
      cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      cmd.add("-Xmx" + Math.max(1024, Runtime.getRuntime().maxMemory() >> 20) + "m");
      cmd.add("--add-modules=jdk.incubator.vector");
      cmd.add("-Ddev.ludovic.netlib.blas.allowNative=false");
      String sgemm = System.getProperty(Gemm.SGEMM_PROPERTY);
      if (sgemm != null) {
        cmd.add("-D" + Gemm.SGEMM_PROPERTY + "=" + sgemm);
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(mainClass);
      cmd.addAll(
          List.of(
              "bench",
              "--workloads",
              w.id(),
              "--reps",
              Integer.toString(reps),
              "--target-seconds",
              Double.toString(targetSeconds),
              "--warmup-steps",
              Integer.toString(warmupSteps),
              "--warmup-seconds",
              Double.toString(warmupSeconds),
              "--num-train",
              Integer.toString(numTrain),
              "--seed",
              Long.toString(seed),
              "--json",
              outFile.toString()));
      if (maxForeign != null) {
        cmd.add("--max-foreign");
        cmd.add(maxForeign.toString());
      }
      int code =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start()
              .waitFor();
      for (String line : Files.readAllLines(outFile, StandardCharsets.UTF_8)) {
        Row r = Report.parseOurs(line, w, "child JVM");
        if (r != null) {
          return r;
        }
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      progress.accept(
          "pure-Java run failed (exit "
              + code
              + "):\n"
              + String.join("\n", lines.subList(Math.max(0, lines.size() - 10), lines.size())));
      return null;
    } finally {
      Files.deleteIfExists(outFile);
      Files.deleteIfExists(log);
    }
  }
}
