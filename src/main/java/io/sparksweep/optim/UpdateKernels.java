package io.sparksweep.optim;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;

/** Fused single-pass update kernels, one loop per precision. */
final class UpdateKernels {
  private UpdateKernels() {}

  /** {@code v = mu·v − lr·dw; w += v} (the notebooks' {@code sgd_momentum}). */
  static void momentum(Tensor w, Tensor dw, Tensor v, double lr, double mu) {
    int n = w.size();
    if (w.dtype() == DType.FLOAT32) {
      float[] wf = w.f32();
      float[] g = dw.f32();
      float[] vf = v.f32();
      float flr = (float) lr;
      float fmu = (float) mu;
      for (int i = 0; i < n; i++) {
        vf[i] = fmu * vf[i] - flr * g[i];
        wf[i] += vf[i];
      }
    } else {
      double[] wd = w.f64();
      double[] g = dw.f64();
      double[] vd = v.f64();
      for (int i = 0; i < n; i++) {
        vd[i] = mu * vd[i] - lr * g[i];
        wd[i] += vd[i];
      }
    }
  }

  /** {@code cache = ρ·cache + (1 − ρ)·dw²; w −= lr·dw / (√cache + ε)} (Hinton, Lecture 6e). */
  static void rmsprop(Tensor w, Tensor dw, Tensor cache, double lr, double rho, double eps) {
    int n = w.size();
    if (w.dtype() == DType.FLOAT32) {
      float[] wf = w.f32();
      float[] g = dw.f32();
      float[] c = cache.f32();
      float flr = (float) lr;
      float frho = (float) rho;
      float one = (float) (1 - rho);
      float feps = (float) eps;
      for (int i = 0; i < n; i++) {
        float gi = g[i];
        c[i] = frho * c[i] + one * gi * gi;
        wf[i] -= flr * gi / ((float) Math.sqrt(c[i]) + feps);
      }
    } else {
      double[] wd = w.f64();
      double[] g = dw.f64();
      double[] c = cache.f64();
      for (int i = 0; i < n; i++) {
        double gi = g[i];
        c[i] = rho * c[i] + (1 - rho) * gi * gi;
        wd[i] -= lr * gi / (Math.sqrt(c[i]) + eps);
      }
    }
  }

  /**
   * Adam with bias correction (Kingma and Ba, 2015), as in the notebooks: {@code m = β1·m + (1 −
   * β1)·dw; v = β2·v + (1 − β2)·dw²; m̂ = m / (1 − β1ᵗ); v̂ = v / (1 − β2ᵗ); w −= lr·m̂ / (√v̂ +
   * ε)}.
   */
  static void adam(Tensor w, Tensor dw, Tensor m, Tensor v, int t, OptimConfig c) {
    int n = w.size();
    double b1 = c.beta1();
    double b2 = c.beta2();
    double corr1 = 1 / (1 - Math.pow(b1, t));
    double corr2 = 1 / (1 - Math.pow(b2, t));
    double lr = c.learningRate();
    double eps = c.epsilon();
    if (w.dtype() == DType.FLOAT32) {
      float[] wf = w.f32();
      float[] g = dw.f32();
      float[] mf = m.f32();
      float[] vf = v.f32();
      float fb1 = (float) b1;
      float fb2 = (float) b2;
      float ob1 = (float) (1 - b1);
      float ob2 = (float) (1 - b2);
      float fc1 = (float) corr1;
      float fc2 = (float) corr2;
      float flr = (float) lr;
      float feps = (float) eps;
      for (int i = 0; i < n; i++) {
        float gi = g[i];
        float mi = fb1 * mf[i] + ob1 * gi;
        float vi = fb2 * vf[i] + ob2 * gi * gi;
        mf[i] = mi;
        vf[i] = vi;
        wf[i] -= flr * (mi * fc1) / ((float) Math.sqrt(vi * fc2) + feps);
      }
    } else {
      double[] wd = w.f64();
      double[] g = dw.f64();
      double[] md = m.f64();
      double[] vd = v.f64();
      for (int i = 0; i < n; i++) {
        double gi = g[i];
        double mi = b1 * md[i] + (1 - b1) * gi;
        double vi = b2 * vd[i] + (1 - b2) * gi * gi;
        md[i] = mi;
        vd[i] = vi;
        wd[i] -= lr * (mi * corr1) / (Math.sqrt(vi * corr2) + eps);
      }
    }
  }
}
