package io.sparksweep.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.ByteImageExamples;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.FullyConnectedNet;
import io.sparksweep.model.FullyConnectedNetConfig;
import io.sparksweep.model.Normalization;
import io.sparksweep.model.ThreeLayerConvNet;
import io.sparksweep.model.ThreeLayerConvNetConfig;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.tensor.DType;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A steady-state training step of the Solver allocates at most 1 KB per image, for the three
 * benchmark workloads at their benchmark sizes (fc: 3072 → [100]×5 → 10, batch 100; fcbn: the same
 * with batchnorm and dropout 0.75; conv: the notebooks' convnet, batch 50). Counted in bytes with
 * the thread's allocated-bytes counter ({@code com.sun.management.ThreadMXBean}) between two
 * iterations of one epoch (no accuracy check in between), after warm-up iterations have sized every
 * buffer, in the quietest window of 5 iterations (see WINDOW); never timed. The allocating path the
 * Solver used before allocated 34 / 49 / 337 KB per image.
 */
class TrainingStepAllocationTest {
  private static final long BOUND_PER_IMAGE = 1024;
  // Allocation is counted over windows of WINDOW iterations, from iteration 4 (three warm-up steps
  // have sized every buffer) to the epoch's end (ITERATIONS per epoch; no accuracy check in
  // between), and the quietest window is the steady state: the Vector API kernels allocate their
  // vectors until C2 has compiled them, which takes a few steps (compilation runs in the
  // background; fcbn's dropout mask kernel allocated about 40 KB per image until iteration 36,
  // and until iteration 44 in the JVM that also compiles VectorSgemm, measured 2026-12-04). A step
  // that allocates every time fails in every window.
  private static final int ITERATIONS = 120;
  private static final int FIRST = 4;
  private static final int WINDOW = 5;
  private static final int CHECK_EPOCHS = 24;

  private static long allocatedBytes() {
    java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(
        bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
    return ((com.sun.management.ThreadMXBean) bean)
        .getThreadAllocatedBytes(Thread.currentThread().getId());
  }

  private static ByteImageExamples images(int n, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    byte[] pixels = new byte[n * 3 * 32 * 32];
    byte[] labels = new byte[n];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) rng.nextInt(256);
    }
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) rng.nextInt(10);
    }
    double[] mean = new double[3 * 32 * 32];
    java.util.Arrays.fill(mean, 127.5);
    return new ByteImageExamples(pixels, labels, 0, n, mean, 3, 32, 32);
  }

  private static FullyConnectedNetConfig.Builder fc() {
    return FullyConnectedNetConfig.builder()
        .hiddenDims(100, 100, 100, 100, 100)
        .reg(1e-3)
        .dtype(DType.FLOAT32)
        .seed(1);
  }

  /** Adam at 1e-3 for {@code epochs} epochs of {@code batch} images. */
  private static SolverConfig adam(int epochs, int batch, long seed) {
    return SolverConfig.defaults()
        .withEpochs(epochs)
        .withBatchSize(batch)
        .withUpdateRule(UpdateRule.ADAM, 1e-3)
        .withSeed(seed);
  }

  /** The benchmark workloads: fc, fcbn (batchnorm and dropout 0.75) and the convnet, float32. */
  private static Classifier model(String workload) {
    return switch (workload) {
      case "fc" -> new FullyConnectedNet(fc().build());
      case "fcbn" ->
          new FullyConnectedNet(
              fc().normalization(Normalization.BATCHNORM).dropoutKeepRatio(0.75).build());
      default ->
          new ThreeLayerConvNet(
              ThreeLayerConvNetConfig.defaults().withTraining(1e-3, 1e-3, DType.FLOAT32, 1));
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"fc", "fcbn", "conv"})
  void aSteadyStateSolverStepAllocatesAtMostOneKilobytePerImage(String workload) {
    Classifier model = model(workload);
    int batch = workload.equals("conv") ? 50 : 100;
    ByteImageExamples train = images(ITERATIONS * batch, 2);
    ByteImageExamples val = images(20, 3);
    SolverConfig config = adam(1, batch, 4);
    List<Long> marks = new ArrayList<>();
    SolverListener counter =
        new SolverListener() {
          @Override
          public void iteration(int t, int total, double loss) {
            if (t >= FIRST && t <= ITERATIONS) {
              marks.add(allocatedBytes());
            }
          }
        };
    new Solver(model, train, val, config, counter).train();
    assertTrue(
        marks.size() == ITERATIONS - FIRST + 1,
        "the listener saw iterations " + FIRST + "–" + ITERATIONS + ": " + marks.size());
    double perImage = Double.MAX_VALUE;
    for (int i = 0; i + WINDOW < marks.size(); i++) {
      perImage =
          Math.min(perImage, (double) (marks.get(i + WINDOW) - marks.get(i)) / (WINDOW * batch));
    }
    assertTrue(
        perImage <= BOUND_PER_IMAGE,
        workload
            + ": a training step allocated at least "
            + Math.round(perImage)
            + " bytes per image in every window of "
            + WINDOW
            + " iterations");
  }

  /**
   * The accuracy checks at an epoch's end (1000 sampled training images and the validation set)
   * allocate at most 1 KB per checked image once warm: the minibatch buffers and the models'
   * evaluation activations are reused from epoch to epoch. Counted between the epoch's last
   * iteration and its {@code epoch} callback, the smallest over epochs 2–{@value #CHECK_EPOCHS}: as
   * in the step test, the Vector API kernels allocate until C2 has compiled them (in a fresh JVM on
   * VectorSgemm, with the machine busy, fc's first four epochs allocated 148, 144, 70 and 42 MB).
   * Before, each check allocated a fresh 1.2 MB batch of 100 images and every activation (fc: ≈ 6
   * KB per image) in every epoch.
   */
  @ParameterizedTest
  @ValueSource(strings = {"fc", "fcbn", "conv"})
  void anEpochsAccuracyChecksAllocateAtMostOneKilobytePerImage(String workload) {
    Classifier model = model(workload);
    int batch = 50;
    int numVal = 300;
    ByteImageExamples train = images(4 * batch, 5);
    ByteImageExamples val = images(numVal, 6);
    SolverConfig config = adam(CHECK_EPOCHS, batch, 7);
    int itersPerEpoch = 4;
    long[] lastIteration = new long[1];
    List<Long> perEpoch = new ArrayList<>();
    SolverListener counter =
        new SolverListener() {
          @Override
          public void iteration(int t, int total, double loss) {
            if (t % itersPerEpoch == 0) {
              lastIteration[0] = allocatedBytes();
            }
          }

          @Override
          public void epoch(int epoch, int total, double trainAcc, double valAcc) {
            if (epoch >= 1) {
              perEpoch.add(allocatedBytes() - lastIteration[0]);
            }
          }
        };
    new Solver(model, train, val, config, counter).train();
    assertTrue(perEpoch.size() == CHECK_EPOCHS, "epochs seen: " + perEpoch);
    int checked = config.numTrainSamples() + numVal;
    long least =
        perEpoch.subList(1, CHECK_EPOCHS).stream().mapToLong(Long::longValue).min().orElseThrow();
    assertTrue(
        least <= (long) BOUND_PER_IMAGE * checked,
        workload
            + ": an epoch's accuracy checks of "
            + checked
            + " images allocated "
            + perEpoch
            + " bytes (bound "
            + BOUND_PER_IMAGE
            + " per image)");
  }
}
