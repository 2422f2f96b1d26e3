package io.sparksweep.gradcheck;

import io.sparksweep.tensor.Tensor;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * Centered finite-difference gradients and relative errors: the notebooks' {@code
 * gradient_check.py} ({@code eval_numerical_gradient}, {@code eval_numerical_gradient_array},
 * {@code grad_check_sparse}, {@code rel_error}).
 *
 * <p>Each function perturbs {@code x} in place, one element at a time, to {@code x ± h}, evaluates
 * the function and restores the element. Use {@code FLOAT64} tensors: with float32 the differences
 * drown in rounding.
 */
public final class GradientCheck {
  /** The notebooks' default step. */
  public static final double DEFAULT_H = 1e-5;

  private GradientCheck() {}

  /**
   * Numeric gradient of a scalar function: {@code grad[i] = (f(x + h·e_i) − f(x − h·e_i)) / 2h}.
   *
   * @param f scalar function of the current contents of {@code x}
   * @param x the point (any shape); perturbed in place and restored
   * @return a tensor of x's shape and dtype
   */
  public static Tensor numericalGradient(ToDoubleFunction<Tensor> f, Tensor x, double h) {
    Tensor grad = x.zerosLike();
    for (int i = 0; i < x.size(); i++) {
      double old = x.getFlat(i);
      x.setFlat(i, old + h);
      double plus = f.applyAsDouble(x);
      x.setFlat(i, old - h);
      double minus = f.applyAsDouble(x);
      x.setFlat(i, old);
      grad.setFlat(i, (plus - minus) / (2 * h));
    }
    return grad;
  }

  /** {@link #numericalGradient(ToDoubleFunction, Tensor, double)} with h = 1e-5. */
  public static Tensor numericalGradient(ToDoubleFunction<Tensor> f, Tensor x) {
    return numericalGradient(f, x, DEFAULT_H);
  }

  /**
   * Numeric gradient of an array-valued function contracted with an upstream gradient: {@code
   * grad[i] = Σ_j (f(x + h·e_i) − f(x − h·e_i))_j · dout_j / 2h}, i.e. the vector-Jacobian product
   * that a layer's backward pass must return.
   *
   * @param f array function of the current contents of {@code x} (called with x, returns a fresh or
   *     copied tensor)
   * @param x the point; perturbed in place and restored
   * @param dout upstream gradient, of f's output size
   */
  public static Tensor numericalGradientArray(
      Function<Tensor, Tensor> f, Tensor x, Tensor dout, double h) {
    Tensor grad = x.zerosLike();
    for (int i = 0; i < x.size(); i++) {
      double old = x.getFlat(i);
      x.setFlat(i, old + h);
      Tensor plus = f.apply(x).copy();
      x.setFlat(i, old - h);
      Tensor minus = f.apply(x).copy();
      x.setFlat(i, old);
      if (plus.size() != dout.size()) {
        throw new IllegalArgumentException(
            "dout of shape "
                + dout.shapeString()
                + " does not match the function's output "
                + plus.shapeString());
      }
      double s = 0;
      for (int j = 0; j < plus.size(); j++) {
        s += (plus.getFlat(j) - minus.getFlat(j)) * dout.getFlat(j);
      }
      grad.setFlat(i, s / (2 * h));
    }
    return grad;
  }

  /** {@link #numericalGradientArray(Function, Tensor, Tensor, double)} with h = 1e-5. */
  public static Tensor numericalGradientArray(Function<Tensor, Tensor> f, Tensor x, Tensor dout) {
    return numericalGradientArray(f, x, dout, DEFAULT_H);
  }

  /**
   * Sparse check ({@code grad_check_sparse}): compares {@code analytic} with the centered
   * difference at {@code numChecks} random positions and returns the largest relative error.
   */
  public static double sparseCheck(
      ToDoubleFunction<Tensor> f,
      Tensor x,
      Tensor analytic,
      int numChecks,
      RandomGenerator rng,
      double h) {
    double worst = 0;
    for (int c = 0; c < numChecks; c++) {
      int i = rng.nextInt(x.size());
      double old = x.getFlat(i);
      x.setFlat(i, old + h);
      double plus = f.applyAsDouble(x);
      x.setFlat(i, old - h);
      double minus = f.applyAsDouble(x);
      x.setFlat(i, old);
      double numeric = (plus - minus) / (2 * h);
      double a = analytic.getFlat(i);
      worst = Math.max(worst, relError(numeric, a));
    }
    return worst;
  }

  /** {@code rel_error}: {@code max |x − y| / max(1e-8, |x| + |y|)} over all elements. */
  public static double relError(Tensor x, Tensor y) {
    if (x.size() != y.size()) {
      throw new IllegalArgumentException(
          "rel_error of shapes " + x.shapeString() + " and " + y.shapeString());
    }
    double worst = 0;
    for (int i = 0; i < x.size(); i++) {
      worst = Math.max(worst, relError(x.getFlat(i), y.getFlat(i)));
    }
    return worst;
  }

  /** Relative error of two scalars, {@code |x − y| / max(1e-8, |x| + |y|)}. */
  public static double relError(double x, double y) {
    return Math.abs(x - y) / Math.max(1e-8, Math.abs(x) + Math.abs(y));
  }
}
