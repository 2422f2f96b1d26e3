package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.tensor.Gemm;
import io.sparksweep.train.SolverListener;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparksweep train}: one training run with the notebooks' knobs. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains one network on CIFAR-10 (the notebooks' Solver), prints its progress and the final"
          + " val_acc and test_acc of the best-validation parameters.",
      "Example: sparksweep train --hidden-dims 100,100,100,100,100 --update-rule rmsprop"
          + " --learning-rate 1e-3 --epochs 5 --data ../shared/cifar10/cifar-10-batches-bin"
    })
public final class TrainCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin DataOption data;

  @Option(
      names = "--model",
      paramLabel = "KIND",
      defaultValue = "fc",
      description = "fc (FullyConnectedNet) or cnn (ThreeLayerConvNet); default ${DEFAULT-VALUE}.")
  String model;

  @Option(
      names = "--hidden-dims",
      paramLabel = "N",
      split = ",",
      defaultValue = "100,100",
      description =
          "Hidden layer sizes (fc), or the hidden affine size (cnn); default ${DEFAULT-VALUE}.")
  List<Integer> hiddenDims;

  @Option(
      names = "--num-filters",
      paramLabel = "N",
      defaultValue = "32",
      description = "cnn filters; default ${DEFAULT-VALUE}.")
  int numFilters;

  @Option(
      names = "--filter-size",
      paramLabel = "N",
      defaultValue = "7",
      description = "cnn filter size (odd); default ${DEFAULT-VALUE}.")
  int filterSize;

  @Option(
      names = "--update-rule",
      paramLabel = "RULE",
      defaultValue = "adam",
      description = "sgd, sgd_momentum, rmsprop or adam; default ${DEFAULT-VALUE}.")
  String updateRule;

  @Option(
      names = "--learning-rate",
      paramLabel = "RATE",
      defaultValue = "1e-3",
      description = "Default ${DEFAULT-VALUE}.")
  double learningRate;

  @Option(
      names = "--weight-scale",
      paramLabel = "STD",
      description = "Std of the initial weights (default: 1e-2 for fc, 1e-3 for cnn).")
  Double weightScale;

  @Option(
      names = "--dropout-keep",
      paramLabel = "P",
      defaultValue = "1.0",
      description = "Dropout keep probability in (0, 1]; 1 = no dropout; default ${DEFAULT-VALUE}.")
  double dropoutKeep;

  @Option(
      names = "--normalization",
      paramLabel = "KIND",
      defaultValue = "none",
      description = "none, batchnorm or layernorm (fc only); default ${DEFAULT-VALUE}.")
  String normalization;

  @Option(
      names = "--reg",
      paramLabel = "STRENGTH",
      defaultValue = "0.0",
      description = "L2 strength; default ${DEFAULT-VALUE}.")
  double reg;

  @Option(
      names = "--epochs",
      paramLabel = "N",
      defaultValue = "10",
      description = "Default ${DEFAULT-VALUE}.")
  int epochs;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      defaultValue = "100",
      description = "Default ${DEFAULT-VALUE}.")
  int batchSize;

  @Option(
      names = "--lr-decay",
      paramLabel = "FACTOR",
      defaultValue = "1.0",
      description = "Per-epoch learning-rate multiplier; default ${DEFAULT-VALUE}.")
  double lrDecay;

  @Option(
      names = "--num-train",
      paramLabel = "N",
      defaultValue = "49000",
      description = "Training images (the first ones of the split); default ${DEFAULT-VALUE}.")
  int numTrain;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "0",
      description = "Seed of weights and batches; default ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--print-every",
      paramLabel = "N",
      defaultValue = "100",
      description = "Iterations between loss lines; default ${DEFAULT-VALUE}.")
  int printEvery;

  @Option(names = "--save-model", paramLabel = "FILE", description = "Save the model (.npz).")
  Path saveModel;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ModelKind kind = ModelKind.parse(model);
    TrialSpec trial =
        new TrialSpec(
            "train",
            0,
            0,
            seed,
            kind,
            hiddenDims,
            numFilters,
            filterSize,
            UpdateRule.parse(updateRule),
            learningRate,
            weightScale != null ? weightScale : (kind == ModelKind.CNN ? 1e-3 : 1e-2),
            dropoutKeep,
            Normalization.parse(normalization),
            reg,
            batchSize,
            epochs,
            lrDecay,
            numTrain);
    // Build once up front so that a bad argument fails before the data is read.
    TrialRunner.buildModel(trial, io.sparksweep.tensor.DType.FLOAT32);
    Cifar10Data cifar = data.load(err);
    err.println("BLAS backend: " + Gemm.backend() + "; float32 GEMM: " + Gemm.sgemmKernel());
    err.flush();
    SolverListener lines =
        SolverListener.notebookLines(
            line -> {
              out.println(line);
              out.flush();
            },
            printEvery);
    TrialResult r = TrialRunner.run(trial, cifar, "local", lines);
    if (r.status() == TrialStatus.FAILED) {
      err.println("error: " + r.error());
      return 1;
    }
    if (r.status() == TrialStatus.DIVERGED) {
      err.println("diverged: " + r.error());
      return 3;
    }
    out.printf(
        java.util.Locale.ROOT,
        "train_seconds: %.1f (%.1f s/epoch)%n",
        r.trainSeconds(),
        r.trainSeconds() / Math.max(1, r.epochsRun()));
    out.printf(java.util.Locale.ROOT, "best_val_acc: %.4f%n", r.bestValAcc());
    out.printf(java.util.Locale.ROOT, "final_train_acc: %.4f%n", r.finalTrainAcc());
    out.printf(java.util.Locale.ROOT, "val_acc: %.4f%n", r.valAcc());
    out.printf(java.util.Locale.ROOT, "test_acc: %.4f%n", r.testAcc());
    if (saveModel != null) {
      Path parent = saveModel.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.write(saveModel, r.modelNpz());
      out.println("saved model: " + saveModel);
    }
    out.flush();
    return 0;
  }
}
