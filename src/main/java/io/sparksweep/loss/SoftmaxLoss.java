package io.sparksweep.loss;

import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;

/**
 * Softmax (cross-entropy) loss, the notebooks' {@code softmax_loss}: for scores s of shape (N, C)
 * and labels y, {@code loss = −(1/N) Σ_n log softmax(s_n)[y_n]} and {@code dscores = (softmax(s) −
 * onehot(y)) / N}.
 *
 * <p>Numerically stable: each row's maximum is subtracted before exponentiating, and the log of the
 * probability is computed as {@code shifted − log Σ exp(shifted)}, so large scores neither overflow
 * nor produce {@code log 0}. All arithmetic is in double; dscores has the scores' dtype.
 *
 * <p>Float32 dscores: an entry of magnitude below {@value #FLUSH_BELOW_F32} (2<sup>−96</sup>) is
 * stored as 0. Such entries come from probabilities that underflow (scores more than ≈ 63 apart)
 * and would become subnormal floats as they are converted, or in the products of the backward pass
 * downstream. Intel cores take a microcode assist for every subnormal operand: measured on a Xeon
 * (2026-12-07), the convnet's training steps took 90–140 ms instead of 22 ms, for the 200 steps in
 * which its scores spread that far. The Java language gives no flush-to-zero mode (PyTorch's {@code
 * set_flush_denormal}); this is its one source in the step. The change is below float32's
 * resolution: every row of dscores holds an entry of at least 1/(C·N), 2<sup>−24</sup> of which is
 * far above 2<sup>−96</sup>.
 */
public final class SoftmaxLoss {
  /** Float32 dscores entries of smaller magnitude are stored as 0. */
  public static final double FLUSH_BELOW_F32 = 0x1p-96;

  private SoftmaxLoss() {}

  /**
   * Loss and gradient.
   *
   * @param scores class scores of shape (N, C)
   * @param y labels, length N, each in [0, C)
   * @return the mean loss and dscores of shape (N, C)
   * @throws IllegalArgumentException if the shapes do not match or a label is out of range
   */
  public static DataLoss compute(Tensor scores, int[] y) {
    return compute(scores, y, Workspace.allocating());
  }

  /**
   * {@link #compute(Tensor, int[])} with dscores (and a row of scratch) in buffers of {@code ws}.
   */
  public static DataLoss compute(Tensor scores, int[] y, Workspace ws) {
    Labels.check("softmax loss", scores, y);
    int n = scores.dim(0);
    int c = scores.dim(1);
    // Every element of both is written below.
    Tensor dscores = ws.like(scores);
    double flush = dscores.dtype() == io.sparksweep.tensor.DType.FLOAT32 ? FLUSH_BELOW_F32 : 0;
    double[] row = ws.doubles(c);
    double total = 0;
    for (int i = 0; i < n; i++) {
      int base = i * c;
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        row[j] = scores.getFlat(base + j);
        max = Math.max(max, row[j]);
      }
      double sumExp = 0;
      for (int j = 0; j < c; j++) {
        row[j] -= max;
        sumExp += Math.exp(row[j]);
      }
      double logSumExp = Math.log(sumExp);
      total -= row[y[i]] - logSumExp;
      for (int j = 0; j < c; j++) {
        double prob = Math.exp(row[j] - logSumExp);
        double g = (prob - (j == y[i] ? 1 : 0)) / n;
        dscores.setFlat(base + j, Math.abs(g) < flush ? 0 : g);
      }
    }
    return new DataLoss(total / n, dscores);
  }
}
