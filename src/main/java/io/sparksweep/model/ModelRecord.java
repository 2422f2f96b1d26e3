package io.sparksweep.model;

import io.sparksweep.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a model file records besides the network, so that the file alone reproduces the model's
 * accuracy: the preprocessing (the mean image subtracted from every {@code uint8} pixel, channels
 * first), the hyperparameters it was trained with, where it comes from (run id, trial key) and its
 * measured metrics. Every part is optional (null or empty when unknown); {@link #NONE} records
 * nothing.
 *
 * <p>In the {@code .npz} the mean image is the float64 array {@code mean_image} of shape (3, 32,
 * 32) and the rest are flat JSON strings: {@code preprocessing}, {@code hyperparameters}, {@code
 * run} ({@code run_id}, {@code trial_key}) and {@code metrics}.
 *
 * @param meanImage the image subtracted from every input ({@code x = float(pixels) − mean_image});
 *     null if the model takes its inputs as they are
 * @param hyperparameters training settings by name: String, Number or List of Number values
 * @param runId the search run that trained the model; null for {@code train}
 * @param trialKey the trial's stable key; null if unknown
 * @param metrics measured results by name (e.g. {@code val_acc}, {@code test_acc}); NaN = unknown
 */
public record ModelRecord(
    Tensor meanImage,
    Map<String, Object> hyperparameters,
    String runId,
    String trialKey,
    Map<String, Double> metrics) {

  /** A record of nothing. */
  public static final ModelRecord NONE = new ModelRecord(null, Map.of(), null, null, Map.of());

  /** Keeps unmodifiable ordered copies; values must be representable in flat JSON. */
  public ModelRecord {
    hyperparameters = Collections.unmodifiableMap(new LinkedHashMap<>(hyperparameters));
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    for (Map.Entry<String, Object> e : hyperparameters.entrySet()) {
      Object v = e.getValue();
      boolean ok =
          v instanceof Number
              || v instanceof Boolean
              || (v instanceof String s && plain(s))
              || (v instanceof List<?> l && l.stream().allMatch(Number.class::isInstance));
      if (!ok || !plain(e.getKey())) {
        throw new IllegalArgumentException(
            "hyperparameter " + e.getKey() + " = " + v + " cannot be recorded in flat JSON");
      }
    }
    for (String s : new String[] {runId, trialKey}) {
      if (s != null && !plain(s)) {
        throw new IllegalArgumentException("'" + s + "' holds a quote, backslash or control char");
      }
    }
  }

  /** This record with {@code newRunId} as its run id. */
  public ModelRecord withRunId(String newRunId) {
    return new ModelRecord(meanImage, hyperparameters, newRunId, trialKey, metrics);
  }

  private static boolean plain(String s) {
    return s.chars().noneMatch(c -> c == '"' || c == '\\' || c < 0x20);
  }

  // ------------------------------------------------------------- flat JSON of the parts

  String hyperparametersJson() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Object> e : hyperparameters.entrySet()) {
      sb.append(sb.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof String s) {
        sb.append('"').append(s).append('"');
      } else if (v instanceof List<?> l) {
        sb.append('[');
        for (int i = 0; i < l.size(); i++) {
          sb.append(i > 0 ? "," : "").append(number((Number) l.get(i)));
        }
        sb.append(']');
      } else if (v instanceof Number n) {
        sb.append(number(n));
      } else {
        sb.append(v);
      }
    }
    return sb.append('}').toString();
  }

  String runJson() {
    return "{\"run_id\":" + quoted(runId) + ",\"trial_key\":" + quoted(trialKey) + "}";
  }

  String metricsJson() {
    StringBuilder sb = new StringBuilder("{");
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      sb.append(sb.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":");
      sb.append(number(e.getValue()));
    }
    return sb.append('}').toString();
  }

  private static String quoted(String s) {
    return s == null ? "null" : "\"" + s + "\"";
  }

  private static String number(Number n) {
    if (n == null) {
      return "null";
    }
    if (n instanceof Double || n instanceof Float) {
      double d = n.doubleValue();
      return Double.isFinite(d) ? String.format(Locale.ROOT, "%s", Double.toString(d)) : "null";
    }
    return n.toString();
  }

  /** Parses the parts back (missing entries give empty parts). */
  static ModelRecord parse(Tensor mean, String hyper, String run, String metricsText) {
    Map<String, Object> h = new LinkedHashMap<>();
    if (hyper != null) {
      for (Map.Entry<String, Object> e : FlatJson.parse(hyper).entrySet()) {
        h.put(e.getKey(), typed(e.getValue()));
      }
    }
    Map<String, Object> r = run == null ? Map.of() : FlatJson.parse(run);
    Map<String, Double> m = new LinkedHashMap<>();
    if (metricsText != null) {
      for (Map.Entry<String, Object> e : FlatJson.parse(metricsText).entrySet()) {
        String v = (String) e.getValue();
        m.put(e.getKey(), "null".equals(v) ? Double.NaN : Double.parseDouble(v));
      }
    }
    return new ModelRecord(mean, h, text(r.get("run_id")), text(r.get("trial_key")), m);
  }

  private static String text(Object v) {
    return v == null || "null".equals(v) ? null : v.toString();
  }

  private static Object typed(Object v) {
    if (v instanceof List<?> l) {
      return l.stream().map(ModelRecord::typed).toList();
    }
    String s = (String) v;
    try {
      return s.matches("-?\\d+") ? (Object) Long.parseLong(s) : (Object) Double.parseDouble(s);
    } catch (NumberFormatException e) {
      return s;
    }
  }
}
