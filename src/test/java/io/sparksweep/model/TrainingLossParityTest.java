package io.sparksweep.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.optim.OptimConfig;
import io.sparksweep.optim.Optimizer;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model's {@link Classifier#trainingLoss} (its reused buffers) equals its allocating {@link
 * Classifier#loss} step after step: two identically seeded copies, one trained through each, with
 * Adam applied to both, agree on every loss, every gradient and every running statistic to a
 * normwise relative error of 1e-12 (float64) / 1e-5 (float32), for the fully connected net without
 * and with batchnorm or layernorm, with and without dropout, and for the convnet. Between steps,
 * {@link Classifier#evalScores} (the evaluation buffers) equals the allocating {@link
 * Classifier#scores}.
 */
class TrainingLossParityTest {
  private static final int STEPS = 4;

  static Stream<Arguments> fcConfigs() {
    List<Arguments> cases = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (Normalization norm : Normalization.values()) {
        for (double keep : new double[] {1.0, 0.75}) {
          cases.add(Arguments.of(dtype, norm, keep));
        }
      }
    }
    return cases.stream();
  }

  private static void assertClose(Tensor expected, Tensor actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    double scale = expected.maxAbs();
    double err = 0;
    for (int i = 0; i < expected.size(); i++) {
      err = Math.max(err, Math.abs(expected.getFlat(i) - actual.getFlat(i)));
    }
    double tol = expected.dtype() == DType.FLOAT64 ? 1e-12 : 1e-5;
    assertTrue(scale == 0 ? err == 0 : err / scale <= tol, what + ": relative difference " + err);
  }

  private static void trainSideBySide(
      Classifier reference, Classifier fast, int[] xShape, int classes) {
    Optimizer optRef = new Optimizer(UpdateRule.ADAM, OptimConfig.defaults(UpdateRule.ADAM));
    Optimizer optFast = new Optimizer(UpdateRule.ADAM, OptimConfig.defaults(UpdateRule.ADAM));
    SplittableRandom data = new SplittableRandom(5);
    boolean someGradient = false;
    for (int step = 0; step < STEPS; step++) {
      Tensor x = Tensor.randn(reference.dtype(), data, 1, xShape);
      int[] y = new int[xShape[0]];
      for (int i = 0; i < y.length; i++) {
        y[i] = data.nextInt(classes);
      }
      Loss lr = reference.loss(x, y);
      Loss lf = fast.trainingLoss(x, y);
      String at = "step " + step + ": ";
      double tol = reference.dtype() == DType.FLOAT64 ? 1e-12 : 1e-5;
      assertEquals(lr.value(), lf.value(), tol * Math.abs(lr.value()), at + "loss");
      assertEquals(lr.grads().names(), lf.grads().names(), at + "gradient names");
      for (String name : lr.grads().names()) {
        assertClose(lr.grads().get(name), lf.grads().get(name), at + "d" + name);
        someGradient |= lr.grads().get(name).maxAbs() > 0;
        optRef.update(name, reference.params().get(name), lr.grads().get(name));
        optFast.update(name, fast.params().get(name), lf.grads().get(name));
      }
      for (String name : reference.state().names()) {
        assertClose(reference.state().get(name), fast.state().get(name), at + name);
      }
      // Evaluation between steps, as the Solver's checks do: test-mode scores on the model's own
      // evaluation buffers equal the allocating scores, for a batch size that changes from step
      // to step, and leave the training buffers (the next step's comparison) alone.
      int[] evalShape = xShape.clone();
      evalShape[0] = step % 2 == 0 ? xShape[0] : xShape[0] + 3;
      Tensor xe = Tensor.randn(reference.dtype(), data, 1, evalShape);
      Tensor expected = reference.scores(xe);
      assertClose(expected, fast.evalScores(xe), at + "evalScores");
      assertClose(expected, fast.evalScores(xe), at + "evalScores again");
      assertTrue(expected.maxAbs() > 0, at + "zero scores prove nothing");
    }
    assertTrue(someGradient, "all gradients zero: the comparison proves nothing");
  }

  @ParameterizedTest
  @MethodSource("fcConfigs")
  void fullyConnectedNetTrainingLossEqualsTheAllocatingLoss(
      DType dtype, Normalization norm, double keep) {
    FullyConnectedNetConfig config =
        FullyConnectedNetConfig.builder()
            .inputDim(3 * 4 * 4)
            .hiddenDims(20, 15, 10)
            .numClasses(7)
            .normalization(norm)
            .dropoutKeepRatio(keep)
            .reg(1e-2)
            .weightScale(0.2)
            .dtype(dtype)
            .seed(3)
            .build();
    trainSideBySide(
        new FullyConnectedNet(config), new FullyConnectedNet(config), new int[] {9, 3, 4, 4}, 7);
  }

  @ParameterizedTest
  @MethodSource("dtypes")
  void convNetTrainingLossEqualsTheAllocatingLoss(DType dtype) {
    ThreeLayerConvNetConfig config =
        ThreeLayerConvNetConfig.defaults()
            .withInput(3, 8, 8)
            .withSizes(5, 3, 12)
            .withTraining(0.1, 1e-2, dtype, 4);
    trainSideBySide(
        new ThreeLayerConvNet(config),
        new ThreeLayerConvNet(config),
        new int[] {4, 3, 8, 8},
        config.numClasses());
  }

  static Stream<DType> dtypes() {
    return Stream.of(DType.values());
  }
}
