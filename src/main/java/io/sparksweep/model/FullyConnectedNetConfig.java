package io.sparksweep.model;

import io.sparksweep.tensor.DType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Architecture and hyperparameters of a {@link FullyConnectedNet}: the constructor arguments of the
 * notebooks' {@code FullyConnectedNetImproved}, typed and validated. Build one with {@link
 * #builder()}; every field but the hidden dims has the notebooks' default.
 *
 * @param hiddenDims sizes of the hidden layers, each ≥ 1 (may be empty: a softmax classifier)
 * @param inputDim number of input features per example, default 3·32·32 = 3072
 * @param numClasses number of classes, default 10
 * @param dropoutKeepRatio dropout keep probability in (0, 1], default 1 (no dropout)
 * @param normalization normalization before each ReLU, default none
 * @param reg L2 strength ≥ 0 of the loss term {@code 0.5·reg·Σ W²}, default 0
 * @param weightScale standard deviation &gt; 0 of the initial weights, default 1e-2
 * @param dtype element type of parameters and activations, default float32
 * @param seed seed of the weight initialisation and of the dropout masks, default 0
 */
public record FullyConnectedNetConfig(
    List<Integer> hiddenDims,
    int inputDim,
    int numClasses,
    double dropoutKeepRatio,
    Normalization normalization,
    double reg,
    double weightScale,
    DType dtype,
    long seed) {
  /** Default input dimension, one CIFAR-10 image: 3·32·32. */
  public static final int DEFAULT_INPUT_DIM = 3 * 32 * 32;

  /** Default number of classes, 10. */
  public static final int DEFAULT_NUM_CLASSES = 10;

  /** Default weight scale, 1e-2. */
  public static final double DEFAULT_WEIGHT_SCALE = 1e-2;

  /**
   * Validates every field.
   *
   * @throws IllegalArgumentException naming the first invalid field and its value
   */
  public FullyConnectedNetConfig {
    if (hiddenDims == null) {
      throw new IllegalArgumentException("hiddenDims must not be null");
    }
    hiddenDims = List.copyOf(hiddenDims);
    for (int i = 0; i < hiddenDims.size(); i++) {
      if (hiddenDims.get(i) < 1) {
        throw new IllegalArgumentException(
            "hiddenDims[" + i + "] must be >= 1, got " + hiddenDims.get(i) + " in " + hiddenDims);
      }
    }
    if (inputDim < 1) {
      throw new IllegalArgumentException("inputDim must be >= 1, got " + inputDim);
    }
    if (numClasses < 1) {
      throw new IllegalArgumentException("numClasses must be >= 1, got " + numClasses);
    }
    if (!(dropoutKeepRatio > 0 && dropoutKeepRatio <= 1)) {
      throw new IllegalArgumentException(
          "dropoutKeepRatio (the keep probability) must be in (0, 1], got " + dropoutKeepRatio);
    }
    if (normalization == null) {
      throw new IllegalArgumentException(
          "normalization must be one of none, batchnorm, layernorm, got null");
    }
    if (!(reg >= 0) || Double.isInfinite(reg)) {
      throw new IllegalArgumentException("reg must be finite and >= 0, got " + reg);
    }
    if (!(weightScale > 0) || Double.isInfinite(weightScale)) {
      throw new IllegalArgumentException("weightScale must be finite and > 0, got " + weightScale);
    }
    if (dtype == null) {
      throw new IllegalArgumentException("dtype must be FLOAT32 or FLOAT64, got null");
    }
  }

  /** A builder with the notebooks' defaults and no hidden layers. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this config's values. */
  public Builder toBuilder() {
    return new Builder()
        .hiddenDims(hiddenDims)
        .inputDim(inputDim)
        .numClasses(numClasses)
        .dropoutKeepRatio(dropoutKeepRatio)
        .normalization(normalization)
        .reg(reg)
        .weightScale(weightScale)
        .dtype(dtype)
        .seed(seed);
  }

  /** Layer widths {@code [inputDim, hiddenDims…, numClasses]}. */
  public int[] layerDims() {
    int[] dims = new int[hiddenDims.size() + 2];
    dims[0] = inputDim;
    for (int i = 0; i < hiddenDims.size(); i++) {
      dims[i + 1] = hiddenDims.get(i);
    }
    dims[dims.length - 1] = numClasses;
    return dims;
  }

  /**
   * This config as a flat JSON object with snake_case keys, e.g. {@code {"model":"fc",
   * "hidden_dims":[100,100],"input_dim":3072,"num_classes":10,"dropout_keep_ratio":1.0,
   * "normalization":"none","reg":0.0,"weight_scale":0.01,"dtype":"float32","seed":0}}. Read back by
   * {@link #fromJson}.
   */
  public String toJson() {
    StringBuilder sb = new StringBuilder("{\"model\":\"fc\",\"hidden_dims\":[");
    for (int i = 0; i < hiddenDims.size(); i++) {
      sb.append(i > 0 ? "," : "").append(hiddenDims.get(i));
    }
    return sb.append("],\"input_dim\":")
        .append(inputDim)
        .append(",\"num_classes\":")
        .append(numClasses)
        .append(",\"dropout_keep_ratio\":")
        .append(dropoutKeepRatio)
        .append(",\"normalization\":\"")
        .append(normalization.id())
        .append("\",\"reg\":")
        .append(reg)
        .append(",\"weight_scale\":")
        .append(weightScale)
        .append(",\"dtype\":\"")
        .append(dtype.name().toLowerCase(Locale.ROOT))
        .append("\",\"seed\":")
        .append(seed)
        .append('}')
        .toString();
  }

  /**
   * Parses the object written by {@link #toJson} (keys in any order, whitespace allowed; missing
   * keys take their defaults, unknown keys are ignored).
   *
   * @throws IllegalArgumentException if the text is not such an object, {@code model} is not {@code
   *     fc}, or a value is invalid
   */
  public static FullyConnectedNetConfig fromJson(String json) {
    java.util.Map<String, Object> m = FlatJson.parse(json);
    String model = FlatJson.string(m, "model", ModelKind.FC.id());
    if (!model.equals(ModelKind.FC.id())) {
      throw new IllegalArgumentException(
          "architecture JSON describes model '" + model + "', not 'fc'");
    }
    Builder b = builder();
    int[] hidden = FlatJson.intArray(m, "hidden_dims", new int[0]);
    b.hiddenDims(hidden);
    b.inputDim(FlatJson.integer(m, "input_dim", DEFAULT_INPUT_DIM));
    b.numClasses(FlatJson.integer(m, "num_classes", DEFAULT_NUM_CLASSES));
    b.dropoutKeepRatio(FlatJson.number(m, "dropout_keep_ratio", 1.0));
    b.normalization(FlatJson.string(m, "normalization", "none"));
    b.reg(FlatJson.number(m, "reg", 0.0));
    b.weightScale(FlatJson.number(m, "weight_scale", DEFAULT_WEIGHT_SCALE));
    b.dtype(FlatJson.dtype(m, "dtype", io.sparksweep.tensor.DType.FLOAT32));
    b.seed(FlatJson.longValue(m, "seed", 0L));
    return b.build();
  }

  /** Builder with the notebooks' defaults. */
  public static final class Builder {
    private List<Integer> hiddenDims = List.of();
    private int inputDim = DEFAULT_INPUT_DIM;
    private int numClasses = DEFAULT_NUM_CLASSES;
    private double dropoutKeepRatio = 1.0;
    private Normalization normalization = Normalization.NONE;
    private double reg = 0.0;
    private double weightScale = DEFAULT_WEIGHT_SCALE;
    private DType dtype = DType.FLOAT32;
    private long seed = 0;

    private Builder() {}

    /** Hidden layer sizes. */
    public Builder hiddenDims(List<Integer> hiddenDims) {
      this.hiddenDims = new ArrayList<>(hiddenDims);
      return this;
    }

    /** Hidden layer sizes. */
    public Builder hiddenDims(int... hiddenDims) {
      List<Integer> list = new ArrayList<>();
      for (int h : hiddenDims) {
        list.add(h);
      }
      this.hiddenDims = list;
      return this;
    }

    /** Input features per example. */
    public Builder inputDim(int inputDim) {
      this.inputDim = inputDim;
      return this;
    }

    /** Number of classes. */
    public Builder numClasses(int numClasses) {
      this.numClasses = numClasses;
      return this;
    }

    /** Dropout keep probability in (0, 1]; 1 = off. */
    public Builder dropoutKeepRatio(double dropoutKeepRatio) {
      this.dropoutKeepRatio = dropoutKeepRatio;
      return this;
    }

    /** Normalization before each ReLU. */
    public Builder normalization(Normalization normalization) {
      this.normalization = normalization;
      return this;
    }

    /**
     * Normalization by name, {@code none|batchnorm|layernorm}.
     *
     * @throws IllegalArgumentException naming the value and the allowed ones
     */
    public Builder normalization(String normalization) {
      if (normalization == null) {
        throw new IllegalArgumentException(
            "normalization must be one of none, batchnorm, layernorm, got null");
      }
      this.normalization = Normalization.parse(normalization);
      return this;
    }

    /** L2 strength. */
    public Builder reg(double reg) {
      this.reg = reg;
      return this;
    }

    /** Standard deviation of the initial weights. */
    public Builder weightScale(double weightScale) {
      this.weightScale = weightScale;
      return this;
    }

    /** Element type. */
    public Builder dtype(DType dtype) {
      this.dtype = dtype;
      return this;
    }

    /** Seed of the initial weights and the dropout masks. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * The validated config.
     *
     * @throws IllegalArgumentException naming the first invalid field
     */
    public FullyConnectedNetConfig build() {
      return new FullyConnectedNetConfig(
          hiddenDims,
          inputDim,
          numClasses,
          dropoutKeepRatio,
          normalization,
          reg,
          weightScale,
          dtype,
          seed);
    }
  }
}
