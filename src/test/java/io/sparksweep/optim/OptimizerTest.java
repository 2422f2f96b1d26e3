package io.sparksweep.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The notebooks' update-rule checks (N, D = 5, 4; w, dw, v linspace). Expected values were computed
 * independently with numpy from the formulas of optim.py:
 *
 * <pre>
 * w = np.linspace(-0.4, 0.6, 20).reshape(5, 4); dw = np.linspace(-0.6, 0.4, 20).reshape(5, 4)
 * v = np.linspace(0.6, 0.9, 20).reshape(5, 4)
 * momentum: w + (0.9 * v - 1e-3 * dw)
 * rmsprop:  c = 0.99 * v + 0.01 * dw**2; w - 1e-2 * dw / (np.sqrt(c) + 1e-8)
 * adam (t=5 before the step, m = linspace(0.6, 0.9), v = linspace(0.7, 0.5), lr 1e-2)
 * </pre>
 */
class OptimizerTest {
  private static final double[] MOMENTUM = {
    0.14060000000000006, 0.2073894736842105, 0.27417894736842097, 0.34096842105263164,
    0.407757894736842, 0.47454736842105266, 0.5413368421052631, 0.6081263157894736,
    0.6749157894736842, 0.7417052631578946, 0.8084947368421053, 0.8752842105263158,
    0.9420736842105263, 1.0088631578947367, 1.0756526315789472, 1.142442105263158,
    1.2092315789473682, 1.276021052631579, 1.3428105263157895, 1.4096000000000002
  };
  private static final double[] RMSPROP = {
    -0.3922384948433383, -0.34037513299070765, -0.28849238846687814, -0.23659120821081786,
    -0.18467247195258382, -0.13273699834703015, -0.08078555043091254, -0.02881884049026984,
    0.02316246558769465, 0.07515774441461458, 0.12716641159814304, 0.17918791858913796,
    0.2312217498380417, 0.28326742022505713, 0.33532447273333105, 0.3873924763382963,
    0.43947102408970146, 0.4915597313657581, 0.5436582342813369, 0.5957661882343064
  };
  private static final double[] ADAM = {
    -0.40094747166840083, -0.3483618689667189, -0.2957770321333014, -0.24319298836973444,
    -0.19060976631902593, -0.13802739616704435, -0.08544590975289204, -0.03286534068916352,
    0.01971427550684333, 0.07229290126975907, 0.12487049682925762, 0.17744702003811577,
    0.2300224261834716, 0.2825966677792994, 0.33516969433784094, 0.3877414521174136,
    0.4403118838436444, 0.49288092840074144, 0.5454485204889067, 0.5980145902433942
  };

  private static Tensor lin(double a, double b) {
    return Tensor.linspace(DType.FLOAT64, a, b, 5, 4);
  }

  @Test
  void sgdMomentumMatchesNotebookFormula() {
    Optimizer opt =
        new Optimizer(
            UpdateRule.SGD_MOMENTUM,
            OptimConfig.defaults(UpdateRule.SGD_MOMENTUM).withLearningRate(1e-3));
    Tensor w = lin(-0.4, 0.6);
    opt.setState("w", new UpdateState.Momentum(lin(0.6, 0.9)));
    opt.update("w", w, lin(-0.6, 0.4));
    assertArrayEquals(MOMENTUM, w.toDoubleArray(), 1e-12);
  }

  @Test
  void rmspropMatchesNotebookFormula() {
    Optimizer opt = new Optimizer(UpdateRule.RMSPROP, OptimConfig.defaults(UpdateRule.RMSPROP));
    Tensor w = lin(-0.4, 0.6);
    opt.setState("w", new UpdateState.RmsProp(lin(0.6, 0.9)));
    opt.update("w", w, lin(-0.6, 0.4));
    assertArrayEquals(RMSPROP, w.toDoubleArray(), 1e-12);
  }

  @Test
  void adamMatchesNotebookFormula() {
    Optimizer opt =
        new Optimizer(
            UpdateRule.ADAM, OptimConfig.defaults(UpdateRule.ADAM).withLearningRate(1e-2));
    Tensor w = lin(-0.4, 0.6);
    opt.setState("w", new UpdateState.Adam(lin(0.6, 0.9), lin(0.7, 0.5), 5));
    opt.update("w", w, lin(-0.6, 0.4));
    assertArrayEquals(ADAM, w.toDoubleArray(), 1e-12);
  }

  @Test
  void float32UpdatesMatchFloat64() {
    for (UpdateRule rule : UpdateRule.values()) {
      Optimizer o64 = new Optimizer(rule, OptimConfig.defaults(rule));
      Optimizer o32 = new Optimizer(rule, OptimConfig.defaults(rule));
      Tensor w64 = lin(-0.4, 0.6);
      Tensor w32 = w64.to(DType.FLOAT32);
      for (int step = 0; step < 3; step++) {
        Tensor g = lin(-0.6 + step, 0.4);
        o64.update("w", w64, g);
        o32.update("w", w32, g.to(DType.FLOAT32));
      }
      assertArrayEquals(w64.toDoubleArray(), w32.toDoubleArray(), 1e-5, rule.id());
    }
  }

