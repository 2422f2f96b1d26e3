package io.sparksweep.tensor;

/**
 * Flat-array kernels of the training hot path, in both precisions (paired {@code float}/{@code
 * double} loops, as {@code java.util.Arrays} does): sums with several independent accumulators, row
 * and column broadcasts, the L2 penalty fused with its gradient, the ReLU gate.
 *
 * <p>Every loop is a plain counted loop over arrays, so the JIT unrolls and (where the operation
 * allows) vectorizes it; none allocates or checks its arguments (callers validate shapes once, at
 * their public entry). Reductions accumulate in {@code double}, in four independent chains: one
 * chain of dependent adds would cost the latency of an add per element (four times the throughput).
 * The float32 column sums are the exception: blocks of 8 rows are summed in float first (see {@link
 * #columnSums(float[], int, int, double[], float[])}).
 */
public final class Kernels {
  /** {@link #rowOp}/{@link #colOp} operation: {@code x + v}. */
  public static final int ADD = 0;

  /** {@code x − v}. */
  public static final int SUB = 1;

  /** {@code x · v}. */
  public static final int MUL = 2;

  /** {@code x / v}. */
  public static final int DIV = 3;

  /**
   * Whether {@link VectorKernels} runs here (the {@code jdk.incubator.vector} module is present and
   * has ≥ 256-bit vectors): {@link #addL2Gradient(float[], float[], float)}, the float32 column
   * sums, the bias add of {@link #rowOp}, batchnorm's float32 passes and the float32 minibatch
   * gather of {@code data.ByteImageExamples} take it then. Callers test this flag before touching
   * {@link VectorKernels}, so the class is never loaded without the module.
   */
  public static final boolean VECTOR = Gemm.vectorModulePresent() && VectorKernels.AVAILABLE;

  private Kernels() {}

  // ---------------------------------------------------------------- reductions

