package io.sparksweep.train;

import io.sparksweep.model.Params;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.optim.UpdateState;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Npz;
import io.sparksweep.tensor.SplitMix64;
import io.sparksweep.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Checkpoint} as a numpy {@code .npz} archive, written to a stream and read from one (the
 * run store decides where the bytes live: {@code file:}, {@code hdfs:}, {@code s3a:}).
 *
 * <p>Members ({@code np.load(f)[name]}):
 *
 * <table>
 *   <caption>checkpoint members</caption>
 *   <tr><th>name</th><th>what</th></tr>
 *   <tr><td>{@code format}</td><td>the string {@value #FORMAT}</td></tr>
 *   <tr><td>{@code update_rule}</td><td>{@code sgd}, {@code sgd_momentum}, {@code rmsprop},
 *       {@code adam}</td></tr>
 *   <tr><td>{@code epoch}, {@code iteration}, {@code iters_per_epoch}, {@code best_epoch},
 *       {@code diverged_at}</td><td>0-d float64 (exact integers)</td></tr>
 *   <tr><td>{@code learning_rate}, {@code best_val_acc}</td><td>0-d float64</td></tr>
 *   <tr><td>{@code params/W1}, … {@code state/running_mean1}, …</td><td>current parameters and
 *       running statistics, in the model's dtype</td></tr>
 *   <tr><td>{@code best_params/…}, {@code best_state/…}</td><td>those of the best validation
 *       accuracy</td></tr>
 *   <tr><td>{@code optim/W1/velocity} (momentum), {@code optim/W1/cache} (RMSProp), {@code
 *       optim/W1/m}, {@code optim/W1/v}, {@code optim/W1/t} (Adam)</td><td>update-rule
 *       state</td></tr>
 *   <tr><td>{@code history/loss}, {@code history/train_acc}, {@code history/val_acc}, {@code
 *       history/epoch_loss}</td><td>1-d float64</td></tr>
 *   <tr><td>{@code rng/batch}, {@code rng/check}, {@code rng/model} (if any)</td><td>SplitMix64
 *       state as the string {@code "<seed hex> <gamma hex>"}</td></tr>
 * </table>
 *
 * <p>Every double is stored as float64 and every tensor in its own dtype, so a read checkpoint
 * equals the written one bit for bit.
 */
public final class CheckpointFile {
  /** The value of the {@code format} member. */
  public static final String FORMAT = "sparksweep-checkpoint-1";

  private static final String PARAMS = "params/";
  private static final String STATE = "state/";
  private static final String BEST_PARAMS = "best_params/";
  private static final String BEST_STATE = "best_state/";
  private static final String OPTIM = "optim/";

  private CheckpointFile() {}

  /** Writes {@code c} as an uncompressed {@code .npz} to {@code out}; does not close it. */
  public static void write(Checkpoint c, OutputStream out) throws IOException {
    Map<String, Tensor> t = new LinkedHashMap<>();
    Map<String, String> s = new LinkedHashMap<>();
    s.put("format", FORMAT);
    s.put("update_rule", c.updateRule().id());
    t.put("epoch", scalar(c.epoch()));
    t.put("iteration", scalar(c.iteration()));
    t.put("iters_per_epoch", scalar(c.itersPerEpoch()));
    t.put("learning_rate", scalar(c.learningRate()));
    t.put("best_val_acc", scalar(c.bestValAcc()));
    t.put("best_epoch", scalar(c.bestEpoch()));
    t.put("diverged_at", scalar(c.divergedAt()));
    putAll(t, PARAMS, c.params());
    putAll(t, STATE, c.state());
    putAll(t, BEST_PARAMS, c.bestParams());
    putAll(t, BEST_STATE, c.bestState());
    for (Map.Entry<String, UpdateState> e : c.optimizerState().entrySet()) {
      String p = OPTIM + e.getKey() + "/";
      UpdateState u = e.getValue();
      if (u instanceof UpdateState.Momentum m) {
        t.put(p + "velocity", m.velocity());
      } else if (u instanceof UpdateState.RmsProp r) {
        t.put(p + "cache", r.cache());
      } else if (u instanceof UpdateState.Adam a) {
        t.put(p + "m", a.m());
        t.put(p + "v", a.v());
        t.put(p + "t", scalar(a.t()));
      }
    }
    t.put("history/loss", vector(c.lossHistory()));
    t.put("history/train_acc", vector(c.trainAccHistory()));
    t.put("history/val_acc", vector(c.valAccHistory()));
    t.put("history/epoch_loss", vector(c.epochLoss()));
    s.put("rng/batch", c.batchRandom().toString());
    s.put("rng/check", c.checkRandom().toString());
    c.modelRandom().ifPresent(r -> s.put("rng/model", r.toString()));
    Npz.write(out, t, s, Npz.Compression.STORED);
  }

  /**
   * Reads a checkpoint written by {@link #write}.
   *
   * @throws IOException if the stream cannot be read
   * @throws IllegalArgumentException naming the member that is missing or malformed
   */
  public static Checkpoint read(InputStream in) throws IOException {
    Npz.Contents z = Npz.read(in);
    String format = z.strings().get("format");
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(
          "not a sparksweep checkpoint: member 'format' is "
              + (format == null ? "missing" : "'" + format + "'")
              + ", expected '"
              + FORMAT
              + "'");
    }
    UpdateRule rule = UpdateRule.parse(z.string("update_rule"));
    Params params = group(z, PARAMS);
    Map<String, UpdateState> optim = new LinkedHashMap<>();
    for (String name : params.names()) {
      String p = OPTIM + name + "/";
      switch (rule) {
        case SGD -> {}
        case SGD_MOMENTUM -> {
          if (z.tensors().containsKey(p + "velocity")) {
            optim.put(name, new UpdateState.Momentum(z.tensor(p + "velocity")));
          }
        }
        case RMSPROP -> {
          if (z.tensors().containsKey(p + "cache")) {
            optim.put(name, new UpdateState.RmsProp(z.tensor(p + "cache")));
          }
        }
        case ADAM -> {
          if (z.tensors().containsKey(p + "m")) {
            optim.put(
                name,
                new UpdateState.Adam(z.tensor(p + "m"), z.tensor(p + "v"), integer(z, p + "t")));
          }
        }
      }
    }
    String model = z.strings().get("rng/model");
    return new Checkpoint(
        rule,
        integer(z, "iters_per_epoch"),
        integer(z, "epoch"),
        integer(z, "iteration"),
        number(z, "learning_rate"),
        params,
        group(z, STATE),
        optim,
        SplitMix64.State.parse(z.string("rng/batch")),
        SplitMix64.State.parse(z.string("rng/check")),
        model == null ? Optional.empty() : Optional.of(SplitMix64.State.parse(model)),
        group(z, BEST_PARAMS),
        group(z, BEST_STATE),
        number(z, "best_val_acc"),
        integer(z, "best_epoch"),
        list(z, "history/loss"),
        list(z, "history/train_acc"),
        list(z, "history/val_acc"),
        list(z, "history/epoch_loss"),
        integer(z, "diverged_at"));
  }

  private static Tensor scalar(double v) {
    return Tensor.wrap(new double[] {v});
  }

  private static Tensor vector(List<Double> values) {
    double[] d = new double[values.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = values.get(i);
    }
    return Tensor.wrap(d, d.length);
  }

  private static void putAll(Map<String, Tensor> out, String prefix, Params p) {
    p.asMap().forEach((k, v) -> out.put(prefix + k, v));
  }

  private static Params group(Npz.Contents z, String prefix) {
    Params p = new Params();
    z.tensors()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                p.put(k.substring(prefix.length()), v);
              }
            });
    return p;
  }

  private static double number(Npz.Contents z, String name) {
    Tensor t = z.tensor(name);
    if (t.size() != 1 || t.dtype() != DType.FLOAT64) {
      throw new IllegalArgumentException(
          "checkpoint member '" + name + "' must be one float64, got " + t.shapeString());
    }
    return t.getFlat(0);
  }

  private static int integer(Npz.Contents z, String name) {
    double v = number(z, name);
    if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "checkpoint member '" + name + "' must be an integer, got " + v);
    }
    return (int) v;
  }

  private static List<Double> list(Npz.Contents z, String name) {
    double[] d = z.tensor(name).toDoubleArray();
    List<Double> out = new ArrayList<>(d.length);
    for (double v : d) {
      out.add(v);
    }
    return out;
  }
}
