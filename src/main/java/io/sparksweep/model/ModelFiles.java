package io.sparksweep.model;

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

/**
 * Portable model files: a numpy {@code .npz} archive with one {@code .npy} per parameter ({@code
 * W1}, {@code b1}, {@code gamma1}, …), the batchnorm running statistics ({@code running_mean1},
 * {@code running_var1}, …) and the architecture as a JSON string ({@code architecture}, a 0-d
 * unicode array), so that {@code np.load(path)} reads every array and {@link #load} rebuilds the
 * exact model.
 */
public final class ModelFiles {
  /** Name of the architecture entry. */
  public static final String ARCHITECTURE = "architecture";

  private ModelFiles() {}

  /** Writes {@code model} to {@code file} atomically (a temporary file, then a rename). */
  public static void save(Classifier model, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.write(tmp, toBytes(model));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The model as {@code .npz} bytes. */
  public static byte[] toBytes(Classifier model) {
    Map<String, Tensor> tensors = new LinkedHashMap<>(model.params().asMap());
    tensors.putAll(model.state().asMap());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      Npz.write(
          out, tensors, Map.of(ARCHITECTURE, model.architectureJson()), Npz.Compression.STORED);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Reads a model file written by {@link #save}.
   *
   * @throws IOException if the file cannot be read
   * @throws IllegalArgumentException naming the file and what is wrong with its contents
   */
  public static Classifier load(Path file) throws IOException {
    try {
      return fromContents(Npz.read(file));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": not a sparksweep model: " + e.getMessage(), e);
    }
  }

  /** Rebuilds a model from {@link #toBytes}'s output. */
  public static Classifier fromBytes(byte[] bytes) {
    try {
      return fromContents(Npz.read(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Classifier fromContents(Npz.Contents contents) {
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
      (e.getKey().startsWith("running_") ? state : params).put(e.getKey(), e.getValue());
    }
    return switch (model) {
      case FC ->
          FullyConnectedNet.fromParams(FullyConnectedNetConfig.fromJson(json), params, state);
      case CNN -> ThreeLayerConvNet.fromParams(ThreeLayerConvNetConfig.fromJson(json), params);
    };
  }
}
