package io.sparksweep.search;

import io.sparksweep.model.ModelRecord;
import io.sparksweep.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@link ModelRecord} a trial's model file carries: the split's mean image, the trial's
 * hyperparameters (every {@code name=value} of {@link TrialSpec#canonicalString}, plus {@code seed}
 * and {@code repeat}), its key and its metrics. The run id is added by whoever writes the file
 * ({@link io.sparksweep.model.ModelFiles#withRunId}).
 */
final class TrialModelRecord {
  private TrialModelRecord() {}

  static ModelRecord of(
      TrialSpec spec,
      Tensor meanImage,
      double bestValAcc,
      double valAcc,
      double testAcc,
      double finalTrainAcc,
      int epochsRun) {
    Map<String, Double> metrics = new LinkedHashMap<>();
    metrics.put("best_val_acc", bestValAcc);
    metrics.put("val_acc", valAcc);
    metrics.put("test_acc", testAcc);
    metrics.put("final_train_acc", finalTrainAcc);
    metrics.put("epochs_run", (double) epochsRun);
    return new ModelRecord(meanImage, hyperparameters(spec), null, spec.key(), metrics);
  }

  /** The canonical string's pairs as typed values, then seed and repeat. */
  static Map<String, Object> hyperparameters(TrialSpec spec) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (String pair : spec.canonicalString().split(";", -1)) {
      int eq = pair.indexOf('=');
      out.put(pair.substring(0, eq), value(pair.substring(eq + 1)));
    }
    out.put("seed", spec.seed());
    out.put("repeat", spec.repeat());
    return out;
  }

  private static Object value(String text) {
    if (text.startsWith("[") && text.endsWith("]")) {
      List<Object> items = new ArrayList<>();
      String inner = text.substring(1, text.length() - 1);
      if (!inner.isEmpty()) {
        for (String item : inner.split(",", -1)) {
          items.add(value(item));
        }
      }
      return items;
    }
    if (text.matches("-?\\d{1,18}")) {
      return Long.parseLong(text);
    }
    if (text.matches("-?[0-9.]+([eE][-+]?\\d+)?")) {
      return Double.parseDouble(text);
    }
    return text;
  }
}
