package io.sparksweep.search;

import io.sparksweep.data.ByteImageExamples;
import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Split;
import io.sparksweep.data.Examples;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.FullyConnectedNet;
import io.sparksweep.model.FullyConnectedNetConfig;
import io.sparksweep.model.ModelFiles;
import io.sparksweep.model.ThreeLayerConvNet;
import io.sparksweep.model.ThreeLayerConvNetConfig;
import io.sparksweep.optim.OptimConfig;
import io.sparksweep.search.schedule.Segment;
import io.sparksweep.tensor.DType;
import io.sparksweep.train.Checkpoint;
import io.sparksweep.train.History;
import io.sparksweep.train.Solver;
import io.sparksweep.train.SolverConfig;
import io.sparksweep.train.SolverListener;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Trains the network of one {@link TrialSpec} on CIFAR-10 and reports a {@link TrialResult}. It
 * never throws for a bad configuration: a NaN/infinite loss is {@link TrialStatus#DIVERGED} (with
 * its epoch), any exception is {@link TrialStatus#FAILED} (with its message).
 *
 * <p>Data follow the notebooks' {@code get_CIFAR10_data}: the mean image of the first 49,000
 * training images is subtracted, the trial trains on the first {@code numTrain} of them, validates
 * on the next 1,000 and tests on the first 1,000 test images. Smaller data sets (synthetic ones in
 * tests) keep a fifth of the training images, at most 1,000, for validation.
 */
public final class TrialRunner {
  /** Validation images of the notebooks' split. */
  public static final int NUM_VAL = 1000;

  /** Test images of the notebooks' split. */
  public static final int NUM_TEST = 1000;

  private static final Object LOCK = new Object();
  private static Cifar10Data cachedData;
  private static Cifar10Split cachedSplit;

  private TrialRunner() {}

  /**
   * The notebooks' split of {@code data}, computed once per data set per JVM (one executor computes
   * the mean image once for all its tasks).
   */
  public static Cifar10Split split(Cifar10Data data) {
    synchronized (LOCK) {
      if (cachedData != data) {
        int numVal = Math.min(NUM_VAL, data.numTrain() / 5);
        int numTrain = Math.min(Cifar10Split.NOTEBOOK_TRAIN, data.numTrain() - numVal);
        cachedSplit = Cifar10Split.of(data, numTrain, numVal, Math.min(NUM_TEST, data.numTest()));
        cachedData = data;
      }
      return cachedSplit;
    }
  }

  /** The data's split, after checking that it has the {@code num_train} images the trial asks. */
  private static Cifar10Split checkedSplit(TrialSpec spec, Cifar10Data data) {
    Cifar10Split split = split(data);
    if (spec.numTrain() > split.train().size()) {
      throw new IllegalArgumentException(
          "num_train "
              + spec.numTrain()
              + " exceeds the "
              + split.train().size()
              + " training images available");
    }
    return split;
  }

  /** Largest {@code num_train} a trial may ask of {@code data}. */
  public static int maxNumTrain(Cifar10Data data) {
    return split(data).train().size();
  }

  /** Runs one trial; see the class comment. */
  public static TrialResult run(
      TrialSpec spec, Cifar10Data data, String executor, SolverListener listener) {
    long started = System.currentTimeMillis();
    long t0 = System.nanoTime();
    try {
      Cifar10Split split = checkedSplit(spec, data);
      Examples train = firstImages(split, spec.numTrain());
      Classifier model = buildModel(spec, DType.FLOAT32);
      History h = new Solver(model, train, split.val(), solverConfig(spec), listener).train();
      return trained(
          spec, split, model, h, executor, started, () -> (System.nanoTime() - t0) / 1e9);
    } catch (RuntimeException e) {
      return failed(spec, e, executor, started, (System.nanoTime() - t0) / 1e9);
    }
  }

  /**
   * The result of a training that ended with {@code model} holding its best parameters: validation
   * and test accuracy, the learning curve of {@code h}, the model file's bytes when OK.
   */
  private static TrialResult trained(
      TrialSpec spec,
      Cifar10Split split,
      Classifier model,
      History h,
      String executor,
      long started,
      java.util.function.DoubleSupplier seconds) {
    double valAcc = Solver.accuracy(model, split.val());
    double testAcc = split.test().size() == 0 ? Double.NaN : Solver.accuracy(model, split.test());
    List<EpochRecord> epochs = new ArrayList<>();
    int checks = h.trainAccHistory().size();
    for (int e = 1; e <= h.epochsRun(); e++) {
      int c = h.checkIndex(e);
      epochs.add(
          new EpochRecord(
              e, h.epochLoss().get(e - 1), h.trainAccHistory().get(c), h.valAccHistory().get(c)));
    }
    double finalTrain = checks == 0 ? 0 : h.trainAccHistory().get(checks - 1);
    TrialStatus status = h.diverged() ? TrialStatus.DIVERGED : TrialStatus.OK;
    String error =
        h.diverged()
            ? "loss became "
                + h.lossHistory().get(h.lossHistory().size() - 1)
                + " at iteration "
                + h.divergedAt()
                + " (epoch "
                + h.divergedEpoch()
                + ")"
            : null;
    return new TrialResult(
        spec,
        status,
        error,
        h.divergedEpoch(),
        h.bestValAcc(),
        valAcc,
        testAcc,
        finalTrain,
        h.epochsRun(),
        seconds.getAsDouble(),
        executor,
        started,
        System.currentTimeMillis(),
        epochs,
        status == TrialStatus.OK
            ? ModelFiles.toBytes(
                model,
                TrialModelRecord.of(
                    spec,
                    split.meanImage(),
                    h.bestValAcc(),
                    valAcc,
                    testAcc,
                    finalTrain,
                    h.epochsRun()))
            : null);
  }

  /**
   * The whole result of an adaptive trial that trained its full budget in segments, from its last
   * checkpoint: the model restored to the checkpoint's best parameters ({@link Solver#finish}), its
   * validation and test accuracy, the learning curve of every epoch, and the model file's bytes, as
   * {@link #run} returns for a trial trained straight through (bit for bit the same, since the
   * checkpoint is). Never throws: an error is a FAILED result.
   *
   * @param spec the trial
   * @param data the data set
   * @param last its checkpoint at {@code numEpochs}
   * @param executor where it runs
   * @param startedMillis when its first segment started
   * @param seconds the time its segments took
   */
  public static TrialResult completed(
      TrialSpec spec,
      Cifar10Data data,
      Checkpoint last,
      String executor,
      long startedMillis,
      double seconds) {
    try {
      Cifar10Split split = checkedSplit(spec, data);
      Classifier model = buildModel(spec, DType.FLOAT32);
      Solver solver = silentSolver(spec, split, model);
      History h = solver.finish(last);
      return trained(spec, split, model, h, executor, startedMillis, () -> seconds);
    } catch (RuntimeException e) {
      return failed(spec, e, executor, startedMillis, seconds);
    }
  }

  /** The Solver of an adaptive trial's segment: the trial's training images, no listener. */
  private static Solver silentSolver(TrialSpec spec, Cifar10Split split, Classifier model) {
    return new Solver(
        model,
        firstImages(split, spec.numTrain()),
        split.val(),
        solverConfig(spec),
        SolverListener.silent());
  }

  /**
   * Runs one segment of an adaptive trial ({@link SegmentTask}): builds the trial's model and
   * Solver as {@link #run} does, continues from the checkpoint {@code store} holds at {@code
   * fromEpoch} (from scratch at 0), trains to the end of {@code toEpoch}, saves the checkpoint
   * there and returns the segment's metrics. A trial trained in segments has the same history, bit
   * for bit, as one trained straight through ({@link Solver#runUntil}). Never throws: a diverged
   * trial is DIVERGED (its checkpoint is saved too, so a promoted diverged trial stays diverged),
   * an error (a missing checkpoint, bad configuration, I/O) is FAILED.
   *
   * @param task the trial and segment
   * @param data the data set
   * @param store where checkpoints are read and written
   * @param executor where it runs (recorded)
   */
  public static SegmentResult runSegment(
      SegmentTask task, Cifar10Data data, CheckpointStore store, String executor) {
    long t0 = System.nanoTime();
    TrialSpec spec = task.trial();
    Segment seg = task.segment();
    try {
      Cifar10Split split = checkedSplit(spec, data);
      Classifier model = buildModel(spec, DType.FLOAT32);
      Solver solver = silentSolver(spec, split, model);
      Checkpoint from = seg.fromEpoch() == 0 ? solver.start() : store.load(spec, seg.fromEpoch());
      if (from.epoch() != seg.fromEpoch() && !from.diverged()) {
        throw new IllegalStateException(
            "the checkpoint for epoch " + seg.fromEpoch() + " is at epoch " + from.epoch());
      }
      Checkpoint to = solver.runUntil(from, from.diverged() ? from.epoch() : seg.toEpoch());
      store.save(spec, seg.toEpoch(), to);
      History h = to.history();
      List<EpochRecord> epochs = new ArrayList<>();
      for (int e = seg.fromEpoch() + 1; e <= h.epochsRun(); e++) {
        int c = h.checkIndex(e);
        epochs.add(
            new EpochRecord(
                e, h.epochLoss().get(e - 1), h.trainAccHistory().get(c), h.valAccHistory().get(c)));
      }
      boolean diverged = to.diverged();
      return new SegmentResult(
          seg,
          diverged ? TrialStatus.DIVERGED : TrialStatus.OK,
          diverged ? Double.NaN : h.valAccHistory().get(h.checkIndex(seg.toEpoch())),
          to.bestValAcc() < 0 ? Double.NaN : to.bestValAcc(),
          h.epochsRun(),
          epochs,
          diverged
              ? "loss became non-finite at iteration "
                  + h.divergedAt()
                  + " (epoch "
                  + h.divergedEpoch()
                  + ")"
              : null,
          (System.nanoTime() - t0) / 1e9,
          executor,
          System.currentTimeMillis());
    } catch (IOException | RuntimeException e) {
      return SegmentResult.failed(
          seg,
          e.getClass().getSimpleName() + ": " + e.getMessage(),
          (System.nanoTime() - t0) / 1e9,
          executor);
    }
  }

  /** A FAILED result for {@code spec} carrying {@code error}'s class and message. */
  private static TrialResult failed(
      TrialSpec spec, Throwable error, String executor, long startedMillis, double seconds) {
    String message = error.getClass().getSimpleName() + ": " + error.getMessage();
    return TrialResult.failed(
        spec, message, executor, startedMillis, System.currentTimeMillis(), seconds);
  }

  private static Examples firstImages(Cifar10Split split, int n) {
    ByteImageExamples all = split.train();
    if (n == all.size()) {
      return all;
    }
    return all.head(n);
  }

  /** The network a spec describes, freshly initialised from the spec's seed. */
  public static Classifier buildModel(TrialSpec spec, DType dtype) {
    return switch (spec.model()) {
      case FC ->
          new FullyConnectedNet(
              FullyConnectedNetConfig.builder()
                  .hiddenDims(spec.hiddenDims())
                  .dropoutKeepRatio(spec.dropoutKeepRatio())
                  .normalization(spec.normalization())
                  .reg(spec.reg())
                  .weightScale(spec.weightScale())
                  .dtype(dtype)
                  .seed(spec.seed())
                  .build());
      case CNN ->
          new ThreeLayerConvNet(
              ThreeLayerConvNetConfig.defaults()
                  .withSizes(spec.numFilters(), spec.filterSize(), spec.hiddenDims().get(0))
                  .withTraining(spec.weightScale(), spec.reg(), dtype, spec.seed()));
    };
  }

  /** The Solver configuration of a spec (seed derived from the trial seed). */
  public static SolverConfig solverConfig(TrialSpec spec) {
    return new SolverConfig(
        spec.numEpochs(),
        spec.batchSize(),
        spec.updateRule(),
        OptimConfig.defaults(spec.updateRule()).withLearningRate(spec.learningRate()),
        spec.lrDecay(),
        1000,
        0,
        spec.seed() ^ 0x5DEECE66DL);
  }
}
