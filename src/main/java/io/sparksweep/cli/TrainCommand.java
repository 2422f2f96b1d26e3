package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.GridAxis;
import io.sparksweep.search.GridException;
import io.sparksweep.search.GridProblem;
import io.sparksweep.search.GridSpec;
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
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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
      description = "fc (FullyConnectedNet) or cnn (ThreeLayerConvNet); default fc.")
  String model;

  @Option(
      names = "--hidden-dims",
      paramLabel = "SIZES",
      description =
          "Hidden layer sizes (fc), or the one hidden affine size (cnn); default 100,100 for fc,"
              + " 100 for cnn (a grid's defaults).")
  String hiddenDims;

  @Option(
      names = "--num-filters",
      paramLabel = "N",
      description = "cnn filters (cnn only); default 32.")
  String numFilters;

  @Option(
      names = "--filter-size",
      paramLabel = "N",
      description = "cnn filter size, odd, 1 to 31 (cnn only); default 7.")
  String filterSize;

  @Option(
      names = "--update-rule",
      paramLabel = "RULE",
      description = "sgd, sgd_momentum, rmsprop or adam; default adam.")
  String updateRule;

  @Option(names = "--learning-rate", paramLabel = "RATE", description = "> 0; default 1e-3.")
  String learningRate;

  @Option(
      names = "--weight-scale",
      paramLabel = "STD",
      description =
          "Std of the initial weights, > 0; default 1e-2 for fc and cnn, as in a grid (the"
              + " convolutional notebook trains its net with 1e-3: pass --weight-scale 1e-3).")
  String weightScale;

  @Option(
      names = "--dropout-keep",
      paramLabel = "P",
      description = "Dropout keep probability in (0, 1], fc only; 1 = no dropout; default 1.")
  String dropoutKeep;

  @Option(
      names = "--normalization",
      paramLabel = "KIND",
      description = "none, batchnorm or layernorm (fc only); default none.")
  String normalization;

  @Option(names = "--reg", paramLabel = "STRENGTH", description = "L2 strength, >= 0; default 0.")
  String reg;

  @Option(names = "--epochs", paramLabel = "N", description = ">= 1; default 10.")
  String epochs;

  @Option(names = "--batch-size", paramLabel = "N", description = "1 to --num-train; default 100.")
  String batchSize;

  @Option(
      names = "--lr-decay",
      paramLabel = "FACTOR",
      description = "Per-epoch learning-rate multiplier, > 0; default 1.")
  String lrDecay;

  @Option(
      names = "--num-train",
      paramLabel = "N",
      description = "Training images (the first ones of the split), 1 to 49000; default 49000.")
  String numTrain;

  @Option(
      names = "--seed",
      paramLabel = "SEED",
      defaultValue = "0",
      description = "Seed of weights and batches (a trial's seed); default ${DEFAULT-VALUE}.")
  long seed;

  @Option(
      names = "--print-every",
      paramLabel = "N",
      defaultValue = "100",
      description = "Iterations between loss lines, >= 1; default ${DEFAULT-VALUE}.")
  int printEvery;

  @Option(
      names = "--save-model",
      paramLabel = "FILE",
      description =
          "Save the model (.npz); its folder is created and checked for writing before training.")
  Path saveModel;

  /** The option of each grid axis, as problems name it. */
  static final Map<GridAxis, String> OPTIONS = options();

  private static Map<GridAxis, String> options() {
    Map<GridAxis, String> m = new EnumMap<>(GridAxis.class);
    m.put(GridAxis.MODEL, "--model");
    m.put(GridAxis.HIDDEN_DIMS, "--hidden-dims");
    m.put(GridAxis.NUM_FILTERS, "--num-filters");
    m.put(GridAxis.FILTER_SIZE, "--filter-size");
    m.put(GridAxis.UPDATE_RULE, "--update-rule");
    m.put(GridAxis.LEARNING_RATE, "--learning-rate");
    m.put(GridAxis.WEIGHT_SCALE, "--weight-scale");
    m.put(GridAxis.DROPOUT_KEEP_RATIO, "--dropout-keep");
    m.put(GridAxis.NORMALIZATION, "--normalization");
    m.put(GridAxis.REG, "--reg");
    m.put(GridAxis.BATCH_SIZE, "--batch-size");
    m.put(GridAxis.NUM_EPOCHS, "--epochs");
    m.put(GridAxis.LR_DECAY, "--lr-decay");
    m.put(GridAxis.NUM_TRAIN, "--num-train");
    return Map.copyOf(m);
  }

  /** The axes' texts as given on the command line; an option left out is absent. */
  private Map<GridAxis, String> given() {
    Map<GridAxis, String> m = new EnumMap<>(GridAxis.class);
    List<String> values =
        java.util.Arrays.asList(
            model,
            hiddenDims,
            numFilters,
            filterSize,
            updateRule,
            learningRate,
            weightScale,
            dropoutKeep,
            normalization,
            reg,
            batchSize,
            epochs,
            lrDecay,
            numTrain);
    GridAxis[] axes = GridAxis.values();
    for (int i = 0; i < axes.length; i++) {
      if (values.get(i) != null) {
        m.put(axes[i], values.get(i));
      }
    }
    return m;
  }

  /**
   * The trial these options describe, validated as a grid file is ({@link GridSpec#point}: same
   * rules, messages and defaults; problems name the options), with {@code --seed} as its seed.
   *
   * @throws IllegalArgumentException listing every problem of the options
   */
  TrialSpec trial() {
    List<String> problems = new ArrayList<>();
    TrialSpec point = null;
    try {
      point = GridSpec.point("train", given());
    } catch (GridException e) {
      for (GridProblem p : e.problems()) {
        problems.add(describe(p));
      }
    }
    if (printEvery < 1) {
      problems.add(
          "--print-every: out of range (got " + printEvery + "; allowed: an integer >= 1)");
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          problems.size() == 1
              ? problems.get(0)
              : problems.size()
                  + " problems with the options:"
                  + System.lineSeparator()
                  + "  "
                  + String.join(System.lineSeparator() + "  ", problems));
    }
    return TrialSpec.of(point.key(), 0, 0, seed, point.values());
  }

  /**
   * A grid problem as the command line says it: the option instead of the axis ({@code --epochs:
   * out of range (got 0; allowed: an integer >= 1)}), the grid's message, value and allowed text.
   */
  static String describe(GridProblem p) {
    String field = p.field();
    for (Map.Entry<GridAxis, String> e : OPTIONS.entrySet()) {
      String id = e.getKey().id();
      if (field.equals(id) || field.startsWith(id + "[")) {
        field = e.getValue() + field.substring(id.length());
        break;
      }
    }
    GridProblem renamed = new GridProblem("", 0, 0, field, p.message(), p.value(), p.allowed());
    return renamed.toString().substring(2); // without the empty file's ": "
  }

  /**
   * Checks {@code --save-model} before any data is read: not a folder, and its folder (created if
   * missing) takes a new file.
   */
  void checkSaveModel() {
    if (saveModel == null) {
      return;
    }
    String what = "--save-model " + saveModel + ": ";
    if (Files.isDirectory(saveModel)) {
      throw new IllegalArgumentException(
          what + "is a folder; allowed: a file name such as " + saveModel.resolve("model.npz"));
    }
    Path parent = saveModel.toAbsolutePath().normalize().getParent();
    try {
      Files.createDirectories(parent);
      Files.delete(Files.createTempFile(parent, ".save-model-", ".probe"));
    } catch (IOException | UnsupportedOperationException e) {
      String why = UserErrors.userMessage(e);
      throw new IllegalArgumentException(
          what
              + "its folder cannot take the file ("
              + (why != null ? why : e.toString())
              + "); allowed: a file in a writable folder",
          e);
    }
  }

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    // Every argument, and the model's output path, before the data is read.
    TrialSpec trial = trial();
    checkSaveModel();
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
      Path target = saveModel.toAbsolutePath().normalize();
      Path part = Files.createTempFile(target.getParent(), ".save-model-", ".part");
      try {
        Files.write(part, r.modelNpz());
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(part);
      }
      out.println("saved model: " + saveModel);
    }
    out.flush();
    return 0;
  }
}