  /** {@code Σ a[off … off+len−1]}, accumulated in double. */
  public static double sum(float[] a, int off, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = off;
    for (int end = off + (len & ~3); i < end; i += 4) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
    }
    for (int end = off + len; i < end; i++) {
      s0 += a[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Float64 twin of {@link #sum(float[], int, int)}. */
  public static double sum(double[] a, int off, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = off;
    for (int end = off + (len & ~3); i < end; i += 4) {
      s0 += a[i];
      s1 += a[i + 1];
      s2 += a[i + 2];
      s3 += a[i + 3];
    }
    for (int end = off + len; i < end; i++) {
      s0 += a[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** {@code Σ a[i]²} over {@code a[off … off+len−1]}, accumulated in double. */
  public static double sumOfSquares(float[] a, int off, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = off;
    for (int end = off + (len & ~3); i < end; i += 4) {
      double v0 = a[i];
      double v1 = a[i + 1];
      double v2 = a[i + 2];
      double v3 = a[i + 3];
      s0 += v0 * v0;
      s1 += v1 * v1;
      s2 += v2 * v2;
      s3 += v3 * v3;
    }
    for (int end = off + len; i < end; i++) {
      double v = a[i];
      s0 += v * v;
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Float64 twin of {@link #sumOfSquares(float[], int, int)}. */
  public static double sumOfSquares(double[] a, int off, int len) {
    double s0 = 0;
    double s1 = 0;
    double s2 = 0;
    double s3 = 0;
    int i = off;
    for (int end = off + (len & ~3); i < end; i += 4) {
      s0 += a[i] * a[i];
      s1 += a[i + 1] * a[i + 1];
      s2 += a[i + 2] * a[i + 2];
      s3 += a[i + 3] * a[i + 3];
    }
    for (int end = off + len; i < end; i++) {
      s0 += a[i] * a[i];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /**
   * The L2 penalty's gradient and value: {@code dw += reg·w} and returns {@code Σ w²}: on {@link
   * VectorKernels#addL2Gradient} in one pass when the Vector API is present (float partial sums of
   * 256 elements added in double), else in two passes accumulated in double.
   *
   * @param dw gradient, updated in place, length ≥ {@code w.length}
   * @param w weights
   * @param reg the L2 strength
   */
  public static double addL2Gradient(float[] dw, float[] w, float reg) {
    if (VECTOR) {
      return VectorKernels.addL2Gradient(dw, w, reg);
    }
    // Without the Vector API: two passes instead of one: the update alone is a loop C2 vectorizes,
    // and the sum then runs
    // on four independent chains; fused, the double reduction kept both scalar (≈25% slower).
    int n = w.length;
    for (int i = 0; i < n; i++) {
      dw[i] += reg * w[i];
    }
    return sumOfSquares(w, 0, n);
  }

  /** Float64 twin of {@link #addL2Gradient(float[], float[], float)}. */
  public static double addL2Gradient(double[] dw, double[] w, double reg) {
    int n = w.length;
    for (int i = 0; i < n; i++) {
      dw[i] += reg * w[i];
    }
    return sumOfSquares(w, 0, n);
  }

  /** Rows summed in float before their sum is added in double (see {@link #columnSums}). */
  public static final int ROW_BLOCK = 8;

  /**
   * Column sums of the row-major (rows, cols) matrix {@code x}, added to {@code acc}: {@code acc[j]
   * += Σ_r x[r, j]} (numpy's {@code x.sum(axis=0)}). Each block of {@value #ROW_BLOCK} rows is
   * summed in float as a balanced tree, {@code ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7))},
   * and the block's sum added in double; rows left over are added in double one by one. The tree
   * rounds at most three times per element (relative error ≤ 3·2⁻²⁴ of the block's Σ|x|), and its
   * float adds run on vectors ({@link VectorKernels#columnSums}, bit for bit this loop), where
   * adding every element in double stayed scalar: C2 vectorizes no float-to-double loop, and double
   * lanes are out (see {@link VectorKernels}). 2026-12-07, Intel Xeon, 100 × 100: 0.40 → 0.12 ns an
   * element.
   *
   * @param tmp scratch of at least {@code cols} floats
   */
  public static void columnSums(float[] x, int rows, int cols, double[] acc, float[] tmp) {
    columnSums(x, rows, cols, acc, tmp, VECTOR);
  }

  /** {@link #columnSums(float[], int, int, double[], float[])} on vectors or not (for tests). */
  static void columnSums(float[] x, int rows, int cols, double[] acc, float[] tmp, boolean vector) {
    int blocks = rows - rows % ROW_BLOCK;
    if (vector) {
      VectorKernels.columnSums(x, blocks, cols, acc, tmp);
    } else {
      for (int r = 0; r < blocks; r += ROW_BLOCK) {
        int b = r * cols;
        for (int j = 0; j < cols; j++) {
          acc[j] += tree8(x, b + j, cols);
        }
      }
    }
    for (int r = blocks; r < rows; r++) {
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        acc[j] += x[base + j];
      }
    }
  }

  /**
   * {@code acc[j] += Σ_r (x[r, j] − mean[j])²}, the difference and its square in float, summed as
   * {@link #columnSums} sums (the variance's second pass).
   *
   * @param tmp scratch of at least {@code cols} floats
   */
  public static void centeredSquareSums(
      float[] x, int rows, int cols, float[] mean, double[] acc, float[] tmp) {
    centeredSquareSums(x, rows, cols, mean, acc, tmp, VECTOR);
  }

  /** {@link #centeredSquareSums(float[], int, int, float[], double[], float[])}, ditto. */
  static void centeredSquareSums(
      float[] x, int rows, int cols, float[] mean, double[] acc, float[] tmp, boolean vector) {
    int blocks = rows - rows % ROW_BLOCK;
    if (vector) {
      VectorKernels.centeredSquareSums(x, blocks, cols, mean, acc, tmp);
    } else {
      for (int r = 0; r < blocks; r += ROW_BLOCK) {
        int b = r * cols;
        for (int j = 0; j < cols; j++) {
          acc[j] += squareTree8(x, b + j, cols, mean[j]);
        }
      }
    }
    for (int r = blocks; r < rows; r++) {
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        float c = x[base + j] - mean[j];
        acc[j] += c * c;
      }
    }
  }

  /**
   * {@code sg[j] += Σ_r g[r, j]} and {@code sgh[j] += Σ_r g[r, j]·h[r, j]} in one pass, the
   * products in float, both summed as {@link #columnSums} sums (batchnorm's dbeta and dgamma).
   *
   * @param t1 scratch of at least {@code cols} floats
   * @param t2 more scratch, the same size
   */
  public static void columnSumsAndDots(
      float[] g, float[] h, int rows, int cols, double[] sg, double[] sgh, float[] t1, float[] t2) {
    columnSumsAndDots(g, h, rows, cols, sg, sgh, t1, t2, VECTOR);
  }

  /** {@link #columnSumsAndDots}, ditto. */
  static void columnSumsAndDots(
      float[] g,
      float[] h,
      int rows,
      int cols,
      double[] sg,
      double[] sgh,
      float[] t1,
      float[] t2,
      boolean vector) {
    int blocks = rows - rows % ROW_BLOCK;
    if (vector) {
      VectorKernels.columnSumsAndDots(g, h, blocks, cols, sg, sgh, t1, t2);
    } else {
      for (int r = 0; r < blocks; r += ROW_BLOCK) {
        int b = r * cols;
        for (int j = 0; j < cols; j++) {
          sg[j] += tree8(g, b + j, cols);
          sgh[j] += dotTree8(g, h, b + j, cols);
        }
      }
    }
    for (int r = blocks; r < rows; r++) {
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        float v = g[base + j];
        sg[j] += v;
        sgh[j] += v * h[base + j];
      }
    }
  }

  /** {@code x[o] + x[o + s] + … + x[o + 7s]} as the balanced tree of {@link #columnSums}. */
  static float tree8(float[] x, int o, int s) {
    return ((x[o] + x[o + s]) + (x[o + 2 * s] + x[o + 3 * s]))
        + ((x[o + 4 * s] + x[o + 5 * s]) + (x[o + 6 * s] + x[o + 7 * s]));
  }

  /** {@link #tree8} of {@code (x − mean)²}. */
  static float squareTree8(float[] x, int o, int s, float mean) {
    float c0 = x[o] - mean;
    float c1 = x[o + s] - mean;
    float c2 = x[o + 2 * s] - mean;
    float c3 = x[o + 3 * s] - mean;
    float c4 = x[o + 4 * s] - mean;
    float c5 = x[o + 5 * s] - mean;
    float c6 = x[o + 6 * s] - mean;
    float c7 = x[o + 7 * s] - mean;
    return ((c0 * c0 + c1 * c1) + (c2 * c2 + c3 * c3))
        + ((c4 * c4 + c5 * c5) + (c6 * c6 + c7 * c7));
  }

  /** {@link #tree8} of {@code g·h}. */
  static float dotTree8(float[] g, float[] h, int o, int s) {
    return ((g[o] * h[o] + g[o + s] * h[o + s])
            + (g[o + 2 * s] * h[o + 2 * s] + g[o + 3 * s] * h[o + 3 * s]))
        + ((g[o + 4 * s] * h[o + 4 * s] + g[o + 5 * s] * h[o + 5 * s])
            + (g[o + 6 * s] * h[o + 6 * s] + g[o + 7 * s] * h[o + 7 * s]));
  }

  /** Float64 twin of {@link #columnSums(float[], int, int, double[], float[])}, all in double. */
  public static void columnSums(double[] x, int rows, int cols, double[] acc) {
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        acc[j] += x[base + j];
      }
    }
  }

  /**
   * The L2 penalty on a weight tensor, {@link #addL2Gradient(float[], float[], float)} for either
   * dtype: {@code dw += reg·w}, returns {@code Σ w²}.
   *
   * @throws IllegalArgumentException if the tensors differ in size or dtype
   */
  public static double addL2Gradient(Tensor dw, Tensor w, double reg) {
    if (dw.size() != w.size() || dw.dtype() != w.dtype()) {
      throw new IllegalArgumentException(
          "L2 gradient "
              + dw.shapeString()
              + " ("
              + dw.dtype()
              + ") does not match weights "
              + w.shapeString()
              + " ("
              + w.dtype()
              + ")");
    }
    return w.dtype() == DType.FLOAT32
        ? addL2Gradient(dw.f32(), w.f32(), (float) reg)
        : addL2Gradient(dw.f64(), w.f64(), reg);
  }

  // ---------------------------------------------------------------- broadcasts

  /**
   * {@code x[r, j] = x[r, j] op v[j]} for the row-major (rows, cols) matrix x.
   *
   * @param op {@link #ADD}, {@link #SUB}, {@link #MUL} or {@link #DIV}
   */
  public static void rowOp(int op, float[] x, int rows, int cols, float[] v) {
    if (op == ADD && VECTOR) {
      VectorKernels.rowAdd(x, rows, cols, v);
      return;
    }
    for (int r = 0; r < rows; r++) {
      int b = r * cols;
      switch (op) {
        case ADD -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] += v[j];
          }
        }
        case SUB -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] -= v[j];
          }
        }
        case MUL -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] *= v[j];
          }
        }
        default -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] /= v[j];
          }
        }
      }
    }
  }

  /** Float64 twin of {@link #rowOp(int, float[], int, int, float[])}. */
  public static void rowOp(int op, double[] x, int rows, int cols, double[] v) {
    for (int r = 0; r < rows; r++) {
      int b = r * cols;
      switch (op) {
        case ADD -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] += v[j];
          }
        }
        case SUB -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] -= v[j];
          }
        }
        case MUL -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] *= v[j];
          }
        }
        default -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] /= v[j];
          }
        }
      }
    }
  }

  /**
   * {@code x[r, j] = x[r, j] op c[r]} for the row-major (rows, cols) matrix x.
   *
   * @param op {@link #ADD}, {@link #SUB}, {@link #MUL} or {@link #DIV}
   */
  public static void colOp(int op, float[] x, int rows, int cols, float[] c) {
    for (int r = 0; r < rows; r++) {
      int b = r * cols;
      float cv = c[r];
      switch (op) {
        case ADD -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] += cv;
          }
        }
        case SUB -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] -= cv;
          }
        }
        case MUL -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] *= cv;
          }
        }
        default -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] /= cv;
          }
        }
      }
    }
  }

  /** Float64 twin of {@link #colOp(int, float[], int, int, float[])}. */
  public static void colOp(int op, double[] x, int rows, int cols, double[] c) {
    for (int r = 0; r < rows; r++) {
      int b = r * cols;
      double cv = c[r];
      switch (op) {
        case ADD -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] += cv;
          }
        }
        case SUB -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] -= cv;
          }
        }
        case MUL -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] *= cv;
          }
        }
        default -> {
          for (int j = 0; j < cols; j++) {
            x[b + j] /= cv;
          }
        }
      }
    }
  }

  // ---------------------------------------------------------------- relu

  /**
   * ReLU backward, branch-free: {@code dx[i] = x[i] > 0 ? dout[i] : 0} (0 also where x is NaN or
   * −0.0, exactly as numpy's {@code dout * (x > 0)} for finite dout).
   *
   * <p>On real pre-activations {@code x > 0} is a coin flip, and a branch over it mispredicts half
   * the time. Instead, with {@code b} the bits of x as an int, {@code x > 0} (not NaN) holds
   * exactly when {@code b − 1} lies in {@code [0, 0x7F800000)} (+0.0 has b = 0, negatives and −0.0
   * have the sign bit set, NaNs lie above +∞ = 0x7F800000); the sign bits of {@code b − 1 −
   * 0x7F800000} and of {@code ~(b − 1)} give an all-ones or all-zeros mask for dout's bits.
   */
  public static void reluBackward(float[] x, float[] dout, float[] dx, int n) {
    for (int i = 0; i < n; i++) {
      int b = Float.floatToRawIntBits(x[i]) - 1;
      int mask = ((b - 0x7F800000) & ~b) >> 31;
      dx[i] = Float.intBitsToFloat(Float.floatToRawIntBits(dout[i]) & mask);
    }
  }

  /** Float64 twin of {@link #reluBackward(float[], float[], float[], int)} (+∞ is 0x7FF0…0). */
  public static void reluBackward(double[] x, double[] dout, double[] dx, int n) {
    for (int i = 0; i < n; i++) {
      long b = Double.doubleToRawLongBits(x[i]) - 1;
      long mask = ((b - 0x7FF0000000000000L) & ~b) >> 63;
      dx[i] = Double.longBitsToDouble(Double.doubleToRawLongBits(dout[i]) & mask);
    }
  }
}
