package io.sparksweep.loss;

import io.sparksweep.tensor.Tensor;

/**
 * Multiclass SVM (hinge) loss with margin 1, the notebooks' {@code svm_loss}: {@code loss = (1/N)
 * Σ_n Σ_{j ≠ y_n} max(0, s_nj − s_ny_n + 1)}. Its gradient is {@code 1/N} for every class with a
 * positive margin and {@code −(number of positive margins)/N} for the correct class.
 */
public final class SvmLoss {
  /** The margin Δ of the hinge. */
  public static final double MARGIN = 1.0;

  private SvmLoss() {}

  /**
   * Loss and gradient.
   *
   * @param scores class scores of shape (N, C)
   * @param y labels, length N, each in [0, C)
   * @return the mean loss and dscores of shape (N, C)
   * @throws IllegalArgumentException if the shapes do not match or a label is out of range
   */
  public static DataLoss compute(Tensor scores, int[] y) {
    Labels.check("svm loss", scores, y);
    int n = scores.dim(0);
    int c = scores.dim(1);
    Tensor dscores = scores.zerosLike();
    double total = 0;
    for (int i = 0; i < n; i++) {
      int base = i * c;
      double correct = scores.getFlat(base + y[i]);
      int positive = 0;
      for (int j = 0; j < c; j++) {
        if (j == y[i]) {
          continue;
        }
        double margin = scores.getFlat(base + j) - correct + MARGIN;
        if (margin > 0) {
          total += margin;
          positive++;
          dscores.setFlat(base + j, 1.0 / n);
        }
      }
      dscores.setFlat(base + y[i], -(double) positive / n);
    }
    return new DataLoss(total / n, dscores);
  }
}
