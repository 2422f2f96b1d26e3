package io.sparksweep.search;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The hyperparameter axes of a grid file, in expansion order: the order of {@link TrialSpec}'s
 * hyperparameter fields. {@link GridSpec} loops over them as nested loops, the last ({@link
 * #NUM_TRAIN}) fastest.
 */
public enum GridAxis {
  /** {@code fc} (FullyConnectedNet) or {@code cnn} (ThreeLayerConvNet); default {@code fc}. */
  MODEL("model"),
  /** Hidden layer sizes; default {@code [100, 100]} for fc, {@code [100]} for cnn. */
  HIDDEN_DIMS("hidden_dims"),
  /** cnn filters; default 32. */
  NUM_FILTERS("num_filters"),
  /** cnn filter size (odd); default 7. */
  FILTER_SIZE("filter_size"),
  /** {@code sgd}, {@code sgd_momentum}, {@code rmsprop} or {@code adam}; default {@code adam}. */
  UPDATE_RULE("update_rule"),
  /** Learning rate; default 1e-3. */
  LEARNING_RATE("learning_rate"),
  /** Std of the initial weights; default 1e-2. */
  WEIGHT_SCALE("weight_scale"),
  /** Dropout keep probability in (0, 1]; default 1 (no dropout). */
  DROPOUT_KEEP_RATIO("dropout_keep_ratio"),
  /** {@code none}, {@code batchnorm} or {@code layernorm}; default {@code none}. */
  NORMALIZATION("normalization"),
  /** L2 strength; default 0. */
  REG("reg"),
  /** Minibatch size; default 100. */
  BATCH_SIZE("batch_size"),
  /** Epochs; default 10. */
  NUM_EPOCHS("num_epochs"),
  /** Learning-rate multiplier after each epoch; default 1. */
  LR_DECAY("lr_decay"),
  /** Training images used; default 49000 (the notebooks' whole training split). */
  NUM_TRAIN("num_train");

  private final String id;

  GridAxis(String id) {
    this.id = id;
  }

  /** The key in grid files, tables and the CLI, such as {@code learning_rate}. */
  public String id() {
    return id;
  }

  /** The axis named {@code id} in a grid file, if any (exact, case-sensitive). */
  public static Optional<GridAxis> byId(String id) {
    return Arrays.stream(values()).filter(a -> a.id.equals(id)).findFirst();
  }

  /** Every axis key, in expansion order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(GridAxis::id).toList();
  }
}
