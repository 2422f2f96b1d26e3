package io.sparksweep.cli;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.Cifar10Split;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.ModelFiles;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.spark.RunStore;
import io.sparksweep.train.Solver;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sparksweep evaluate --model FILE}: reloads a saved model and prints its accuracies. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description =
        "Reloads a saved model (.npz from 'train --save-model' or a search's models/ folder) and"
            + " prints its val_acc and test_acc on the notebooks' split.")
public final class EvaluateCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin DataOption data;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "FILE|URI",
      description = "Model file: a path, or a URI such as a search's model_path (file:, hdfs:).")
  String model;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!RunStore.isFile(model)) {
      spec.commandLine().getErr().println("error: model file " + model + " does not exist");
      return 2;
    }
    Classifier m = ModelFiles.fromBytes(RunStore.readUri(model));
    Cifar10Data cifar = data.load(spec.commandLine().getErr());
    Cifar10Split split = TrialRunner.split(cifar);
    out.println("model: " + m.architectureJson());
    out.printf(Locale.ROOT, "val_acc: %.4f%n", Solver.accuracy(m, split.val()));
    out.printf(Locale.ROOT, "test_acc: %.4f%n", Solver.accuracy(m, split.test()));
    out.flush();
    return 0;
  }
}
