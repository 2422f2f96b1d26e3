package io.sparksweep.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The network families a trial can train: the {@code model} axis of grid files, the {@code model}
 * column of the tables and the {@code model} key of a model file's architecture JSON.
 */
public enum ModelKind {
  /** A {@link FullyConnectedNet}. */
  FC,
  /** A {@link ThreeLayerConvNet}. */
  CNN;

  /**
   * The lower-case name used in grid files, tables, trial keys and the CLI ({@code fc}, {@code
   * cnn}); {@code TrialSpec}'s canonical string, hence every trial key and seed, is built from it.
   */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses {@code fc|cnn} (case-insensitive, surrounding blanks ignored), naming the allowed values
   * otherwise.
   *
   * @param s the name
   * @return the kind
   * @throws IllegalArgumentException if {@code s} names no kind
   */
  public static ModelKind parse(String s) {
    for (ModelKind k : values()) {
      if (k.id().equalsIgnoreCase(s.strip())) {
        return k;
      }
    }
    throw new IllegalArgumentException(
        "unknown model '" + s + "'; expected one of " + String.join(", ", ids()));
  }

  /** Every kind's {@link #id()}, in declaration order. */
  public static List<String> ids() {
    return Arrays.stream(values()).map(ModelKind::id).toList();
  }
}
