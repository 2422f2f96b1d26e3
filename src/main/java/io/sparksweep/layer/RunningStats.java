package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/**
 * Batchnorm's running mean and variance (the notebooks' {@code bn_param['running_mean']} and {@code
 * ['running_var']}), explicit and mutable. Updated in train mode with the CS231n convention {@code
 * running = momentum·running + (1 − momentum)·batch}, read in test mode.
 */
public final class RunningStats {
  /** Default momentum, 0.9. */
  public static final double DEFAULT_MOMENTUM = 0.9;

  /** Default epsilon, 1e-5. */
  public static final double DEFAULT_EPS = 1e-5;

  private final Tensor mean;
  private final Tensor var;
  private final double momentum;
  private final double eps;

  /**
   * @param mean running mean of shape (D) (or (C) for spatial batchnorm), live
   * @param var running variance, same shape, live
   * @param momentum decay of the running averages
   * @param eps added to the variance before the square root
   */
  public RunningStats(Tensor mean, Tensor var, double momentum, double eps) {
    if (!mean.hasShape(var.shape())) {
      throw new IllegalArgumentException(
          "running mean " + mean.shapeString() + " and var " + var.shapeString() + " differ");
    }
    this.mean = mean;
    this.var = var;
    this.momentum = momentum;
    this.eps = eps;
  }

  /** Zero mean and zero variance of {@code d} features (the notebooks' initial state). */
  public static RunningStats zeros(io.sparksweep.tensor.DType dtype, int d) {
    return new RunningStats(
        Tensor.zeros(dtype, d), Tensor.zeros(dtype, d), DEFAULT_MOMENTUM, DEFAULT_EPS);
  }

  /** Running mean, live. */
  public Tensor mean() {
    return mean;
  }

  /** Running variance, live. */
  public Tensor var() {
    return var;
  }

  /** Momentum of the running averages. */
  public double momentum() {
    return momentum;
  }

  /** Epsilon added to variances. */
  public double eps() {
    return eps;
  }

  /** {@code running = momentum·running + (1 − momentum)·batch} for both statistics. */
  public void update(Tensor batchMean, Tensor batchVar) {
    mean.scaleInPlace(momentum).axpyInPlace(1 - momentum, batchMean);
    var.scaleInPlace(momentum).axpyInPlace(1 - momentum, batchVar);
  }
}