  @Test
  void plainSgdStepsAgainstTheGradient() {
    Optimizer opt = new Optimizer(UpdateRule.SGD, OptimConfig.defaults(UpdateRule.SGD));
    Tensor w = lin(-0.4, 0.6);
    Tensor before = w.copy();
    Tensor dw = lin(-0.6, 0.4);
    opt.update("w", w, dw);
    assertArrayEquals(before.sub(dw.scale(1e-2)).toDoubleArray(), w.toDoubleArray(), 1e-15);
  }

  @Test
  void defaultsAreTheNotebooks() {
    assertEquals(1e-2, OptimConfig.defaults(UpdateRule.SGD).learningRate());
    assertEquals(1e-3, OptimConfig.defaults(UpdateRule.ADAM).learningRate());
    OptimConfig c = OptimConfig.defaults(UpdateRule.RMSPROP);
    assertEquals(0.99, c.decayRate());
    assertEquals(1e-8, c.epsilon());
    assertEquals(0.9, c.momentum());
    assertEquals(0.999, c.beta2());
  }

  @Test
  void learningRateDecays() {
    Optimizer opt = new Optimizer(UpdateRule.ADAM, OptimConfig.defaults(UpdateRule.ADAM));
    opt.decayLearningRate(0.5);
    assertEquals(5e-4, opt.config().learningRate(), 1e-18);
  }

  @Test
  void badConfigAndShapesAreRefusedWithTheirNames() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> OptimConfig.defaults(UpdateRule.SGD).withLearningRate(-1));
    assertTrue(e.getMessage().contains("learningRate"));
    Optimizer opt = new Optimizer(UpdateRule.SGD, OptimConfig.defaults(UpdateRule.SGD));
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> opt.update("W1", lin(0, 1), Tensor.zeros(DType.FLOAT64, 3)));
    assertTrue(e.getMessage().contains("W1") && e.getMessage().contains("(3,)"));
    e = assertThrows(IllegalArgumentException.class, () -> UpdateRule.parse("adamw"));
    assertTrue(e.getMessage().contains("sgd_momentum"));
  }

  @Test
  void stateIsReadableAndContinuesExactlyInAFreshOptimizer() {
    for (UpdateRule rule : UpdateRule.values()) {
      Optimizer straight = new Optimizer(rule, OptimConfig.defaults(rule));
      Optimizer first = new Optimizer(rule, OptimConfig.defaults(rule));
      Tensor w1 = lin(-0.4, 0.6).to(DType.FLOAT32);
      Tensor w2 = w1.copy();
      for (int step = 0; step < 3; step++) {
        Tensor g = lin(-0.6 + 0.3 * step, 0.4).to(DType.FLOAT32);
        straight.update("w", w1, g);
        first.update("w", w2, g);
      }
      straight.decayLearningRate(0.7);
      first.decayLearningRate(0.7);
      Map<String, UpdateState> saved = first.state();
      assertEquals(
          rule == UpdateRule.SGD ? List.of() : List.of("w"),
          List.copyOf(saved.keySet()),
          rule.id());
      Optimizer second = new Optimizer(rule, OptimConfig.defaults(rule));
      second.setLearningRate(first.config().learningRate());
      saved.forEach(second::setState);
      // Later steps of the first optimizer must not leak into the saved copy.
      first.update("w", w2.copy(), lin(1, 2).to(DType.FLOAT32));
      for (int step = 3; step < 6; step++) {
        Tensor g = lin(-0.6 + 0.3 * step, 0.4).to(DType.FLOAT32);
        straight.update("w", w1, g);
        second.update("w", w2, g);
      }
      assertArrayEquals(w1.f32(), w2.f32(), rule.id());
    }
  }

  @Test
  void adamStateHoldsBothMomentsAndTheStepCount() {
    Optimizer opt = new Optimizer(UpdateRule.ADAM, OptimConfig.defaults(UpdateRule.ADAM));
    Tensor w = lin(-0.4, 0.6);
    Tensor dw = lin(-0.6, 0.4);
    opt.update("w", w, dw);
    opt.update("w", w, dw);
    UpdateState.Adam a = (UpdateState.Adam) opt.state().get("w");
    assertEquals(2, a.t());
    // m after two steps of the same gradient: (1 − β1²)·dw; v: (1 − β2²)·dw².
    assertArrayEquals(dw.scale(1 - 0.81).toDoubleArray(), a.m().toDoubleArray(), 1e-15);
    assertArrayEquals(
        dw.square().scale(1 - 0.999 * 0.999).toDoubleArray(), a.v().toDoubleArray(), 1e-15);
  }

  @Test
  void stateOfAnotherRuleOrShapeIsRefused() {
    Optimizer opt = new Optimizer(UpdateRule.ADAM, OptimConfig.defaults(UpdateRule.ADAM));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> opt.setState("W1", new UpdateState.Momentum(lin(0, 1))));
    assertTrue(e.getMessage().contains("sgd_momentum") && e.getMessage().contains("W1"));
    opt.setState("W1", UpdateState.initial(UpdateRule.ADAM, Tensor.zeros(DType.FLOAT64, 3)));
    assertThrows(IllegalArgumentException.class, () -> opt.update("W1", lin(0, 1), lin(0, 1)));
    assertThrows(
        IllegalArgumentException.class,
        () -> new UpdateState.Adam(lin(0, 1), Tensor.zeros(DType.FLOAT64, 3), 0));
  }
}
