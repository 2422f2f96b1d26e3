package io.sparksweep.model;

import io.sparksweep.layer.RunningStats;
import io.sparksweep.tensor.Npz;
import io.sparksweep.tensor.Tensor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Portable, self-contained model files: a numpy {@code .npz} archive with one {@code .npy} per
 * parameter ({@code W1}, {@code b1}, {@code gamma1}, …), the batchnorm running statistics ({@code
 * running_mean1}, {@code running_var1}, …), the architecture as a JSON string ({@code
 * architecture}, a 0-d unicode array; for the convnet with its conv stride/pad and pool
 * size/stride, for normalised FC nets with the eps) and, when a {@link ModelRecord} is given, the
 * preprocessing ({@code mean_image}), the training hyperparameters, run id, trial key and metrics.
 * So {@code np.load(path)} reads everything needed to reproduce the model's accuracy, and {@link
 * #load} rebuilds the exact model. Reading verifies every member's CRC-32.
 */
public final class ModelFiles {
  /** Name of the architecture entry. */
  public static final String ARCHITECTURE = "architecture";

  /** Name of the mean-image entry (float64, the shape of one input). */
  public static final String MEAN_IMAGE = "mean_image";

  /** Name of the preprocessing entry (flat JSON). */
  public static final String PREPROCESSING = "preprocessing";

  /** Name of the hyperparameters entry (flat JSON). */
  public static final String HYPERPARAMETERS = "hyperparameters";

  /** Name of the run entry (flat JSON: {@code run_id}, {@code trial_key}). */
  public static final String RUN = "run";

  /** Name of the metrics entry (flat JSON). */
  public static final String METRICS = "metrics";

  private static final Set<String> RECORD_TENSORS = Set.of(MEAN_IMAGE);

  /** A model read back with everything its file records. */
  public record Saved(Classifier model, ModelRecord record) {}

  private ModelFiles() {}

  /** Writes {@code model} to {@code file} atomically, recording nothing else. */
  public static void save(Classifier model, Path file) throws IOException {
    save(model, file, ModelRecord.NONE);
  }

  /** Writes {@code model} and {@code record} to {@code file} atomically (a temporary, a rename). */
  public static void save(Classifier model, Path file, ModelRecord record) throws IOException {
    write(file, toBytes(model, record));
  }

  /** Writes {@code npz} bytes to {@code file} atomically (a temporary file, then a rename). */
  public static void write(Path file, byte[] npz) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, npz);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The model as {@code .npz} bytes, recording nothing else. */
  public static byte[] toBytes(Classifier model) {
    return toBytes(model, ModelRecord.NONE);
  }

  /** The model and its record as {@code .npz} bytes. */
  public static byte[] toBytes(Classifier model, ModelRecord record) {
    Map<String, Tensor> tensors = new LinkedHashMap<>(model.params().asMap());
    tensors.putAll(model.state().asMap());
    Map<String, String> strings = new LinkedHashMap<>();
    strings.put(ARCHITECTURE, fullArchitecture(model));
    if (record.meanImage() != null) {
      tensors.put(MEAN_IMAGE, record.meanImage());
      strings.put(
          PREPROCESSING,
          "{\"input\":\"uint8 pixels, channels first (N, 3, 32, 32) as in the CIFAR-10 binary"
              + " batches\",\"x\":\"float(pixels) - mean_image\",\"scale\":1}");
    }
    if (!record.hyperparameters().isEmpty()) {
      strings.put(HYPERPARAMETERS, record.hyperparametersJson());
    }
    if (record.runId() != null || record.trialKey() != null) {
      strings.put(RUN, record.runJson());
    }
    if (!record.metrics().isEmpty()) {
      strings.put(METRICS, record.metricsJson());
    }
    return npz(tensors, strings);
  }

  /**
   * {@code npz} (as {@link #toBytes} wrote it) with {@code runId} recorded as its run id; bytes
   * that are not an {@code .npz} archive are returned unchanged (they are written as they are).
   */
  public static byte[] withRunId(byte[] npz, String runId) {
    Npz.Contents c;
    try {
      c = contents(npz);
    } catch (IllegalArgumentException e) {
      return npz;
    }
    Map<String, String> strings = new LinkedHashMap<>(c.strings());
    ModelRecord run = ModelRecord.parse(null, null, strings.get(RUN), null);
    strings.put(RUN, run.withRunId(runId).runJson());
    return npz(c.tensors(), strings);
  }

  private static byte[] npz(Map<String, Tensor> tensors, Map<String, String> strings) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Npz.write(out, tensors, strings, Npz.Compression.STORED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * The model's architecture JSON plus the fixed layout its class implies: for the convnet the conv
   * stride and padding and the pool size and stride, for FC nets the layer order and the
   * normalisation eps.
   */
  static String fullArchitecture(Classifier model) {
    String json = model.architectureJson().strip();
    String extra;
    if (model instanceof ThreeLayerConvNet cnn) {
      extra = cnn.layoutJson();
    } else if (model instanceof FullyConnectedNet) {
      extra =
          "\"layers\":\"{affine - [batchnorm|layernorm] - relu - [dropout]} x (L - 1) - affine -"
              + " softmax\",\"norm_eps\":"
              + RunningStats.DEFAULT_EPS;
    } else {
      return json;
    }
    return json.substring(0, json.length() - 1) + "," + extra + "}";
  }

  /**
   * Reads a model file written by {@link #save}.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException in one line naming the file and what is wrong with it (not a
   *     zip, truncated, a CRC-32 mismatch, not a model)
   */
  public static Classifier load(Path file) throws IOException {
    return read(file).model();
  }

  /**
   * Reads a model file and everything it records.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException in one line naming the file and what is wrong with it
   */
  public static Saved read(Path file) throws IOException {
    Npz.Contents contents = Npz.read(file); // its messages name the file already
    try {
      return fromContents(contents);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": not a sparksweep model: " + e.getMessage(), e);
    }
  }

  /** Rebuilds a model from {@link #toBytes}'s output. */
  public static Classifier fromBytes(byte[] bytes) {
    return fromBytesWithRecord(bytes).model();
  }

  /** Rebuilds a model and its record from {@link #toBytes}'s output. */
  public static Saved fromBytesWithRecord(byte[] bytes) {
    return fromContents(contents(bytes));
  }

  private static Npz.Contents contents(byte[] bytes) {
    try {
      return Npz.read(new ByteArrayInputStream(bytes));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Saved fromContents(Npz.Contents contents) {
    String json = contents.string(ARCHITECTURE);
    String name = FlatJson.string(FlatJson.parse(json), "model", "");
    ModelKind model;
    try {
      model = ModelKind.parse(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "architecture names model '" + name + "'; expected 'fc' or 'cnn'", e);
    }
    Params params = new Params();
    Params state = new Params();
    for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
      if (RECORD_TENSORS.contains(e.getKey())) {
        continue;
      }
      (e.getKey().startsWith("running_") ? state : params).put(e.getKey(), e.getValue());
    }
    Classifier classifier =
        switch (model) {
          case FC ->
              FullyConnectedNet.fromParams(FullyConnectedNetConfig.fromJson(json), params, state);
          case CNN -> ThreeLayerConvNet.fromParams(ThreeLayerConvNetConfig.fromJson(json), params);
        };
    Map<String, String> s = contents.strings();
    ModelRecord record =
        ModelRecord.parse(
            contents.tensors().get(MEAN_IMAGE), s.get(HYPERPARAMETERS), s.get(RUN), s.get(METRICS));
    return new Saved(classifier, record);
  }
}
