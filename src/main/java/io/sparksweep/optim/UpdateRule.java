package io.sparksweep.optim;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The notebooks' update rules ({@code optim.py}), by their grid/CLI names. */
public enum UpdateRule {
  /** Vanilla SGD, default learning rate 1e-2. */
  SGD,
  /** SGD with momentum 0.9, default learning rate 1e-2. */
  SGD_MOMENTUM,
  /** RMSProp, decay 0.99, eps 1e-8, default learning rate 1e-2. */
  RMSPROP,
  /** Adam (Kingma and Ba, 2015), lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8. */
  ADAM;

  /** The lower-case name used in grid files, tables and the CLI ({@code sgd_momentum}, …). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a name such as {@code adam} or {@code sgd_momentum} (case-insensitive). */
  public static UpdateRule parse(String s) {
    for (UpdateRule r : values()) {
      if (r.id().equalsIgnoreCase(s.trim())) {
        return r;
      }
    }
    throw new IllegalArgumentException(
        "unknown update rule '"
            + s
            + "'; expected one of "
            + Arrays.stream(values()).map(UpdateRule::id).collect(Collectors.joining(", ")));
  }
}
