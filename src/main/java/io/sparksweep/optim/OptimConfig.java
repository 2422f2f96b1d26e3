package io.sparksweep.optim;

/**
 * Hyperparameters of an update rule (the notebooks' {@code optim_config} dict, typed). Fields a
 * rule does not use are ignored.
 *
 * @param learningRate step size (&gt; 0)
 * @param momentum SGD momentum (0.9)
 * @param decayRate RMSProp decay of the squared-gradient cache (0.99)
 * @param beta1 Adam first-moment decay (0.9)
 * @param beta2 Adam second-moment decay (0.999)
 * @param epsilon smoothing term of RMSProp and Adam (1e-8)
 */
public record OptimConfig(
    double learningRate,
    double momentum,
    double decayRate,
    double beta1,
    double beta2,
    double epsilon) {

  /** Validates every field, naming the bad one. */
  public OptimConfig {
    positive("learningRate", learningRate);
    unitInterval("momentum", momentum);
    unitInterval("decayRate", decayRate);
    unitInterval("beta1", beta1);
    unitInterval("beta2", beta2);
    positive("epsilon", epsilon);
  }

  private static void positive(String name, double v) {
    if (!(v > 0) || !Double.isFinite(v)) {
      throw new IllegalArgumentException(name + " must be a finite number > 0, got " + v);
    }
  }

  private static void unitInterval(String name, double v) {
    if (!(v >= 0 && v < 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1), got " + v);
    }
  }

  /** The notebooks' defaults for {@code rule} (learning rate 1e-2, or 1e-3 for Adam). */
  public static OptimConfig defaults(UpdateRule rule) {
    double lr = rule == UpdateRule.ADAM ? 1e-3 : 1e-2;
    return new OptimConfig(lr, 0.9, 0.99, 0.9, 0.999, 1e-8);
  }

  /** A copy with another learning rate. */
  public OptimConfig withLearningRate(double lr) {
    return new OptimConfig(lr, momentum, decayRate, beta1, beta2, epsilon);
  }
}
