package io.sparksweep.model;

import io.sparksweep.tensor.DType;
import java.util.Locale;
import java.util.Map;

/**
 * Architecture and hyperparameters of a {@link ThreeLayerConvNet}, with the notebooks' defaults:
 * input (3, 32, 32), 32 filters of 7×7, hidden 100, 10 classes, weight scale 1e-3, reg 0.
 *
 * @param channels input channels C
 * @param height input height H
 * @param width input width W
 * @param numFilters filters F of the convolution
 * @param filterSize filter side (odd, so that "same" padding {@code (size − 1) / 2} keeps H×W)
 * @param hiddenDim size of the hidden affine layer
 * @param numClasses number of classes
 * @param weightScale standard deviation of the initial weights
 * @param reg L2 strength, {@code 0.5·reg·Σ W²} over W1, W2, W3
 * @param dtype parameter and activation type
 * @param seed seed of the initial weights
 */
public record ThreeLayerConvNetConfig(
    int channels,
    int height,
    int width,
    int numFilters,
    int filterSize,
    int hiddenDim,
    int numClasses,
    double weightScale,
    double reg,
    DType dtype,
    long seed) {

  /** Validates every field, naming the bad one. */
  public ThreeLayerConvNetConfig {
    positive("channels", channels);
    positive("height", height);
    positive("width", width);
    positive("numFilters", numFilters);
    positive("filterSize", filterSize);
    positive("hiddenDim", hiddenDim);
    positive("numClasses", numClasses);
    if (filterSize % 2 == 0) {
      throw new IllegalArgumentException(
          "filterSize must be odd for 'same' padding, got " + filterSize);
    }
    if (height % 2 != 0 || width % 2 != 0) {
      throw new IllegalArgumentException(
          "input height and width must be even for the 2×2 pool, got " + height + "×" + width);
    }
    if (!(weightScale > 0) || !Double.isFinite(weightScale)) {
      throw new IllegalArgumentException("weightScale must be > 0, got " + weightScale);
    }
    if (!(reg >= 0)) {
      throw new IllegalArgumentException("reg must be ≥ 0, got " + reg);
    }
    if (dtype == null) {
      throw new IllegalArgumentException("dtype must not be null");
    }
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be ≥ 1, got " + v);
    }
  }

  /** The notebooks' defaults ({@code ThreeLayerConvNet()}), float32, seed 0. */
  public static ThreeLayerConvNetConfig defaults() {
    return new ThreeLayerConvNetConfig(3, 32, 32, 32, 7, 100, 10, 1e-3, 0.0, DType.FLOAT32, 0L);
  }

  /** A copy with other sizes of the hidden layer and the filters. */
  public ThreeLayerConvNetConfig withSizes(int filters, int size, int hidden) {
    return new ThreeLayerConvNetConfig(
        channels, height, width, filters, size, hidden, numClasses, weightScale, reg, dtype, seed);
  }

  /** A copy with another input shape (C, H, W). */
  public ThreeLayerConvNetConfig withInput(int c, int h, int w) {
    return new ThreeLayerConvNetConfig(
        c, h, w, numFilters, filterSize, hiddenDim, numClasses, weightScale, reg, dtype, seed);
  }

  /** A copy with another weight scale, reg, dtype and seed. */
  public ThreeLayerConvNetConfig withTraining(double scale, double l2, DType type, long newSeed) {
    return new ThreeLayerConvNetConfig(
        channels,
        height,
        width,
        numFilters,
        filterSize,
        hiddenDim,
        numClasses,
        scale,
        l2,
        type,
        newSeed);
  }

  /** This config as a flat JSON object (the {@code architecture} string of model files). */
  public String toJson() {
    return String.format(
        Locale.ROOT,
        "{\"model\":\"cnn\",\"input_dim\":[%d,%d,%d],\"num_filters\":%d,\"filter_size\":%d,"
            + "\"hidden_dim\":%d,\"num_classes\":%d,\"weight_scale\":%s,\"reg\":%s,"
            + "\"dtype\":\"%s\",\"seed\":%d}",
        channels,
        height,
        width,
        numFilters,
        filterSize,
        hiddenDim,
        numClasses,
        Double.toString(weightScale),
        Double.toString(reg),
        dtype.name().toLowerCase(Locale.ROOT),
        seed);
  }

  /** Parses {@link #toJson}'s object; missing keys take the defaults. */
  public static ThreeLayerConvNetConfig fromJson(String json) {
    Map<String, Object> m = FlatJson.parse(json);
    Object model = m.getOrDefault("model", ModelKind.CNN.id());
    if (!ModelKind.CNN.id().equals(model)) {
      throw new IllegalArgumentException(
          "architecture JSON describes model '" + model + "', not 'cnn'");
    }
    ThreeLayerConvNetConfig d = defaults();
    int[] input = FlatJson.intArray(m, "input_dim", new int[] {d.channels, d.height, d.width});
    if (input.length != 3) {
      throw new IllegalArgumentException("input_dim must have 3 entries (C, H, W)");
    }
    return new ThreeLayerConvNetConfig(
        input[0],
        input[1],
        input[2],
        FlatJson.integer(m, "num_filters", d.numFilters),
        FlatJson.integer(m, "filter_size", d.filterSize),
        FlatJson.integer(m, "hidden_dim", d.hiddenDim),
        FlatJson.integer(m, "num_classes", d.numClasses),
        FlatJson.number(m, "weight_scale", d.weightScale),
        FlatJson.number(m, "reg", d.reg),
        FlatJson.dtype(m, "dtype", d.dtype),
        FlatJson.longValue(m, "seed", 0L));
  }
}
