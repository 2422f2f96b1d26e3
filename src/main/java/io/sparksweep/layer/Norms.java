package io.sparksweep.layer;

import io.sparksweep.tensor.Tensor;

/** Small helpers shared by the normalization layers. */
final class Norms {
  private Norms() {}

  /** {@code 1 / sqrt(var + eps)}, elementwise, same shape and dtype as {@code var}. */
  static Tensor inverseStd(Tensor var, double eps) {
    Tensor std = var.copy().addScalarInPlace(eps).sqrt();
    return Tensor.full(var.dtype(), 1.0, var.shape()).divInPlace(std);
  }
}
