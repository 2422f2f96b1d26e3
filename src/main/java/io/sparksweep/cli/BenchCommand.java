package io.sparksweep.cli;

import io.sparksweep.bench.GemmBench;
import io.sparksweep.bench.Machine;
import io.sparksweep.bench.PyTorchRunner;
import io.sparksweep.bench.Report;
import io.sparksweep.bench.Row;
import io.sparksweep.bench.TrainingBench;
import io.sparksweep.bench.Workload;
import io.sparksweep.data.ByteImageExamples;
import io.sparksweep.tensor.Gemm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sparksweep bench}: training throughput of the three reference workloads, measured as
 * {@code shared/bench/pytorch/torch_nets.py} measures PyTorch's (minibatch gather from 49,000
 * in-memory images + forward + loss + backward + Adam step, float32, one thread), optionally side
 * by side with that script run as a subprocess in the same invocation, and optionally with the
 * pure-Java BLAS fallback run in a child JVM. This class only parses the options and prints; the
 * workloads, meters, runners and the report live in {@code io.sparksweep.bench}.
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

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--workloads",
      paramLabel = "NAME",
      split = ",",
      defaultValue = "fc,fcbn,conv",
      description = "Comma-separated subset of fc, fcbn, conv (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(
      names = "--reps",
      paramLabel = "N",
      defaultValue = "7",
      description = "Timed repetitions per workload (default ${DEFAULT-VALUE}).")
  int reps;

  @Option(
      names = "--target-seconds",
      paramLabel = "SECONDS",
      defaultValue = "2.0",
      description = "Approximate length of one repetition (default ${DEFAULT-VALUE}).")
  double targetSeconds;

  @Option(
      names = "--warmup-steps",
      paramLabel = "N",
      defaultValue = "10",
      description = "Untimed steps before the first repetition (default ${DEFAULT-VALUE}).")
  int warmupSteps;

  @Option(
      names = "--warmup-seconds",
      paramLabel = "SECONDS",
      defaultValue = "5.0",
      description =
          "Untimed training before the repetitions (default ${DEFAULT-VALUE}): the JIT compiles"
              + " the hot loops, and the heap's fresh pages fault in (slow on some machines).")
  double warmupSeconds;

  @Option(
      names = "--num-train",
      paramLabel = "N",
      defaultValue = "49000",
      description = "Images held in memory and sampled from (default ${DEFAULT-VALUE}).")
  int numTrain;

  @Option(
      names = "--blas",
      paramLabel = "WHICH",
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
      paramLabel = "FILE",
      defaultValue = DEFAULT_TORCH_SCRIPT,
      description = "torch_nets.py (default ${DEFAULT-VALUE}).")
  Path pytorchScript;

  @Option(
      names = "--python",
      paramLabel = "FILE",
      defaultValue = "/usr/bin/python3",
      description = "The python with torch installed (default ${DEFAULT-VALUE}).")
  String python;

  @Option(
      names = "--pytorch-library-path",
      paramLabel = "DIR",
      defaultValue = "/usr/lib/x86_64-linux-gnu/openblas-openmp",
      description = "LD_LIBRARY_PATH for PyTorch's BLAS (default ${DEFAULT-VALUE}).")
  String pytorchLibraryPath;

  @Option(
      names = "--pytorch-malloc",
      paramLabel = "WHICH",
      defaultValue = "both",
      description =
          "default: PyTorch as its README runs it; no-trim: with glibc's malloc told to keep freed"
              + " memory (MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_, MALLOC_TOP_PAD_), which"
              + " spares PyTorch a page fault per fresh temporary (its Adam step is ~15× faster"
              + " so here); both (default ${DEFAULT-VALUE}).")
  String pytorchMalloc;

  @Option(
      names = "--max-foreign",
      paramLabel = "CPUS",
      description =
          "Discard and repeat a repetition (ours and PyTorch's alike) during which other"
              + " processes used more than this many CPUs; default: keep every repetition and"
              + " report the load.")
  Double maxForeign;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "0",
      description = "Seed of data and weights (default ${DEFAULT-VALUE}).")
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

  @Override
  public Integer call() throws IOException, InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Consumer<String> progress =
        line -> {
          err.println(line);
          err.flush();
        };
    if (gemm) {
      if (reps < 1 || targetSeconds <= 0) {
        throw new IllegalArgumentException(
            "--reps must be ≥ 1 and --target-seconds > 0, got " + reps + " and " + targetSeconds);
      }
      printGemm(out, err);
      return 0;
    }
    List<Workload> chosen = new ArrayList<>();
    for (String w : workloads) {
      Workload wl = Workload.parse(w);
      if (!chosen.contains(wl)) {
        chosen.add(wl);
      }
    }
    TrainingBench bench =
        new TrainingBench(
            reps, targetSeconds, warmupSteps, warmupSeconds, numTrain, seed, maxForeign);
    boolean runLoaded = !"java".equals(blas);
    boolean runJava = "java".equals(blas) || "both".equals(blas);
    if ((!runLoaded && !runJava) || !List.of("loaded", "java", "both").contains(blas)) {
      throw new IllegalArgumentException("--blas must be loaded, java or both, got '" + blas + "'");
    }
    if (runJava && !"JNIBLAS".equals(Gemm.backend())) {
      // This JVM already runs the fallback: measuring it once is enough.
      runJava = false;
      runLoaded = true;
    }
    List<String> torchVariants =
        switch (pytorchMalloc) {
          case "default" -> List.of(PyTorchRunner.MALLOC_DEFAULT);
          case "no-trim" -> List.of(PyTorchRunner.MALLOC_NO_TRIM);
          case "both" -> List.of(PyTorchRunner.MALLOC_DEFAULT, PyTorchRunner.MALLOC_NO_TRIM);
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
    PyTorchRunner torchRunner = new PyTorchRunner(python, pytorchScript, pytorchLibraryPath);
    // Without --max-foreign, PyTorch keeps every repetition as ours does (a bar of all the CPUs
    // is never hit by a one-thread run's neighbours).
    double torchMaxForeign =
        maxForeign != null ? maxForeign : Runtime.getRuntime().availableProcessors();

    progress.accept(
        String.format(
            Locale.ROOT,
            "bench: %s; BLAS %s; OPENBLAS_NUM_THREADS=%s OPENBLAS_CORETYPE=%s; CPU %s; Java %s",
            chosen,
            Gemm.sgemmKernel(),
            System.getenv("OPENBLAS_NUM_THREADS"),
            System.getenv("OPENBLAS_CORETYPE"),
            Machine.cpuModel(),
            System.getProperty("java.version")));

    ByteImageExamples train = runLoaded ? bench.syntheticTrain(progress) : null;
    List<Row> rows = new ArrayList<>();
    Map<Workload, List<Row>> torch = new LinkedHashMap<>();
    for (Workload w : chosen) {
      for (String variant : comparePytorch ? torchVariants : List.<String>of()) {
        Row t;
        try {
          t = torchRunner.run(w, variant, reps, targetSeconds, numTrain, torchMaxForeign);
        } catch (PyTorchRunner.Unavailable e) {
          err.println("PyTorch comparison unavailable (" + e.getMessage() + ")");
          comparePytorch = false;
          break;
        }
        torch.computeIfAbsent(w, k -> new ArrayList<>()).add(t);
        rows.add(t);
        progress.accept(progressLine(t));
      }
      if (runLoaded) {
        Row r = bench.measure(w, train);
        rows.add(r);
        progress.accept(progressLine(r));
      }
      if (runJava) {
        Row r = bench.measureInChildJvm(w, Main.class.getName(), progress);
        if (r != null) {
          rows.add(r);
          progress.accept(progressLine(r));
        }
      }
    }
    Report.table(rows, torch).forEach(out::println);
    if (json != null) {
      Report.writeJsonLines(json, rows, torch);
      out.println("wrote " + json);
    }
    out.flush();
    return 0;
  }

  private static String progressLine(Row r) {
    return String.format(
        Locale.ROOT, "  %-5s %-14s %,10.0f img/s", r.workload().id(), r.blas(), r.median());
  }

  /** The {@code --gemm} table: GFLOP/s per product shape and implementation. */
  private void printGemm(PrintWriter out, PrintWriter err) {
    List<Gemm.SgemmImpl> impls = Gemm.availableSgemm();
    err.printf(
        Locale.ROOT,
        "bench --gemm: float32, one thread; OPENBLAS_NUM_THREADS=%s OPENBLAS_CORETYPE=%s; CPU %s;"
            + " Java %s%n",
        System.getenv("OPENBLAS_NUM_THREADS"),
        System.getenv("OPENBLAS_CORETYPE"),
        Machine.cpuModel(),
        System.getProperty("java.version"));
    err.flush();
    StringBuilder header =
        new StringBuilder(String.format(Locale.ROOT, "%-34s %-18s", "product", "m×n×k"));
    for (Gemm.SgemmImpl impl : impls) {
      header.append(String.format(Locale.ROOT, " %12s", impl.label()));
    }
    out.println(header);
    for (GemmBench.Result r : GemmBench.run(reps, targetSeconds, seed)) {
      StringBuilder line =
          new StringBuilder(
              String.format(Locale.ROOT, "%-34s %-18s", r.shape().what(), r.shape().dims()));
      for (double g : r.gflops()) {
        line.append(String.format(Locale.ROOT, " %12.1f", g));
      }
      out.println(line);
      out.flush();
    }
    out.println("GFLOP/s: 2·m·n·k per product ÷ time, best of " + reps + " rounds.");
    out.flush();
  }
}
