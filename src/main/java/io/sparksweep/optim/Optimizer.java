package io.sparksweep.optim;

import io.sparksweep.tensor.Tensor;
import java.util.HashMap;
import java.util.Map;

/**
 * Applies an update rule to named parameters, keeping each parameter's own state (velocity, caches,
 * Adam's moments and step count) as the notebooks keep one {@code config} per parameter. A fresh
 * optimizer per training run (per-run isolation).
 */
public final class Optimizer {
  private final UpdateRule rule;
  private OptimConfig config;
  private final Map<String, Slot> slots = new HashMap<>();

  /** Per-parameter state; tensors are allocated on first use, in the parameter's dtype. */
  private static final class Slot {
    Tensor first;
    Tensor second;
    int step;
  }

  /**
   * @param rule the update rule
   * @param config its hyperparameters
   */
  public Optimizer(UpdateRule rule, OptimConfig config) {
    this.rule = rule;
    this.config = config;
  }

  /** The rule. */
  public UpdateRule rule() {
    return rule;
  }

  /** The current configuration (the learning rate decays over epochs). */
  public OptimConfig config() {
    return config;
  }

  /** Multiplies the learning rate by {@code factor} (the Solver's per-epoch {@code lr_decay}). */
  public void decayLearningRate(double factor) {
    config = config.withLearningRate(config.learningRate() * factor);
  }

  /** Sets a parameter's state (for tests that start from the notebooks' non-zero state). */
  void setState(String name, Tensor first, Tensor second, int step) {
    Slot s = slots.computeIfAbsent(name, k -> new Slot());
    s.first = first;
    s.second = second;
    s.step = step;
  }

  /**
   * Updates parameter {@code w} in place given its gradient {@code dw}.
   *
   * @param name the parameter's name (its state is kept under it)
   * @param w parameter, any shape
   * @param dw gradient, same shape and dtype
   */
  public void update(String name, Tensor w, Tensor dw) {
    if (w.size() != dw.size() || w.dtype() != dw.dtype()) {
      throw new IllegalArgumentException(
          "gradient of "
              + name
              + " has shape "
              + dw.shapeString()
              + " ("
              + dw.dtype()
              + "), parameter has "
              + w.shapeString()
              + " ("
              + w.dtype()
              + ")");
    }
    Slot s = slots.computeIfAbsent(name, k -> new Slot());
    switch (rule) {
      case SGD:
        w.axpyInPlace(-config.learningRate(), dw);
        break;
      case SGD_MOMENTUM:
        if (s.first == null) {
          s.first = w.zerosLike();
        }
        UpdateKernels.momentum(w, dw, s.first, config.learningRate(), config.momentum());
        break;
      case RMSPROP:
        if (s.first == null) {
          s.first = w.zerosLike();
        }
        UpdateKernels.rmsprop(
            w, dw, s.first, config.learningRate(), config.decayRate(), config.epsilon());
        break;
      case ADAM:
        if (s.first == null) {
          s.first = w.zerosLike();
          s.second = w.zerosLike();
        }
        s.step++;
        UpdateKernels.adam(w, dw, s.first, s.second, s.step, config);
        break;
    }
  }
}
