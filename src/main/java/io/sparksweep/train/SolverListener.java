package io.sparksweep.train;

import java.util.Locale;
import java.util.function.Consumer;

/** Observes a {@link Solver}: progress without printing below the CLI. */
public interface SolverListener {
  /** Called after iteration {@code t} (1-based) of {@code total}, with its minibatch loss. */
  default void iteration(int t, int total, double loss) {}

  /** Called after each accuracy check; epoch 0 is the check before training. */
  default void epoch(int epoch, int numEpochs, double trainAcc, double valAcc) {}

  /** A listener that ignores everything. */
  static SolverListener silent() {
    return new SolverListener() {};
  }

  /**
   * Progress lines in the notebooks' format, {@code (Iteration 1 / 200) loss: 2.296650} every
   * {@code printEvery} iterations (and the first), and {@code (Epoch 1 / 10) train acc: 0.324000;
   * val_acc: 0.266000} at each check.
   */
  static SolverListener notebookLines(Consumer<String> out, int printEvery) {
    return new SolverListener() {
      @Override
      public void iteration(int t, int total, double loss) {
        if ((t - 1) % printEvery == 0) {
          out.accept(String.format(Locale.ROOT, "(Iteration %d / %d) loss: %f", t, total, loss));
        }
      }

      @Override
      public void epoch(int epoch, int numEpochs, double trainAcc, double valAcc) {
        out.accept(
            String.format(
                Locale.ROOT,
                "(Epoch %d / %d) train acc: %f; val_acc: %f",
                epoch,
                numEpochs,
                trainAcc,
                valAcc));
      }
    };
  }
}
