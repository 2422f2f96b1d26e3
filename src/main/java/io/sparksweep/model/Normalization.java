package io.sparksweep.model;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** Normalization applied before each ReLU of a {@code FullyConnectedNet}. */
public enum Normalization {
  /** No normalization. */
  NONE,
  /** Batch normalization (Ioffe and Szegedy, 2015). */
  BATCHNORM,
  /** Layer normalization (Ba, Kiros and Hinton, 2016). */
  LAYERNORM;

  /** The lower-case name used in grid files, tables and the CLI ({@code none}, …). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code none|batchnorm|layernorm} (case-insensitive), naming the allowed values. */
  public static Normalization parse(String s) {
    for (Normalization n : values()) {
      if (n.id().equalsIgnoreCase(s.trim())) {
        return n;
      }
    }
    throw new IllegalArgumentException(
        "unknown normalization '"
            + s
            + "'; expected one of "
            + Arrays.stream(values()).map(Normalization::id).collect(Collectors.joining(", ")));
  }
}
