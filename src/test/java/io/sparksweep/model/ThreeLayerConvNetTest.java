package io.sparksweep.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.TensorExamples;
import io.sparksweep.gradcheck.GradientCheck;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.train.History;
import io.sparksweep.train.Solver;
import io.sparksweep.train.SolverConfig;
import io.sparksweep.train.SolverListener;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The notebooks' ThreeLayerConvNet cells: sanity loss, gradient check, overfitting small data. */
class ThreeLayerConvNetTest {

  private static int[] labels(int n, int classes, SplittableRandom rng) {
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = rng.nextInt(classes);
    }
    return y;
  }

  @Test
  void initialLossIsLnNumClassesAndRegRaisesIt() {
    // Notebook cell: N = 50, X = randn(N, 3, 32, 32), y random; loss ≈ log(10), higher with reg.
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(DType.FLOAT64, rng, 1.0, 50, 3, 32, 32);
    int[] y = labels(50, 10, rng);
    ThreeLayerConvNetConfig base = ThreeLayerConvNetConfig.defaults();
    ThreeLayerConvNet model = new ThreeLayerConvNet(base.withTraining(1e-3, 0.0, DType.FLOAT64, 1));
    double loss = model.loss(x, y).value();
    assertEquals(Math.log(10), loss, 0.02, "initial loss without reg");
    ThreeLayerConvNet regModel =
        new ThreeLayerConvNet(base.withTraining(1e-3, 0.5, DType.FLOAT64, 1));
    double regLoss = regModel.loss(x, y).value();
    assertTrue(regLoss > loss + 1e-3, "reg 0.5 loss " + regLoss + " vs " + loss);
  }

  @Test
  void gradientsMatchNumericGradients() {
    // Notebook cell: 2 inputs of (3, 16, 16), 3 filters of 3x3, hidden 7, float64, h = 1e-6.
    SplittableRandom rng = new SplittableRandom(473);
    Tensor x = Tensor.randn(DType.FLOAT64, rng, 1.0, 2, 3, 16, 16);
    int[] y = labels(2, 10, rng);
    ThreeLayerConvNetConfig cfg =
        ThreeLayerConvNetConfig.defaults()
            .withInput(3, 16, 16)
            .withSizes(3, 3, 7)
            .withTraining(1e-3, 0.0, DType.FLOAT64, 5);
    for (double reg : new double[] {0.0, 0.7}) {
      ThreeLayerConvNet model =
          new ThreeLayerConvNet(cfg.withTraining(1e-2, reg, DType.FLOAT64, 5));
      Params grads = model.loss(x, y).grads();
      for (String name : model.params().names()) {
        Tensor numeric =
            GradientCheck.numericalGradient(
                p -> model.loss(x, y).value(), model.params().get(name), 1e-6);
        double err = GradientCheck.relError(numeric, grads.get(name));
        // The notebook accepts up to ~1e-2 for correct implementations.
        assertTrue(err < 1e-2, name + " reg " + reg + " relative error " + err);
      }
    }
  }

  @Test
  void overfitsOneHundredExamples() {
    // Notebook cell 8.3 (smaller input to keep the test fast): 100 examples, 15 epochs, batch 50,
    // Adam 1e-3, weight scale 1e-2 ⇒ training accuracy near 0.9 or above.
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(DType.FLOAT32, rng, 1.0, 100, 3, 16, 16);
    int[] y = labels(100, 10, rng);
    TensorExamples train = new TensorExamples(x, y);
    ThreeLayerConvNet model =
        new ThreeLayerConvNet(
            ThreeLayerConvNetConfig.defaults()
                .withInput(3, 16, 16)
                .withSizes(16, 5, 100)
                .withTraining(1e-2, 0.0, DType.FLOAT32, 2));
    SolverConfig cfg =
        SolverConfig.defaults()
            .withEpochs(40)
            .withBatchSize(50)
            .withUpdateRule(UpdateRule.ADAM, 1e-3)
            .withSeed(1);
    History h = new Solver(model, train, train, cfg, SolverListener.silent()).train();
    assertTrue(h.bestValAcc() >= 0.9, "training accuracy " + h.bestValAcc());
  }

  @Test
  void badInputIsRefusedWithItsShape() {
    ThreeLayerConvNet model = new ThreeLayerConvNet(ThreeLayerConvNetConfig.defaults());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> model.scores(Tensor.zeros(DType.FLOAT32, 2, 3, 16, 16)));
    assertTrue(e.getMessage().contains("(2, 3, 16, 16)"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ThreeLayerConvNetConfig.defaults().withSizes(32, 4, 100));
    assertTrue(e.getMessage().contains("filterSize"), e.getMessage());
  }

  @Test
  void configSurvivesJson() {
    ThreeLayerConvNetConfig c =
        ThreeLayerConvNetConfig.defaults()
            .withSizes(8, 5, 50)
            .withTraining(2e-3, 0.25, DType.FLOAT64, 42);
    assertEquals(c, ThreeLayerConvNetConfig.fromJson(c.toJson()));
  }
}
