package io.sparksweep.tensor;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * A dense, row-major, contiguous n-dimensional array of {@link DType#FLOAT32} or {@link
 * DType#FLOAT64} elements: the numpy {@code ndarray} of the notebooks, reduced to what the layers
 * need.
 *
 * <p>Storage is a {@code float[]} or a {@code double[]}; every operation is a pair of loops, one
 * per precision (as {@code java.util.Arrays} does), so layers are written once against this API.
 * Reductions accumulate in {@code double}. {@link #reshape} returns a view sharing storage; every
 * other method that returns a tensor returns a new one unless its name ends in {@code InPlace}.
 * Binary operations require equal dtypes and equal sizes (shapes are checked by the caller's layer,
 * which names its own arguments).
 */
public final class Tensor {
  private final DType dtype;
  private final int[] shape;
  private final int size;
  private final float[] f;
  private final double[] d;

  private Tensor(DType dtype, int[] shape, float[] f, double[] d) {
    this.dtype = dtype;
    this.shape = shape;
    this.size = sizeOf(shape);
    this.f = f;
    this.d = d;
    int length = f != null ? f.length : d.length;
    if (length != size) {
      throw new IllegalArgumentException(
          "storage of length " + length + " does not fit shape " + Arrays.toString(shape));
    }
  }

  // ---------------------------------------------------------------- creation

  /** A tensor of zeros. */
  public static Tensor zeros(DType dtype, int... shape) {
    int[] s = checkShape(shape);
    int n = sizeOf(s);
    return dtype == DType.FLOAT32
        ? new Tensor(dtype, s, new float[n], null)
        : new Tensor(dtype, s, null, new double[n]);
  }

  /** A tensor filled with {@code value}. */
  public static Tensor full(DType dtype, double value, int... shape) {
    Tensor t = zeros(dtype, shape);
    t.fillInPlace(value);
    return t;
  }

  /** A tensor holding a copy of {@code values} (row-major), converted to {@code dtype}. */
  public static Tensor of(DType dtype, double[] values, int... shape) {
    Tensor t = zeros(dtype, shape);
    if (values.length != t.size) {
      throw new IllegalArgumentException(
          values.length + " values do not fit shape " + Arrays.toString(shape));
    }
    for (int i = 0; i < values.length; i++) {
      t.setFlat(i, values[i]);
    }
    return t;
  }

  /** Wraps {@code data} (no copy) as a float32 tensor of the given shape. */
  public static Tensor wrap(float[] data, int... shape) {
    return new Tensor(DType.FLOAT32, checkShape(shape), data, null);
  }

  /** Wraps {@code data} (no copy) as a float64 tensor of the given shape. */
  public static Tensor wrap(double[] data, int... shape) {
    return new Tensor(DType.FLOAT64, checkShape(shape), null, data);
  }

  /** Standard normal samples times {@code scale}: {@code scale * np.random.randn(*shape)}. */
  public static Tensor randn(DType dtype, RandomGenerator rng, double scale, int... shape) {
    Tensor t = zeros(dtype, shape);
    for (int i = 0; i < t.size; i++) {
      t.setFlat(i, scale * rng.nextGaussian());
    }
    return t;
  }

  /** Uniform samples in [0, 1): {@code np.random.rand(*shape)}. */
  public static Tensor rand(DType dtype, RandomGenerator rng, int... shape) {
    Tensor t = zeros(dtype, shape);
    for (int i = 0; i < t.size; i++) {
      t.setFlat(i, rng.nextDouble());
    }
    return t;
  }

  /**
   * {@code np.linspace(start, stop, num=prod(shape)).reshape(shape)}: evenly spaced values, both
   * ends included, as the notebooks build their deterministic check inputs.
   */
  public static Tensor linspace(DType dtype, double start, double stop, int... shape) {
    Tensor t = zeros(dtype, shape);
    int n = t.size;
    double step = n > 1 ? (stop - start) / (n - 1) : 0.0;
    for (int i = 0; i < n; i++) {
      t.setFlat(i, i == n - 1 && n > 1 ? stop : start + i * step);
    }
    return t;
  }

  // ---------------------------------------------------------------- shape and access

  /** The element type. */
  public DType dtype() {
    return dtype;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** The shape itself (not a copy), for this package's allocation-free paths. */
  int[] shapeView() {
    return shape;
  }

  /** Size of dimension {@code axis}; negative axes count from the end. */
  public int dim(int axis) {
    return shape[axis < 0 ? shape.length + axis : axis];
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Number of elements. */
  public int size() {
    return size;
  }

  /** Whether this tensor's shape equals {@code other}. */
  public boolean hasShape(int... other) {
    return Arrays.equals(shape, other);
  }

  /** The shape as numpy prints it, e.g. {@code (2, 3)}. */
  public String shapeString() {
    return shapeString(shape);
  }

  /** Formats a shape as numpy prints it, e.g. {@code (2, 3)}. */
  public static String shapeString(int... shape) {
    StringBuilder sb = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      sb.append(i > 0 ? ", " : "").append(shape[i]);
    }
    return sb.append(shape.length == 1 ? ",)" : ")").toString();
  }

  /** The float32 storage (live, row-major). Throws if this tensor is float64. */
  public float[] f32() {
    if (f == null) {
      throw new IllegalStateException("tensor is FLOAT64, not FLOAT32");
    }
    return f;
  }

  /** The float64 storage (live, row-major). Throws if this tensor is float32. */
  public double[] f64() {
    if (d == null) {
      throw new IllegalStateException("tensor is FLOAT32, not FLOAT64");
    }
    return d;
  }

  /** Element at flat (row-major) index {@code i}. */
  public double getFlat(int i) {
    return f != null ? f[i] : d[i];
  }

  /** Sets the element at flat index {@code i}. */
  public void setFlat(int i, double value) {
    if (f != null) {
      f[i] = (float) value;
    } else {
      d[i] = value;
    }
  }

  /** Adds {@code value} to the element at flat index {@code i}. */
  public void addFlat(int i, double value) {
    if (f != null) {
      f[i] += (float) value;
    } else {
      d[i] += value;
    }
  }

  /** Element at a full index. Slow: for tests and checks, not loops. */
  public double get(int... index) {
    return getFlat(flatIndex(index));
  }

  /** Sets the element at a full index. Slow: for tests and checks, not loops. */
  public void set(double value, int... index) {
    setFlat(flatIndex(index), value);
  }

  /** Row-major flat index of a full index, bounds-checked. */
  public int flatIndex(int... index) {
    if (index.length != shape.length) {
      throw new IllegalArgumentException(
          "index of rank " + index.length + " for tensor of shape " + shapeString());
    }
    int flat = 0;
    for (int i = 0; i < shape.length; i++) {
      if (index[i] < 0 || index[i] >= shape[i]) {
        throw new IndexOutOfBoundsException(
            "index " + Arrays.toString(index) + " out of bounds for shape " + shapeString());
      }
      flat = flat * shape[i] + index[i];
    }
    return flat;
  }

  /** A view with a new shape and the same storage; one dimension may be -1 (inferred). */
  public Tensor reshape(int... newShape) {
    int[] s = newShape.clone();
    int infer = -1;
    int known = 1;
    for (int i = 0; i < s.length; i++) {
      if (s[i] == -1) {
        if (infer >= 0) {
          throw new IllegalArgumentException("only one dimension may be -1");
        }
        infer = i;
      } else {
        known *= s[i];
      }
    }
    if (infer >= 0) {
      s[infer] = known == 0 ? 0 : size / known;
    }
    if (sizeOf(checkShape(s)) != size) {
      throw new IllegalArgumentException(
          "cannot reshape " + shapeString() + " to " + shapeString(newShape));
    }
    return new Tensor(dtype, s, f, d);
  }

  /** A deep copy. */
  public Tensor copy() {
    return f != null
        ? new Tensor(dtype, shape.clone(), f.clone(), null)
        : new Tensor(dtype, shape.clone(), null, d.clone());
  }

  /** Zeros of the same dtype and shape. */
  public Tensor zerosLike() {
    return zeros(dtype, shape);
  }

  /** A copy converted to {@code target} (a plain copy when the dtype is the same). */
  public Tensor to(DType target) {
    if (target == dtype) {
      return copy();
    }
    Tensor t = zeros(target, shape);
    if (f != null) {
      for (int i = 0; i < size; i++) {
        t.d[i] = f[i];
      }
    } else {
      for (int i = 0; i < size; i++) {
        t.f[i] = (float) d[i];
      }
    }
    return t;
  }

  /** The elements as a new {@code double[]}. */
  public double[] toDoubleArray() {
    if (d != null) {
      return d.clone();
    }
    double[] out = new double[size];
    for (int i = 0; i < size; i++) {
      out[i] = f[i];
    }
    return out;
  }

  /** Copies {@code src}'s elements into this tensor (same size, same dtype). */
  public void copyFrom(Tensor src) {
    checkSame(src);
    if (f != null) {
      System.arraycopy(src.f, 0, f, 0, size);
    } else {
      System.arraycopy(src.d, 0, d, 0, size);
    }
  }

  // ---------------------------------------------------------------- elementwise

  /** Sets every element to {@code value}. */
  public void fillInPlace(double value) {
    if (f != null) {
      Arrays.fill(f, (float) value);
    } else {
      Arrays.fill(d, value);
    }
  }

  /** {@code this + other}. */
  public Tensor add(Tensor other) {
    return copy().addInPlace(other);
  }

  /** {@code this - other}. */
  public Tensor sub(Tensor other) {
    return copy().subInPlace(other);
  }

  /** {@code this * other}, elementwise. */
  public Tensor mul(Tensor other) {
    return copy().mulInPlace(other);
  }

  /** {@code this / other}, elementwise. */
  public Tensor div(Tensor other) {
    return copy().divInPlace(other);
  }

  /** {@code this * s}. */
  public Tensor scale(double s) {
    return copy().scaleInPlace(s);
  }

  /** {@code this += other}; returns this. */
  public Tensor addInPlace(Tensor other) {
    checkSame(other);
    if (f != null) {
      float[] o = other.f;
      for (int i = 0; i < size; i++) {
        f[i] += o[i];
      }
    } else {
      double[] o = other.d;
      for (int i = 0; i < size; i++) {
        d[i] += o[i];
      }
    }
    return this;
  }

  /** {@code this -= other}; returns this. */
  public Tensor subInPlace(Tensor other) {
    checkSame(other);
    if (f != null) {
      float[] o = other.f;
      for (int i = 0; i < size; i++) {
        f[i] -= o[i];
      }
    } else {
      double[] o = other.d;
      for (int i = 0; i < size; i++) {
        d[i] -= o[i];
      }
    }
    return this;
  }

  /** {@code this *= other}, elementwise; returns this. */
  public Tensor mulInPlace(Tensor other) {
    checkSame(other);
    if (f != null) {
      float[] o = other.f;
      for (int i = 0; i < size; i++) {
        f[i] *= o[i];
      }
    } else {
      double[] o = other.d;
      for (int i = 0; i < size; i++) {
        d[i] *= o[i];
      }
    }
    return this;
  }

  /** {@code this /= other}, elementwise; returns this. */
  public Tensor divInPlace(Tensor other) {
    checkSame(other);
    if (f != null) {
      float[] o = other.f;
      for (int i = 0; i < size; i++) {
        f[i] /= o[i];
      }
    } else {
      double[] o = other.d;
      for (int i = 0; i < size; i++) {
        d[i] /= o[i];
      }
    }
    return this;
  }

  /** {@code this *= s}; returns this. */
  public Tensor scaleInPlace(double s) {
    if (f != null) {
      float fs = (float) s;
      for (int i = 0; i < size; i++) {
        f[i] *= fs;
      }
    } else {
      for (int i = 0; i < size; i++) {
        d[i] *= s;
      }
    }
    return this;
  }

  /** {@code this += s}; returns this. */
  public Tensor addScalarInPlace(double s) {
    if (f != null) {
      float fs = (float) s;
      for (int i = 0; i < size; i++) {
        f[i] += fs;
      }
    } else {
      for (int i = 0; i < size; i++) {
        d[i] += s;
      }
    }
    return this;
  }

  /** {@code this += alpha * x} (axpy); returns this. */
  public Tensor axpyInPlace(double alpha, Tensor x) {
    checkSame(x);
    if (f != null) {
      float a = (float) alpha;
      float[] o = x.f;
      for (int i = 0; i < size; i++) {
        f[i] += a * o[i];
      }
    } else {
      double[] o = x.d;
      for (int i = 0; i < size; i++) {
        d[i] += alpha * o[i];
      }
    }
    return this;
  }

  /** Elementwise square root. */
  public Tensor sqrt() {
    Tensor t = copy();
    if (f != null) {
      for (int i = 0; i < size; i++) {
        t.f[i] = (float) Math.sqrt(f[i]);
      }
    } else {
      for (int i = 0; i < size; i++) {
        t.d[i] = Math.sqrt(d[i]);
      }
    }
    return t;
  }

  /** Elementwise square. */
  public Tensor square() {
    return mul(this);
  }

  /** Elementwise {@code max(this, s)}. */
  public Tensor maximum(double s) {
    Tensor t = copy();
    if (f != null) {
      float fs = (float) s;
      for (int i = 0; i < size; i++) {
        t.f[i] = Math.max(f[i], fs);
      }
    } else {
      for (int i = 0; i < size; i++) {
        t.d[i] = Math.max(d[i], s);
      }
    }
    return t;
  }

  // ---------------------------------------------------------------- broadcasting over rows

  /**
   * Views this tensor as a matrix of {@code dim(0)} rows and {@code size/dim(0)} columns and adds
   * {@code v} (of size = columns) to every row: numpy's {@code x + v} for x of shape (N, D).
   */
  public Tensor addRowVector(Tensor v) {
    return copy().rowOpInPlace(v, ROW_ADD);
  }

  /** {@code x - v} for each row, see {@link #addRowVector}. */
  public Tensor subRowVector(Tensor v) {
    return copy().rowOpInPlace(v, ROW_SUB);
  }

  /** {@code x * v} for each row, see {@link #addRowVector}. */
  public Tensor mulRowVector(Tensor v) {
    return copy().rowOpInPlace(v, ROW_MUL);
  }

  /** {@code x / v} for each row, see {@link #addRowVector}. */
  public Tensor divRowVector(Tensor v) {
    return copy().rowOpInPlace(v, ROW_DIV);
  }

  /** In-place {@link #addRowVector}; returns this. */
  public Tensor addRowVectorInPlace(Tensor v) {
    return rowOpInPlace(v, ROW_ADD);
  }

  /**
   * Views this tensor as (N, D) with N = {@code dim(0)} and applies {@code x[i, :] op c[i]} for a
   * column vector c of N elements: numpy's {@code x - c[:, None]}.
   */
  public Tensor subColumnVector(Tensor c) {
    return copy().colOpInPlace(c, ROW_SUB);
  }

  /** {@code x[i, :] * c[i]}, see {@link #subColumnVector}. */
  public Tensor mulColumnVector(Tensor c) {
    return copy().colOpInPlace(c, ROW_MUL);
  }

  /** {@code x[i, :] / c[i]}, see {@link #subColumnVector}. */
  public Tensor divColumnVector(Tensor c) {
    return copy().colOpInPlace(c, ROW_DIV);
  }

  /** {@code x[i, :] + c[i]}, see {@link #subColumnVector}. */
  public Tensor addColumnVector(Tensor c) {
    return copy().colOpInPlace(c, ROW_ADD);
  }

  private static final int ROW_ADD = Kernels.ADD;
  private static final int ROW_SUB = Kernels.SUB;
  private static final int ROW_MUL = Kernels.MUL;
  private static final int ROW_DIV = Kernels.DIV;

  private Tensor rowOpInPlace(Tensor v, int op) {
    int rows = shape.length == 0 ? 1 : shape[0];
    int cols = rows == 0 ? 0 : size / rows;
    if (v.size != cols || v.dtype != dtype) {
      throw new IllegalArgumentException(
          "row vector of shape "
              + v.shapeString()
              + " ("
              + v.dtype
              + ") does not broadcast over rows of "
              + shapeString()
              + " ("
              + dtype
              + ")");
    }
    // One loop per operation, so that each inner loop is a plain vectorizable array loop (a
    // float op gives the same result as the double op rounded to float: double has more than
    // twice float's precision).
    if (f != null) {
      Kernels.rowOp(op, f, rows, cols, v.f);
    } else {
      Kernels.rowOp(op, d, rows, cols, v.d);
    }
    return this;
  }

  private Tensor colOpInPlace(Tensor c, int op) {
    int rows = shape.length == 0 ? 1 : shape[0];
    int cols = rows == 0 ? 0 : size / rows;
    if (c.size != rows || c.dtype != dtype) {
      throw new IllegalArgumentException(
          "column vector of shape "
              + c.shapeString()
              + " does not broadcast over columns of "
              + shapeString());
    }
    if (f != null) {
      Kernels.colOp(op, f, rows, cols, c.f);
    } else {
      Kernels.colOp(op, d, rows, cols, c.d);
    }
    return this;
  }

  // ---------------------------------------------------------------- reductions

  /** Sum of all elements, accumulated in double. */
  public double sum() {
    return f != null ? Kernels.sum(f, 0, size) : Kernels.sum(d, 0, size);
  }

  /** Mean of all elements. */
  public double mean() {
    return sum() / size;
  }

  /** Sum of squares of all elements. */
  public double sumOfSquares() {
    return f != null ? Kernels.sumOfSquares(f, 0, size) : Kernels.sumOfSquares(d, 0, size);
  }

  /** Largest absolute value (0 for an empty tensor). */
  public double maxAbs() {
    double m = 0;
    if (f != null) {
      float fm = 0;
      for (int i = 0; i < size; i++) {
        fm = Math.max(fm, Math.abs(f[i]));
      }
      m = fm;
    } else {
      for (int i = 0; i < size; i++) {
        m = Math.max(m, Math.abs(d[i]));
      }
    }
    return m;
  }

  /** Whether every element is finite (no NaN, no infinity). */
  public boolean allFinite() {
    // 0·x is ±0 for a finite x and NaN for an infinity or a NaN; the sum of those is NaN exactly
    // when one is, without a branch per element.
    if (f != null) {
      float acc = 0;
      for (int i = 0; i < size; i++) {
        acc += 0f * f[i];
      }
      return acc == 0;
    }
    double acc = 0;
    for (int i = 0; i < size; i++) {
      acc += 0.0 * d[i];
    }
    return acc == 0;
  }

  /**
   * Views this tensor as (N, D) with N = {@code dim(0)} and sums over rows: numpy's {@code
   * x.sum(axis=0)} for a 2-D x, returned with shape (D).
   */
  public Tensor sumRows() {
    return sumRows(Workspace.allocating());
  }

  /** {@link #sumRows()} into a buffer of {@code ws} (its double accumulator too). */
  public Tensor sumRows(Workspace ws) {
    int rows = shape[0];
    int cols = rows == 0 ? 0 : size / rows;
    double[] acc = ws.zeroDoubles(cols);
    if (f != null) {
      Kernels.columnSums(f, rows, cols, acc, ws.floats(cols));
    } else {
      Kernels.columnSums(d, rows, cols, acc);
    }
    Tensor out = ws.tensor(dtype, cols);
    out.setFrom(acc);
    return out;
  }

  /** Sets every element from {@code values} (row-major, same size), rounding to float32. */
  public Tensor setFrom(double[] values) {
    if (values.length != size) {
      throw new IllegalArgumentException(
          values.length + " values for a tensor of shape " + shapeString());
    }
    if (f != null) {
      for (int i = 0; i < size; i++) {
        f[i] = (float) values[i];
      }
    } else {
      System.arraycopy(values, 0, d, 0, size);
    }
    return this;
  }

  /** {@code x.mean(axis=0)}, see {@link #sumRows}. */
  public Tensor meanRows() {
    return sumRows().scaleInPlace(1.0 / shape[0]);
  }

  /** Population variance over rows, {@code x.var(axis=0)}, see {@link #sumRows}. */
  public Tensor varRows() {
    int rows = shape[0];
    int cols = rows == 0 ? 0 : size / rows;
    double[] mean = meanRows().toDoubleArray();
    double[] acc = new double[cols];
    if (f != null) {
      for (int r = 0; r < rows; r++) {
        int base = r * cols;
        for (int j = 0; j < cols; j++) {
          double c = f[base + j] - mean[j];
          acc[j] += c * c;
        }
      }
    } else {
      for (int r = 0; r < rows; r++) {
        int base = r * cols;
        for (int j = 0; j < cols; j++) {
          double c = d[base + j] - mean[j];
          acc[j] += c * c;
        }
      }
    }
    for (int j = 0; j < cols; j++) {
      acc[j] /= rows;
    }
    return of(dtype, acc, cols);
  }

  /** Views this tensor as (N, D) and sums each row: {@code x.sum(axis=1)}, shape (N). */
  public Tensor sumColumns() {
    int rows = shape[0];
    int cols = rows == 0 ? 0 : size / rows;
    double[] acc = new double[rows];
    for (int r = 0; r < rows; r++) {
      double s = 0;
      int base = r * cols;
      for (int j = 0; j < cols; j++) {
        s += getFlat(base + j);
      }
      acc[r] = s;
    }
    return of(dtype, acc, rows);
  }

  /** {@code x.mean(axis=1)}, see {@link #sumColumns}. */
  public Tensor meanColumns() {
    int cols = shape[0] == 0 ? 0 : size / shape[0];
    return sumColumns().scaleInPlace(1.0 / cols);
  }

  /** Population variance of each row, {@code x.var(axis=1)}, shape (N). */
  public Tensor varColumns() {
    int rows = shape[0];
    int cols = rows == 0 ? 0 : size / rows;
    double[] acc = new double[rows];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      double m = 0;
      for (int j = 0; j < cols; j++) {
        m += getFlat(base + j);
      }
      m /= cols;
      double v = 0;
      for (int j = 0; j < cols; j++) {
        double c = getFlat(base + j) - m;
        v += c * c;
      }
      acc[r] = v / cols;
    }
    return of(dtype, acc, rows);
  }

  /** Index of the largest element of each row of the (N, D) view: {@code x.argmax(axis=1)}. */
  public int[] argmaxColumns() {
    int rows = shape[0];
    int cols = rows == 0 ? 0 : size / rows;
    int[] out = new int[rows];
    for (int r = 0; r < rows; r++) {
      int base = r * cols;
      int best = 0;
      double bestValue = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < cols; j++) {
        double v = getFlat(base + j);
        if (v > bestValue) {
          bestValue = v;
          best = j;
        }
      }
      out[r] = best;
    }
    return out;
  }

  // ---------------------------------------------------------------- matrix products

  /**
   * Matrix product {@code op(a)·op(b)} of two tensors viewed as matrices (first dimension = rows,
   * the rest flattened = columns), through BLAS gemm. {@code transA} means a is stored as (k, m).
   */
  public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB) {
    return matmul(a, transA, b, transB, Workspace.allocating());
  }

  /**
   * {@link #matmul(Tensor, boolean, Tensor, boolean)} into a buffer of {@code ws} (destination
   * passing: with a reusing workspace nothing is allocated).
   */
  public static Tensor matmul(Tensor a, boolean transA, Tensor b, boolean transB, Workspace ws) {
    int aRows = a.shape[0];
    int aCols = aRows == 0 ? 0 : a.size / aRows;
    int bRows = b.shape[0];
    int bCols = bRows == 0 ? 0 : b.size / bRows;
    int m = transA ? aCols : aRows;
    int k = transA ? aRows : aCols;
    int kb = transB ? bCols : bRows;
    int n = transB ? bRows : bCols;
    if (k != kb || a.dtype != b.dtype) {
      throw new IllegalArgumentException(
          "matmul: "
              + (transA ? "transpose of " : "")
              + a.shapeString()
              + " ("
              + a.dtype
              + ") times "
              + (transB ? "transpose of " : "")
              + b.shapeString()
              + " ("
              + b.dtype
              + "): inner dimensions "
              + k
              + " and "
              + kb
              + " differ");
    }
    Tensor c = ws.tensor(a.dtype, m, n);
    // beta = 0: C is not read, so a reused buffer's old contents do not matter.
    gemmInto(a, transA, b, transB, 1.0, 0.0, c, m, n, k);
    return c;
  }

  /** {@code a·b} for a (m, k) and b (k, n). */
  public static Tensor matmul(Tensor a, Tensor b) {
    return matmul(a, false, b, false);
  }

  private static void gemmInto(
      Tensor a,
      boolean transA,
      Tensor b,
      boolean transB,
      double alpha,
      double beta,
      Tensor c,
      int m,
      int n,
      int k) {
    if (a.f != null) {
      Gemm.sgemm(transA, transB, m, n, k, (float) alpha, a.f, 0, b.f, 0, (float) beta, c.f, 0);
    } else {
      Gemm.dgemm(transA, transB, m, n, k, alpha, a.d, 0, b.d, 0, beta, c.d, 0);
    }
  }

  /** The transpose of a 2-D tensor (a copy). */
  public Tensor transpose() {
    if (shape.length != 2) {
      throw new IllegalArgumentException("transpose needs a 2-D tensor, got " + shapeString());
    }
    int r = shape[0];
    int c = shape[1];
    Tensor t = zeros(dtype, c, r);
    for (int i = 0; i < r; i++) {
      for (int j = 0; j < c; j++) {
        if (f != null) {
          t.f[j * r + i] = f[i * c + j];
        } else {
          t.d[j * r + i] = d[i * c + j];
        }
      }
    }
    return t;
  }

  // ---------------------------------------------------------------- helpers

  private void checkSame(Tensor other) {
    if (other.dtype != dtype || other.size != size) {
      throw new IllegalArgumentException(
          "operands differ: "
              + shapeString()
              + " ("
              + dtype
              + ") and "
              + other.shapeString()
              + " ("
              + other.dtype
              + ")");
    }
  }

  private static int[] checkShape(int[] shape) {
    for (int s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
    }
    return shape.clone();
  }

  private static int sizeOf(int[] shape) {
    long n = 1;
    for (int s : shape) {
      n *= s;
    }
    if (n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("shape too large: " + Arrays.toString(shape));
    }
    return (int) n;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Tensor").append(shapeString()).append(' ').append(dtype);
    if (size <= 16) {
      sb.append(' ').append(Arrays.toString(toDoubleArray()));
    }
    return sb.toString();
  }
}
