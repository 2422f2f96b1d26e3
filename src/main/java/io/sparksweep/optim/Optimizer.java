package io.sparksweep.optim;

import io.sparksweep.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies an update rule to named parameters, keeping each parameter's own state (velocity, caches,
 * Adam's moments and step count) as the notebooks keep one {@code config} per parameter. A fresh
 * optimizer per training run (per-run isolation).
 *
 * <p>That state is public: {@link #state()} returns a copy of every parameter's {@link UpdateState}
 * and {@link #setState(String, UpdateState)} installs one, so a checkpointed training continues
 * with exactly the moments it had. The learning rate (after any decay) is part of {@link #config()}
 * and settable with {@link #setLearningRate(double)}.
 */
public final class Optimizer {
  private final UpdateRule rule;
  private OptimConfig config;
  private final Map<String, Slot> slots = new LinkedHashMap<>();

  /** Per-parameter state; tensors are allocated on first use, in the parameter's dtype. */
  private static final class Slot {
    Tensor first;
    Tensor second;
    int step;

    UpdateState toState(UpdateRule rule) {
      if (rule != UpdateRule.SGD && first == null) {
        throw new IllegalStateException("no state yet");
      }
      return switch (rule) {
        case SGD -> new UpdateState.Sgd();
        case SGD_MOMENTUM -> new UpdateState.Momentum(first.copy());
        case RMSPROP -> new UpdateState.RmsProp(first.copy());
        case ADAM -> new UpdateState.Adam(first.copy(), second.copy(), step);
      };
    }
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

  /** Sets the current learning rate (a checkpoint's position in the decay schedule). */
  public void setLearningRate(double learningRate) {
    config = config.withLearningRate(learningRate);
  }

  /**
   * A copy of every parameter's state, by name in the order the parameters were first updated (or
   * set); parameters not yet updated are absent (their state is {@link UpdateState#initial}), and
   * plain SGD, which keeps no state, has none.
   */
  public Map<String, UpdateState> state() {
    Map<String, UpdateState> out = new LinkedHashMap<>();
    if (rule != UpdateRule.SGD) {
      slots.forEach((name, s) -> out.put(name, s.toState(rule)));
    }
    return Collections.unmodifiableMap(out);
  }

  /**
   * Installs a copy of {@code state} as parameter {@code name}'s state: its next {@link #update}
   * continues from it.
   *
   * @throws IllegalArgumentException if the state belongs to another rule
   */
  public void setState(String name, UpdateState state) {
    if (state.rule() != rule) {
      throw new IllegalArgumentException(
          "state of parameter '"
              + name
              + "' is for update rule "
              + state.rule().id()
              + ", this optimizer runs "
              + rule.id());
    }
    Slot s = new Slot();
    UpdateState c = state.copy();
    if (c instanceof UpdateState.Momentum m) {
      s.first = m.velocity();
    } else if (c instanceof UpdateState.RmsProp r) {
      s.first = r.cache();
    } else if (c instanceof UpdateState.Adam a) {
      s.first = a.m();
      s.second = a.v();
      s.step = a.t();
    }
    slots.put(name, s);
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
    if (s.first != null && s.first.size() != w.size()) {
      throw new IllegalArgumentException(
          "state of "
              + name
              + " has shape "
              + s.first.shapeString()
              + ", parameter has "
              + w.shapeString());
    }
    switch (rule) {
      case SGD -> {
        w.axpyInPlace(-config.learningRate(), dw);
      }
      case SGD_MOMENTUM -> {
        if (s.first == null) {
          s.first = w.zerosLike();
        }
        UpdateKernels.momentum(w, dw, s.first, config.learningRate(), config.momentum());
      }
      case RMSPROP -> {
        if (s.first == null) {
          s.first = w.zerosLike();
        }
        UpdateKernels.rmsprop(
            w, dw, s.first, config.learningRate(), config.decayRate(), config.epsilon());
      }
      case ADAM -> {
        if (s.first == null) {
          s.first = w.zerosLike();
          s.second = w.zerosLike();
        }
        s.step++;
        UpdateKernels.adam(w, dw, s.first, s.second, s.step, config);
      }
    }
  }
}
