package io.sparksweep.bench;

import io.sparksweep.data.Examples;
import io.sparksweep.model.Classifier;
import io.sparksweep.optim.OptimConfig;
import io.sparksweep.optim.Optimizer;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.train.TrainingStep;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Measures training throughput the way {@code shared/bench/pytorch/torch_nets.py} does: a step is
 * the Solver's own {@link TrainingStep} (minibatch gather, forward, loss, backward, Adam step on
 * the model's reused buffers), fed from a per-epoch permutation as PyTorch's loader is; after
 * warm-up steps, {@code reps} timed runs of about {@code targetSeconds} each; the median rate is
 * the figure. Also reports bytes allocated per image by the measuring thread.
 */
public final class Throughput {
  private Throughput() {}

  /**
   * Result of a measurement.
   *
   * @param medianImagesPerSecond median over reps
   * @param minImagesPerSecond slowest rep
   * @param maxImagesPerSecond fastest rep
   * @param steps steps per timed rep
   * @param allocatedBytesPerImage heap bytes allocated per training image in the timed steps
   *     (steady state, after warm-up; -1 if unknown)
   */
  public record Result(
      double medianImagesPerSecond,
      double minImagesPerSecond,
      double maxImagesPerSecond,
      int steps,
      double allocatedBytesPerImage) {}

  /**
   * Measures {@code model}'s training rate on {@code train}.
   *
   * @param batchSize minibatch size
   * @param warmupSteps untimed steps first (JIT)
   * @param reps timed repetitions
   * @param targetSeconds approximate length of one repetition
   */
  public static Result measure(
      Classifier model,
      Examples train,
      int batchSize,
      int warmupSteps,
      int reps,
      double targetSeconds) {
    Optimizer opt = new Optimizer(UpdateRule.ADAM, OptimConfig.defaults(UpdateRule.ADAM));
    Stepper stepper = new Stepper(model, train, batchSize, opt);
    long t0 = System.nanoTime();
    for (int i = 0; i < warmupSteps; i++) {
      stepper.step();
    }
    double perStep = Math.max((System.nanoTime() - t0) / 1e9 / Math.max(warmupSteps, 1), 1e-6);
    int steps = Math.max(1, (int) Math.round(targetSeconds / perStep));
    double[] rates = new double[reps];
    long allocBefore = allocatedBytes();
    long images = 0;
    for (int r = 0; r < reps; r++) {
      long start = System.nanoTime();
      for (int s = 0; s < steps; s++) {
        stepper.step();
      }
      double secs = (System.nanoTime() - start) / 1e9;
      rates[r] = (double) steps * batchSize / secs;
      images += (long) steps * batchSize;
    }
    long allocAfter = allocatedBytes();
    Arrays.sort(rates);
    double perImage = allocBefore < 0 ? -1 : (double) (allocAfter - allocBefore) / images;
    return new Result(rates[reps / 2], rates[0], rates[reps - 1], steps, perImage);
  }

  /** Heap bytes allocated so far by the current thread, or -1 where the JVM cannot tell. */
  static long allocatedBytes() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    if (bean instanceof com.sun.management.ThreadMXBean sun) {
      return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
    }
    return -1;
  }

  /** The {@link TrainingStep} fed from a per-epoch permutation, as torch_nets.py samples. */
  private static final class Stepper {
    private final TrainingStep step;
    private final int[] perm;
    private final SplittableRandom rng = new SplittableRandom(0);
    private int position;

    Stepper(Classifier model, Examples train, int batchSize, Optimizer opt) {
      this.step = new TrainingStep(model, train, batchSize, opt);
      this.perm = new int[train.size()];
      shuffle();
    }

    private void shuffle() {
      for (int i = 0; i < perm.length; i++) {
        perm[i] = i;
      }
      for (int i = perm.length - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      position = 0;
    }

    void step() {
      int batchSize = step.batchSize();
      if (position + batchSize > perm.length) {
        shuffle();
      }
      System.arraycopy(perm, position, step.indices(), 0, batchSize);
      position += batchSize;
      step.run();
    }
  }
}
