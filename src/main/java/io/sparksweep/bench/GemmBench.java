package io.sparksweep.bench;

import io.sparksweep.tensor.Gemm;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The GEMM micro-benchmark ({@code sparksweep bench --gemm}): GFLOP/s of the float32 products that
 * dominate the workloads' steps, on every implementation this JVM can run.
 */
public final class GemmBench {
  private GemmBench() {}

  /** A product of the training steps: C(m, n) = op(A)·op(B) with inner dimension k. */
  public record Shape(String what, int m, int n, int k, boolean transA, boolean transB) {
    /** 2·m·n·k. */
    public double flops() {
      return 2.0 * m * n * k;
    }

    /** {@code m×n×k}, with {@code Aᵀ}/{@code Bᵀ} for transposed operands. */
    public String dims() {
      return m + "×" + n + "×" + k + (transA ? " Aᵀ" : "") + (transB ? " Bᵀ" : "");
    }
  }

  /** The products that dominate the workloads' steps (see docs/performance.md). */
  public static final List<Shape> SHAPES =
      List.of(
          new Shape("conv forward W·cols, per image", 32, 1024, 147, false, false),
          new Shape("conv dWᵀ cols·doutᵀ, per image", 147, 32, 1024, false, true),
          new Shape("conv dcols Wᵀ·dout, per image", 147, 1024, 32, true, false),
          new Shape("conv affine 8192→100 forward", 50, 100, 8192, false, false),
          new Shape("conv affine dW xᵀ·dout", 8192, 100, 50, true, false),
          new Shape("conv affine dx dout·Wᵀ", 50, 8192, 100, false, true),
          new Shape("fc first layer forward x·W", 100, 100, 3072, false, false),
          new Shape("fc first layer dW xᵀ·dout", 3072, 100, 100, true, false),
          new Shape("fc hidden dx dout·Wᵀ", 100, 100, 100, false, true));

  /**
   * One shape's GFLOP/s per implementation.
   *
   * @param shape the product
   * @param gflops one figure per {@link Gemm#availableSgemm()} entry, in that order
   */
  public record Result(Shape shape, List<Double> gflops) {
    public Result {
      gflops = List.copyOf(gflops);
    }
  }

  /**
   * Times every shape on every available implementation: best of {@code reps} rounds of about
   * {@code targetSeconds / 5} each, after one warm-up round.
   */
  public static List<Result> run(int reps, double targetSeconds, long seed) {
    List<Gemm.SgemmImpl> impls = Gemm.availableSgemm();
    Random rnd = new Random(seed);
    List<Result> out = new ArrayList<>();
    // Ours first: netlib's VectorBLAS runs the same Vector API methods with other vector
    // shapes, and once their JIT profiles are mixed C2 compiles our kernels far slower
    // (measured: 30–40 instead of 70–120 GFLOP/s). Training never runs both. So every shape
    // runs once on ours before any other implementation runs at all: a kernel that only a later
    // shape uses (those of a transposed A) is compiled then, not after VectorBLAS has run.
    if (impls.contains(Gemm.SgemmImpl.VECTOR_SGEMM)) {
      for (Shape g : SHAPES) {
        gflops(
            Gemm.SgemmImpl.VECTOR_SGEMM,
            g,
            new float[g.m() * g.k()],
            new float[g.k() * g.n()],
            new float[g.m() * g.n()],
            0,
            targetSeconds);
      }
    }
    for (Shape g : SHAPES) {
      float[] a = randomFloats(rnd, g.m() * g.k());
      float[] b = randomFloats(rnd, g.k() * g.n());
      float[] c = new float[g.m() * g.n()];
      // Ours first here too (see above).
      double[] rates = new double[impls.size()];
      for (int i = impls.size() - 1; i >= 0; i--) {
        rates[i] = gflops(impls.get(i), g, a, b, c, reps, targetSeconds);
      }
      out.add(new Result(g, Arrays.stream(rates).boxed().toList()));
    }
    return out;
  }

  private static double gflops(
      Gemm.SgemmImpl impl, Shape g, float[] a, float[] b, float[] c, int reps, double target) {
    // A round is about target / 5 at 30 GFLOP/s.
    int calls = (int) Math.max(1, target / 5 * 30e9 / g.flops());
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
}
