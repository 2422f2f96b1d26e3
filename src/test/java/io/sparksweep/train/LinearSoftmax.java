package io.sparksweep.train;

import io.sparksweep.model.Classifier;
import io.sparksweep.model.Loss;
import io.sparksweep.model.Params;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;

/**
 * A minimal softmax regression written independently of the layer package, so that the Solver can
 * be tested on its own: scores = x·W + b, loss = mean cross-entropy + 0.5·reg·ΣW².
 */
final class LinearSoftmax implements Classifier {
  private final Params params = new Params();
  private final DType dtype;

  LinearSoftmax(int d, int c, DType dtype, long seed) {
    this.dtype = dtype;
    params.put("W1", Tensor.randn(dtype, new SplittableRandom(seed), 1e-2, d, c));
    params.put("b1", Tensor.zeros(dtype, c));
  }

  @Override
  public Params params() {
    return params;
  }

  @Override
  public Params state() {
    return new Params();
  }

  @Override
  public DType dtype() {
    return dtype;
  }

  @Override
  public Tensor scores(Tensor x) {
    Tensor x2 = x.reshape(x.dim(0), -1);
    return Tensor.matmul(x2, params.get("W1")).addRowVector(params.get("b1"));
  }

  @Override
  public Loss loss(Tensor x, int[] y) {
    Tensor x2 = x.reshape(x.dim(0), -1);
    Tensor s = scores(x);
    int n = s.dim(0);
    int c = s.dim(1);
    Tensor ds = s.zerosLike();
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, s.get(i, j));
      }
      double z = 0;
      for (int j = 0; j < c; j++) {
        z += Math.exp(s.get(i, j) - max);
      }
      loss -= s.get(i, y[i]) - max - Math.log(z);
      for (int j = 0; j < c; j++) {
        double p = Math.exp(s.get(i, j) - max) / z;
        ds.set((p - (j == y[i] ? 1 : 0)) / n, i, j);
      }
    }
    Params grads = new Params();
    grads.put("W1", Tensor.matmul(x2, true, ds, false));
    grads.put("b1", ds.sumRows());
    return new Loss(loss / n, grads);
  }

  @Override
  public String architectureJson() {
    return "{\"model\":\"linear\"}";
  }
}
