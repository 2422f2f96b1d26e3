package io.sparksweep.bench;

import io.sparksweep.model.Classifier;
import io.sparksweep.model.FullyConnectedNet;
import io.sparksweep.model.FullyConnectedNetConfig;
import io.sparksweep.model.Normalization;
import io.sparksweep.model.ThreeLayerConvNet;
import io.sparksweep.model.ThreeLayerConvNetConfig;
import io.sparksweep.tensor.DType;

/** The reference workloads of the benchmark, as {@code torch_nets.py} defines them. */
public enum Workload {
  /** 3072 → [100]×5 → 10, ReLU, softmax, L2 1e-3; batch 100. */
  FC("fc", 100),
  /** The same with batchnorm before each ReLU and dropout (keep 0.75) after it; batch 100. */
  FCBN("fcbn", 100),
  /** The notebooks' ThreeLayerConvNet (32 filters 7×7, hidden 100); batch 50. */
  CONV("conv", 50);

  private final String id;
  private final int batch;

  Workload(String id, int batch) {
    this.id = id;
    this.batch = batch;
  }

  /** The short name: {@code fc}, {@code fcbn} or {@code conv}. */
  public String id() {
    return id;
  }

  /** Images per training step. */
  public int batch() {
    return batch;
  }

  /**
   * The workload named {@code s} (case-insensitive).
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static Workload parse(String s) {
    for (Workload w : values()) {
      if (w.id.equalsIgnoreCase(s.trim())) {
        return w;
      }
    }
    throw new IllegalArgumentException(
        "--workloads: unknown workload '" + s + "'; expected fc, fcbn or conv");
  }

  /** A freshly initialised float32 model of this workload. */
  public Classifier model(long seed) {
    return switch (this) {
      case FC -> new FullyConnectedNet(fcConfig(seed).build());
      case FCBN ->
          new FullyConnectedNet(
              fcConfig(seed).normalization(Normalization.BATCHNORM).dropoutKeepRatio(0.75).build());
      case CONV ->
          new ThreeLayerConvNet(
              ThreeLayerConvNetConfig.defaults().withTraining(1e-3, 1e-3, DType.FLOAT32, seed));
    };
  }

  private static FullyConnectedNetConfig.Builder fcConfig(long seed) {
    return FullyConnectedNetConfig.builder()
        .hiddenDims(100, 100, 100, 100, 100)
        .reg(1e-3)
        .dtype(DType.FLOAT32)
        .seed(seed);
  }
}
