package io.sparksweep.cli;

import io.sparksweep.data.ByteImageExamples;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Split;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.FullyConnectedNet;
import io.sparksweep.model.FullyConnectedNetConfig;
import io.sparksweep.model.Normalization;
import io.sparksweep.model.ThreeLayerConvNet;
import io.sparksweep.model.ThreeLayerConvNetConfig;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Gemm;
import io.sparksweep.train.Throughput;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep bench}: training throughput of the three reference workloads, measured as
 * {@code shared/bench/pytorch/torch_nets.py} measures PyTorch's (minibatch gather from 49,000
 * in-memory images + forward + loss + backward + Adam step, float32, one thread), optionally side
 * by side with that script run as a subprocess in the same invocation, and optionally with the
 * pure-Java BLAS fallback run in a child JVM.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Measures training throughput (images/s) of the reference workloads on synthetic"
          + " CIFAR-shaped bytes: fc (3072→[100]×5→10, batch 100), fcbn (the same with batchnorm"
          + " and dropout keep 0.75) and conv (ThreeLayerConvNet 32×7×7, hidden 100, batch 50).",
      "A step is minibatch gather + normalisation + forward + backward + Adam step, as in"
          + " PyTorch's benchmark. Run with OPENBLAS_NUM_THREADS=1 for one-thread figures.",
      "Example: OPENBLAS_NUM_THREADS=1 sparksweep bench --compare-pytorch --blas both"
    })
public final class BenchCommand implements Callable<Integer> {
  /** The PyTorch script's default location, next to the repository as in the shared layout. */
  static final String DEFAULT_TORCH_SCRIPT = "../shared/bench/pytorch/torch_nets.py";

  /** PyTorch run as its README says. */
  static final String MALLOC_DEFAULT = "torch";

