package io.sparksweep.optim;

import io.sparksweep.tensor.Tensor;

/**
 * What an update rule remembers about one parameter between steps: nothing for SGD, the velocity
 * for momentum, the squared-gradient cache for RMSProp, the two moments and the step count for
 * Adam. A value: {@link Optimizer#state()} hands out copies and {@link Optimizer#setState} copies
 * what it is given, so neither side can change the other's tensors later.
 */
public sealed interface UpdateState
    permits UpdateState.Sgd, UpdateState.Momentum, UpdateState.RmsProp, UpdateState.Adam {

  /** The rule this state belongs to. */
  UpdateRule rule();

  /** A deep copy. */
  UpdateState copy();

  /** The state a rule starts from before its first step on a parameter shaped like {@code w}. */
  static UpdateState initial(UpdateRule rule, Tensor w) {
    return switch (rule) {
      case SGD -> new Sgd();
      case SGD_MOMENTUM -> new Momentum(w.zerosLike());
      case RMSPROP -> new RmsProp(w.zerosLike());
      case ADAM -> new Adam(w.zerosLike(), w.zerosLike(), 0);
    };
  }

  /** Plain SGD keeps no state. */
  record Sgd() implements UpdateState {
    @Override
    public UpdateRule rule() {
      return UpdateRule.SGD;
    }

    @Override
    public Sgd copy() {
      return this;
    }
  }

  /**
   * SGD with momentum.
   *
   * @param velocity {@code v}, the parameter's shape
   */
  record Momentum(Tensor velocity) implements UpdateState {
    /** Requires the tensor. */
    public Momentum {
      requireNonNull("velocity", velocity);
    }

    @Override
    public UpdateRule rule() {
      return UpdateRule.SGD_MOMENTUM;
    }

    @Override
    public Momentum copy() {
      return new Momentum(velocity.copy());
    }
  }

  /**
   * RMSProp.
   *
   * @param cache the decayed mean of squared gradients, the parameter's shape
   */
  record RmsProp(Tensor cache) implements UpdateState {
    /** Requires the tensor. */
    public RmsProp {
      requireNonNull("cache", cache);
    }

    @Override
    public UpdateRule rule() {
      return UpdateRule.RMSPROP;
    }

    @Override
    public RmsProp copy() {
      return new RmsProp(cache.copy());
    }
  }

  /**
   * Adam (Kingma and Ba, 2015).
   *
   * @param m first moment, the parameter's shape
   * @param v second moment, same shape and dtype as {@code m}
   * @param t steps taken so far (≥ 0; the next step uses {@code t + 1} for bias correction)
   */
  record Adam(Tensor m, Tensor v, int t) implements UpdateState {
    /** Requires both tensors, alike, and {@code t ≥ 0}. */
    public Adam {
      requireNonNull("m", m);
      requireNonNull("v", v);
      if (!v.hasShape(m.shape()) || v.dtype() != m.dtype()) {
        throw new IllegalArgumentException(
            "adam state: v has shape "
                + v.shapeString()
                + " ("
                + v.dtype()
                + "), m has "
                + m.shapeString()
                + " ("
                + m.dtype()
                + ")");
      }
      if (t < 0) {
        throw new IllegalArgumentException("adam state: t must be ≥ 0, got " + t);
      }
    }

    @Override
    public UpdateRule rule() {
      return UpdateRule.ADAM;
    }

    @Override
    public Adam copy() {
      return new Adam(m.copy(), v.copy(), t);
    }
  }

  private static void requireNonNull(String name, Tensor t) {
    if (t == null) {
      throw new IllegalArgumentException("update state: " + name + " must not be null");
    }
  }
}