  /** PyTorch with glibc malloc keeping freed memory (see --pytorch-malloc). */
  static final String MALLOC_NO_TRIM = "torch/no-trim";

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--workloads",
      split = ",",
      defaultValue = "fc,fcbn,conv",
      description = "Comma-separated subset of fc, fcbn, conv (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(
      names = "--reps",
      defaultValue = "7",
      description = "Timed repetitions per workload (default ${DEFAULT-VALUE}).")
  int reps;

  @Option(
      names = "--target-seconds",
      defaultValue = "2.0",
      description = "Approximate length of one repetition (default ${DEFAULT-VALUE}).")
  double targetSeconds;

  @Option(
      names = "--warmup-steps",
      defaultValue = "10",
      description = "Untimed steps before the first repetition (default ${DEFAULT-VALUE}).")
  int warmupSteps;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "5.0",
      description =
          "Untimed training before the repetitions (default ${DEFAULT-VALUE}): the JIT compiles"
              + " the hot loops, and the heap's fresh pages fault in (slow on some machines).")
  double warmupSeconds;

  @Option(
      names = "--num-train",
      defaultValue = "49000",
      description = "Images held in memory and sampled from (default ${DEFAULT-VALUE}).")
  int numTrain;

  @Option(
      names = "--blas",
      defaultValue = "loaded",
      description =
          "loaded: the BLAS netlib loaded in this JVM (native when available); java: the"
              + " pure-Java fallback (float32 products on our VectorSgemm, or on netlib's"
              + " VectorBLAS with -Dsparksweep.sgemm=blas), in a child JVM; both (default"
              + " ${DEFAULT-VALUE}).")
  String blas;

  @Option(
      names = "--compare-pytorch",
      description =
          "Also run the PyTorch benchmark (one subprocess per workload, just before ours) and"
              + " print ours/PyTorch.")
  boolean comparePytorch;

  @Option(
      names = "--pytorch-script",
      defaultValue = DEFAULT_TORCH_SCRIPT,
      description = "torch_nets.py (default ${DEFAULT-VALUE}).")
  Path pytorchScript;

  @Option(
      names = "--python",
      defaultValue = "/usr/bin/python3",
      description = "The python with torch installed (default ${DEFAULT-VALUE}).")
  String python;

  @Option(
      names = "--pytorch-library-path",
      defaultValue = "/usr/lib/x86_64-linux-gnu/openblas-openmp",
      description = "LD_LIBRARY_PATH for PyTorch's BLAS (default ${DEFAULT-VALUE}).")
  String pytorchLibraryPath;

  @Option(
      names = "--pytorch-malloc",
      defaultValue = "both",
      description =
          "default: PyTorch as its README runs it; no-trim: with glibc's malloc told to keep freed"
              + " memory (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_), which"
              + " spares PyTorch a page fault per fresh temporary (its Adam step is ~15× faster"
              + " so here); both (default ${DEFAULT-VALUE}).")
  String pytorchMalloc;

  @Option(
      names = "--max-foreign",
      description =
          "Discard and repeat a repetition (ours and PyTorch's alike) during which other"
              + " processes used more than this many CPUs; default: keep every repetition and"
              + " report the load.")
  Double maxForeign;

  @Option(names = "--seed", defaultValue = "0", description = "Seed of data and weights.")
  long seed;

  @Option(names = "--json", paramLabel = "FILE", description = "Write JSON lines to FILE.")
  Path json;

  @Option(
      names = "--gemm",
      description =
          "Instead of training, time the float32 matrix products of the fc and conv steps alone"
              + " on every GEMM this JVM can run (the loaded BLAS, netlib's pure-Java BLAS, our"
              + " VectorSgemm) and print GFLOP/s, best of --reps rounds of about --target-seconds"
              + " ÷ 5 each.")
  boolean gemm;

  /** A product of the training steps: C(m, n) = op(A)·op(B) with inner dimension k. */
  record GemmShape(String what, int m, int n, int k, boolean transA, boolean transB) {
    double flops() {
      return 2.0 * m * n * k;
    }
  }

  /** The products that dominate the workloads' steps (see docs/performance.md). */
  static final List<GemmShape> GEMM_SHAPES =
      List.of(
          new GemmShape("conv forward W·cols, per image", 32, 1024, 147, false, false),
          new GemmShape("conv dWᵀ cols·doutᵀ, per image", 147, 32, 1024, false, true),
          new GemmShape("conv dcols Wᵀ·dout, per image", 147, 1024, 32, true, false),
          new GemmShape("conv affine 8192→100 forward", 50, 100, 8192, false, false),
          new GemmShape("conv affine dW xᵀ·dout", 8192, 100, 50, true, false),
          new GemmShape("fc first layer forward x·W", 100, 100, 3072, false, false),
          new GemmShape("fc first layer dW xᵀ·dout", 3072, 100, 100, true, false),
          new GemmShape("fc hidden dx dout·Wᵀ", 100, 100, 100, false, true));

  /** One of the reference workloads. */
  enum Workload {
    FC("fc", 100),
    FCBN("fcbn", 100),
    CONV("conv", 50);

    final String id;
    final int batch;

    Workload(String id, int batch) {
      this.id = id;
      this.batch = batch;
    }

    static Workload parse(String s) {
      for (Workload w : values()) {
        if (w.id.equalsIgnoreCase(s.trim())) {
          return w;
        }
      }
      throw new IllegalArgumentException(
          "--workloads: unknown workload '" + s + "'; expected fc, fcbn or conv");
    }

    Classifier model(long seed) {
      return switch (this) {
        case FC -> new FullyConnectedNet(fcConfig(seed).build());
        case FCBN ->
            new FullyConnectedNet(
                fcConfig(seed)
                    .normalization(Normalization.BATCHNORM)
                    .dropoutKeepRatio(0.75)
                    .build());
        case CONV ->
            new ThreeLayerConvNet(
                ThreeLayerConvNetConfig.defaults().withTraining(1e-3, 1e-3, DType.FLOAT32, seed));
      };
    }

    private static FullyConnectedNetConfig.Builder fcConfig(long seed) {
      return FullyConnectedNetConfig.builder()
          .hiddenDims(100, 100, 100, 100, 100)
          .reg(1e-3)
          .dtype(DType.FLOAT32)
          .seed(seed);
    }
  }

  /**
   * One measured row: ours (one backend) or PyTorch's. {@code cpuMedian} is the median over
   * repetitions of images per CPU-second of the measuring process (rate ÷ the process's CPUs in
   * use): on a machine shared with other jobs, time slicing lowers the wall-clock rate but not this
   * one.
   */
  record Row(
      Workload workload,
      String impl,
      String blas,
      double median,
      double min,
      double max,
      double cpuMedian,
      double allocPerImage,
      long peakRss,
      double foreignCpus,
      String note) {}

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (gemm) {
      if (reps < 1 || targetSeconds <= 0) {
        throw new IllegalArgumentException(
            "--reps must be ≥ 1 and --target-seconds > 0, got " + reps + " and " + targetSeconds);
      }
      benchGemm(out, err);
      return 0;
    }
    List<Workload> chosen = new ArrayList<>();
    for (String w : workloads) {
      Workload wl = Workload.parse(w);
      if (!chosen.contains(wl)) {
        chosen.add(wl);
      }
    }
    if (reps < 1 || targetSeconds <= 0 || warmupSteps < 1 || warmupSeconds < 0 || numTrain < 100) {
      throw new IllegalArgumentException(
          "--reps must be ≥ 1, --target-seconds > 0, --warmup-steps ≥ 1, --warmup-seconds ≥ 0"
              + " and --num-train ≥ 100");
    }
    boolean runLoaded = !"java".equals(blas);
    boolean runJava = "java".equals(blas) || "both".equals(blas);
    if ((!runLoaded && !runJava) || !List.of("loaded", "java", "both").contains(blas)) {
      throw new IllegalArgumentException("--blas must be loaded, java or both, got '" + blas + "'");
    }
    String loaded = Gemm.sgemmKernel();
    if (runJava && !"JNIBLAS".equals(Gemm.backend())) {
      // This JVM already runs the fallback: measuring it once is enough.
      runJava = false;
      runLoaded = true;
    }
    List<String> torchVariants =
        switch (pytorchMalloc) {
          case "default" -> List.of(MALLOC_DEFAULT);
          case "no-trim" -> List.of(MALLOC_NO_TRIM);
          case "both" -> List.of(MALLOC_DEFAULT, MALLOC_NO_TRIM);
          default ->
              throw new IllegalArgumentException(
                  "--pytorch-malloc must be default, no-trim or both, got '" + pytorchMalloc + "'");
        };
    if (comparePytorch && !Files.isRegularFile(pytorchScript)) {
      err.println(
          "PyTorch comparison unavailable: no script at "
              + pytorchScript.toAbsolutePath()
              + " (pass --pytorch-script)");
      comparePytorch = false;
    }

    err.printf(
        Locale.ROOT,
        "bench: %s; BLAS %s; OPENBLAS_NUM_THREADS=%s OPENBLAS_CORETYPE=%s; CPU %s; Java %s%n",
        chosen,
        loaded,
        System.getenv("OPENBLAS_NUM_THREADS"),
        System.getenv("OPENBLAS_CORETYPE"),
        cpuModel(),
        System.getProperty("java.version"));
    err.flush();

    ByteImageExamples train = runLoaded ? syntheticTrain(numTrain, seed, err) : null;
    List<Row> rows = new ArrayList<>();
    Map<Workload, List<Row>> torch = new LinkedHashMap<>();
    for (Workload w : chosen) {
      for (String variant : comparePytorch ? torchVariants : List.<String>of()) {
        Row t = runPytorch(w, variant, err);
        if (t == null) {
          comparePytorch = false;
          break;
        }
        torch.computeIfAbsent(w, k -> new ArrayList<>()).add(t);
        rows.add(t);
        err.printf(Locale.ROOT, "  %-5s %-14s %,10.0f img/s%n", w.id, t.blas(), t.median());
        err.flush();
      }
      if (runLoaded) {
        Row r = measure(w, train, loaded);
        rows.add(r);
        err.printf(Locale.ROOT, "  %-5s %-14s %,10.0f img/s%n", w.id, r.blas(), r.median());
        err.flush();
      }
      if (runJava) {
        Row r = runJavaChild(w, err);
        if (r != null) {
          rows.add(r);
          err.printf(Locale.ROOT, "  %-5s %-14s %,10.0f img/s%n", w.id, r.blas(), r.median());
          err.flush();
        }
      }
    }
    printTable(out, rows, torch);
    if (json != null) {
      writeJson(json, rows, torch);
      out.println("wrote " + json);
    }
    out.flush();
    return 0;
  }

  // ---------------------------------------------------------------- our measurement

  static ByteImageExamples syntheticTrain(int numTrain, long seed, PrintWriter err) {
    long t0 = System.nanoTime();
    Cifar10Data data = SyntheticCifar.generate(numTrain, 0, seed);
    ByteImageExamples train = Cifar10Split.of(data, numTrain, 0, 0).train();
    err.printf(
        Locale.ROOT,
        "  synthetic CIFAR: %d images in memory (%.1f s)%n",
        numTrain,
        (System.nanoTime() - t0) / 1e9);
    err.flush();
    return train;
  }

  /**
   * Times {@code reps} repetitions of {@link Throughput#measure} (one repetition per call, so each
   * can be checked for load from other processes and repeated as PyTorch's benchmark does).
   */
  private Row measure(Workload w, ByteImageExamples train, String backend) {
    Classifier model = w.model(seed);
    List<Double> rates = new ArrayList<>();
    List<Double> cpuRates = new ArrayList<>();
    double allocBytes = 0;
    long images = 0;
    double foreignSum = 0;
    int attempts = 0;
    // Untimed: the JIT compiles the step's loops, and the heap grows into fresh pages whose first
    // touch faults (on this machine a fresh JVM trains at a fifth of its speed for seconds).
    Throughput.measure(model, train, w.batch, warmupSteps, 1, warmupSeconds);
    boolean first = true;
    while (rates.size() < reps && attempts < reps * 5) {
      attempts++;
      if (maxForeign != null) {
        LoadMeter.waitQuiet(maxForeign, 60);
      }
      LoadMeter meter = LoadMeter.start();
      Throughput.Result r =
          Throughput.measure(model, train, w.batch, first ? warmupSteps : 2, 1, targetSeconds);
      double foreign = meter.foreignCpus();
      double own = meter.ownCpus();
      first = false;
      if (maxForeign != null && foreign > maxForeign) {
        continue;
      }
      rates.add(r.medianImagesPerSecond());
      cpuRates.add(r.medianImagesPerSecond() / own);
      foreignSum += foreign;
      long n = (long) r.steps() * w.batch;
      images += n;
      allocBytes += r.allocatedBytesPerImage() * n;
    }
    if (rates.isEmpty()) {
      return new Row(
          w,
          "sparksweep",
          backend,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          Double.NaN,
          -1,
          peakRss(),
          Double.NaN,
          "no repetition below --max-foreign");
    }
    double[] sorted = rates.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Row(
        w,
        "sparksweep",
        backend,
        median(sorted),
        sorted[0],
        sorted[sorted.length - 1],
        median(cpuRates.stream().mapToDouble(Double::doubleValue).sorted().toArray()),
        allocBytes / images,
        peakRss(),
        foreignSum / rates.size(),
        "");
  }

  /** The {@code --gemm} table: GFLOP/s per product shape and implementation. */
  private void benchGemm(PrintWriter out, PrintWriter err) {
    List<Gemm.SgemmImpl> impls = Gemm.availableSgemm();
    err.printf(
        Locale.ROOT,
        "bench --gemm: float32, one thread; OPENBLAS_NUM_THREADS=%s OPENBLAS_CORETYPE=%s; CPU %s;"
            + " Java %s%n",
        System.getenv("OPENBLAS_NUM_THREADS"),
        System.getenv("OPENBLAS_CORETYPE"),
        cpuModel(),
        System.getProperty("java.version"));
    err.flush();
    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-34s %-18s", "product", "m×n×k"));
    for (Gemm.SgemmImpl impl : impls) {
      header.append(String.format(Locale.ROOT, " %12s", impl.label()));
    }
    out.println(header);
    Random rnd = new Random(seed);
    for (GemmShape g : GEMM_SHAPES) {
      float[] a = randomFloats(rnd, g.m() * g.k());
      float[] b = randomFloats(rnd, g.k() * g.n());
      float[] c = new float[g.m() * g.n()];
      StringBuilder line =
          new StringBuilder(
              String.format(
                  Locale.ROOT,
                  "%-34s %-18s",
                  g.what(),
                  g.m()
                      + "×"
                      + g.n()
                      + "×"
                      + g.k()
                      + (g.transA() ? " Aᵀ" : "")
                      + (g.transB() ? " Bᵀ" : "")));
      // Ours first: netlib's VectorBLAS runs the same Vector API methods with other vector
      // shapes, and once their JIT profiles are mixed C2 compiles our kernel far slower
      // (measured: 30–40 instead of 70–120 GFLOP/s). Training never runs both.
      double[] rates = new double[impls.size()];
      for (int i = impls.size() - 1; i >= 0; i--) {
        rates[i] = gflops(impls.get(i), g, a, b, c);
      }
      for (double r : rates) {
        line.append(String.format(Locale.ROOT, " %12.1f", r));
      }
      out.println(line);
      out.flush();
    }
    out.println("GFLOP/s: 2·m·n·k per product ÷ time, best of " + reps + " rounds.");
    out.flush();
  }

  private double gflops(Gemm.SgemmImpl impl, GemmShape g, float[] a, float[] b, float[] c) {
    // A round is about targetSeconds / 5 at 30 GFLOP/s.
    int calls = (int) Math.max(1, targetSeconds / 5 * 30e9 / g.flops());
    double best = Double.POSITIVE_INFINITY;
    for (int r = -1; r < reps; r++) { // round -1 warms up
      long t0 = System.nanoTime();
      for (int i = 0; i < calls; i++) {
        Gemm.sgemm(impl, g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, a, 0, b, 0, 0f, c, 0);
      }
      long dt = System.nanoTime() - t0;
      if (r >= 0) {
        best = Math.min(best, dt / (double) calls);
      }
    }
    return g.flops() / best;
  }

  private static float[] randomFloats(Random rnd, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = rnd.nextFloat() - 0.5f;
    }
    return x;
  }

  static double median(double[] sorted) {
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
  }

  /** Peak resident set size of this process (VmHWM), in bytes, or -1 where unknown. */
  static long peakRss() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  static String cpuModel() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).trim()
              + " ×"
              + Runtime.getRuntime().availableProcessors();
        }
      }
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
    return "unknown";
  }

  /**
   * CPUs used by other processes since {@link #start()}, from {@code /proc/stat} minus this
   * process's own CPU time: the accounting of PyTorch's benchmark ({@code anchor_common.py}).
   */
  static final class LoadMeter {
    private final long wall;
    private final double busy;
    private final double own;

    private LoadMeter(long wall, double busy, double own) {
      this.wall = wall;
      this.busy = busy;
      this.own = own;
    }

    static LoadMeter start() {
      return new LoadMeter(System.nanoTime(), systemBusySeconds(), ownCpuSeconds());
    }

    /** CPUs this process used since start (its CPU time over the wall time). */
    double ownCpus() {
      return (ownCpuSeconds() - own) / ((System.nanoTime() - wall) / 1e9);
    }

    /** Other processes' CPUs since start (NaN where /proc/stat cannot be read). */
    double foreignCpus() {
      double secs = (System.nanoTime() - wall) / 1e9;
      double b = systemBusySeconds() - busy;
      double o = ownCpuSeconds() - own;
      return Math.max(0, b - o) / secs;
    }

    /** Waits (at most {@code maxSeconds}) for three quiet one-second windows in a row. */
    static void waitQuiet(double maxForeign, double maxSeconds) {
      long end = System.nanoTime() + (long) (maxSeconds * 1e9);
      int quiet = 0;
      while (quiet < 3 && System.nanoTime() < end) {
        LoadMeter m = start();
        try {
          Thread.sleep(1000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        quiet = m.foreignCpus() < maxForeign ? quiet + 1 : 0;
      }
    }

    private static double systemBusySeconds() {
      try {
        String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
        String[] f = line.trim().split("\\s+", -1);
        // cpu user nice system idle iowait irq softirq steal …; busy = user+nice+system+irq+softirq
        long jiffies =
            Long.parseLong(f[1])
                + Long.parseLong(f[2])
                + Long.parseLong(f[3])
                + Long.parseLong(f[6])
                + Long.parseLong(f[7]);
        return jiffies / 100.0;
      } catch (IOException | RuntimeException e) {
        return Double.NaN;
      }
    }

    private static double ownCpuSeconds() {
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os) {
        return os.getProcessCpuTime() / 1e9;
      }
      return Double.NaN;
    }
  }

  // ---------------------------------------------------------------- subprocesses

  /** Runs torch_nets.py for one workload; null (after saying why) when PyTorch cannot run. */
  private Row runPytorch(Workload w, String variant, PrintWriter err)
      throws IOException, InterruptedException {
    Path outFile = Files.createTempFile("sparksweep-torch-", ".jsonl");
    Path log = Files.createTempFile("sparksweep-torch-", ".log");
    try {
      List<String> cmd =
          new ArrayList<>(
              List.of(
                  python,
                  pytorchScript.toString(),
                  "--threads",
                  "1",
                  "--nets",
                  w.id,
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
      env.put("LD_LIBRARY_PATH", pytorchLibraryPath);
      if (MALLOC_NO_TRIM.equals(variant)) {
        // Keep freed blocks in the heap instead of unmapping them: otherwise every large
        // temporary is a fresh mmap whose pages fault in one by one.
        env.put("MALLOC_MMAP_THRESHOLD_", "4294967296");
        env.put("MALLOC_TRIM_THRESHOLD_", "4294967296");
        env.put("MALLOC_TOP_PAD_", "268435456");
      }
      // Without --max-foreign, keep every repetition as ours does (a 2.0-CPU bar is never hit
      // by a one-thread run's neighbours on this machine).
      env.put(
          "ANCHOR_MAX_FOREIGN",
          Double.toString(
              maxForeign != null ? maxForeign : Runtime.getRuntime().availableProcessors()));
      pb.redirectErrorStream(true).redirectOutput(log.toFile());
      int code;
      try {
        code = pb.start().waitFor();
      } catch (IOException e) {
        err.println(
            "PyTorch comparison unavailable: cannot start " + python + ": " + e.getMessage());
        return null;
      }
      Row row = null;
      for (String line : Files.readAllLines(outFile, StandardCharsets.UTF_8)) {
        if (line.contains("\"" + w.id + "_train\"")) {
          row = torchRow(w, variant, line);
        }
      }
      if (code != 0 || row == null) {
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        String tail = String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        err.println(
            "PyTorch comparison unavailable ("
                + python
                + " exited with "
                + code
                + (tail.contains("No module named 'torch'") ? "; torch is not installed" : "")
                + "):\n"
                + tail);
        return null;
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
   */
  static Row torchRow(Workload w, String variant, String jsonLine) {
    List<Double> cpuRates = new ArrayList<>();
    Matcher ratesArray = Pattern.compile("\"rates\"\\s*:\\s*\\[([^\\]]*)\\]").matcher(jsonLine);
    Matcher info = Pattern.compile("\\{[^{}]*\"own_cpus\"[^{}]*\\}").matcher(jsonLine);
    if (ratesArray.find()) {
      String[] rates = ratesArray.group(1).split(",", -1);
      int i = 0;
      while (info.find() && i < rates.length) {
        String rep = info.group();
        if (rep.matches("(?s).*\"clean\"\\s*:\\s*true.*")) {
          double own = jsonNumber(rep, "own_cpus");
          cpuRates.add(Double.parseDouble(rates[i].trim()) / own);
          i++;
        }
      }
    }
    return new Row(
        w,
        "torch",
        variant,
        jsonNumber(jsonLine, "median_rate"),
        jsonNumber(jsonLine, "min_rate"),
        jsonNumber(jsonLine, "max_rate"),
        cpuRates.isEmpty()
            ? Double.NaN
            : median(cpuRates.stream().mapToDouble(Double::doubleValue).sorted().toArray()),
        -1,
        -1,
        Double.NaN,
        "");
  }

  /** Runs this command for one workload in a child JVM forced onto the pure-Java BLAS. */
  private Row runJavaChild(Workload w, PrintWriter err) throws IOException, InterruptedException {
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
      cmd.add(Main.class.getName());
      cmd.addAll(
          List.of(
              "bench",
              "--workloads",
              w.id,
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
        if (line.contains("\"impl\":\"sparksweep\"")) {
          return new Row(
              w,
              "sparksweep",
              jsonString(line, "blas").orElse("?"),
              jsonNumber(line, "median_rate"),
              jsonNumber(line, "min_rate"),
              jsonNumber(line, "max_rate"),
              jsonNumber(line, "cpu_median_rate"),
              jsonNumber(line, "alloc_bytes_per_image"),
              (long) jsonNumber(line, "peak_rss_bytes"),
              jsonNumber(line, "foreign_cpus"),
              "child JVM");
        }
      }
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      err.println(
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

  // ---------------------------------------------------------------- output

  private static void printTable(PrintWriter out, List<Row> rows, Map<Workload, List<Row>> torch) {
    out.printf(
        Locale.ROOT,
        "%-5s %-14s %9s %9s %9s %10s %11s %9s %8s%n",
        "work",
        "impl",
        "median",
        "min",
        "max",
        "img/cpu-s",
        "alloc B/img",
        "peak RSS",
        "foreign");
    for (Row r : rows) {
      boolean ours = "sparksweep".equals(r.impl());
      out.printf(
          Locale.ROOT,
          "%-5s %-14s %,9.0f %,9.0f %,9.0f %,10.0f %11s %9s %8s%n",
          r.workload().id,
          r.blas(),
          r.median(),
          r.min(),
          r.max(),
          r.cpuMedian(),
          ours ? String.format(Locale.ROOT, "%,.0f", r.allocPerImage()) : "",
          ours && r.peakRss() > 0 ? (r.peakRss() >> 20) + " MiB" : "",
          ours ? String.format(Locale.ROOT, "%.2f", r.foreignCpus()) : "");
    }
    out.println(
        "img/s over the repetitions (median, min, max); img/cpu-s: median images per CPU-second"
            + " of the measuring process; foreign: mean CPUs used by other processes while ours"
            + " ran; peak RSS: VmHWM of the measuring JVM so far.");
    if (torch.isEmpty()) {
      return;
    }
    out.println();
    out.println("ours / PyTorch, wall-clock img/s (and per CPU-second):");
    for (Row r : rows) {
      if (!"sparksweep".equals(r.impl())) {
        continue;
      }
      StringBuilder line =
          new StringBuilder(String.format(Locale.ROOT, "  %-5s %-12s", r.workload().id, r.blas()));
      for (Row t : torch.getOrDefault(r.workload(), List.of())) {
        line.append(
            String.format(
                Locale.ROOT,
                "  vs %s %.2f× (%.2f×)",
                t.blas(),
                r.median() / t.median(),
                r.cpuMedian() / t.cpuMedian()));
      }
      out.println(line);
    }
  }

  private static void writeJson(Path file, List<Row> rows, Map<Workload, List<Row>> torch)
      throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", r.workload().id + "_train");
      m.put("workload", r.workload().id);
      m.put("impl", r.impl());
      m.put("blas", r.blas());
      m.put("batch", r.workload().batch);
      m.put("unit", "img/s");
      m.put("median_rate", r.median());
      m.put("min_rate", r.min());
      m.put("max_rate", r.max());
      m.put("cpu_median_rate", r.cpuMedian());
      if ("sparksweep".equals(r.impl())) {
        m.put("alloc_bytes_per_image", r.allocPerImage());
        m.put("peak_rss_bytes", r.peakRss());
        m.put("foreign_cpus", r.foreignCpus());
        for (Row t : torch.getOrDefault(r.workload(), List.of())) {
          String key = t.blas().replace("/", "_").replace("-", "_");
          m.put(key + "_median_rate", t.median());
          m.put("ratio_vs_" + key, r.median() / t.median());
          m.put("cpu_ratio_vs_" + key, r.cpuMedian() / t.cpuMedian());
        }
      }
      m.put("cpu", cpuModel());
      m.put("java", System.getProperty("java.version"));
      m.put("openblas_coretype", String.valueOf(System.getenv("OPENBLAS_CORETYPE")));
      if (!r.note().isEmpty()) {
        m.put("note", r.note());
      }
      sb.append(toJson(m)).append('\n');
    }
    Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
  }

  static String toJson(Map<String, Object> m) {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : m.entrySet()) {
      if (sb.length() > 1) {
        sb.append(',');
      }
      sb.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof Number n) {
        double d = n.doubleValue();
        sb.append(
            Double.isFinite(d)
                ? (v instanceof Double ? Double.toString(d) : v.toString())
                : "null");
      } else {
        sb.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
      }
    }
    return sb.append('}').toString();
  }

  /** A top-level numeric field of a flat JSON line, NaN when absent or null. */
  static double jsonNumber(String json, String key) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*(-?[0-9][0-9.eE+-]*)")
            .matcher(json);
    return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
  }

  /** A string field of a flat JSON line. */
  static java.util.Optional<String> jsonString(String json, String key) {
    Matcher m =
        Pattern.compile("\"" + Pattern.quote(key) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
    return m.find() ? java.util.Optional.of(m.group(1)) : java.util.Optional.empty();
  }
}
