package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.data.SyntheticCifar;
import io.sparksweep.model.Classifier;
import io.sparksweep.model.ModelFiles;
import io.sparksweep.model.ModelKind;
import io.sparksweep.model.ModelRecord;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Npz;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.train.SolverListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A saved model reproduces its recorded accuracy from the file alone: the README's numpy lines,
 * done here in plain Java on the arrays the project's own {@link Npz} reader returns (the stored
 * mean image, weights and running statistics; no model class involved), then with {@link
 * ModelFiles#read}.
 */
class SelfContainedModelTest {
  private static Cifar10Data data;
  @TempDir Path dir;

  @BeforeAll
  static void makeData() {
    data = SyntheticCifar.generate(600, 200, 7);
  }

  private static TrialSpec spec(ModelKind model, List<Integer> hidden, Normalization norm) {
    boolean cnn = model == ModelKind.CNN;
    return new TrialSpec(
        "key-" + model.id() + "-" + norm.id(),
        0,
        0,
        11,
        model,
        hidden,
        cnn ? 4 : 0,
        cnn ? 3 : 0,
        UpdateRule.ADAM,
        1e-3,
        cnn ? 1e-2 : 5e-2,
        1.0,
        norm,
        0.0,
        50,
        2,
        0.95,
        400);
  }

  private Path savedModel(TrialSpec s) throws Exception {
    TrialResult r = TrialRunner.run(s, data, "e", SolverListener.silent());
    assertEquals(TrialStatus.OK, r.status(), r.error());
    Path file = dir.resolve(s.key() + ".npz");
    ModelFiles.write(file, ModelFiles.withRunId(r.modelNpz(), "run-42"));
    return file;
  }

  /** float(pixels) − mean_image for images [first, first + n) of {@code pixels}, as doubles. */
  private static double[][] preprocess(byte[] pixels, int first, int n, double[] mean) {
    int d = Cifar10Data.IMAGE_BYTES;
    double[][] x = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        x[i][j] = (pixels[(first + i) * d + j] & 0xFF) - mean[j];
      }
    }
    return x;
  }

  private static double[][] affine(double[][] x, Tensor w, Tensor b) {
    int in = w.shape()[0];
    int out = w.shape()[1];
    double[] wv = w.toDoubleArray();
    double[] bv = b.toDoubleArray();
    double[][] y = new double[x.length][out];
    for (int i = 0; i < x.length; i++) {
      for (int k = 0; k < out; k++) {
        double s = bv[k];
        for (int j = 0; j < in; j++) {
          s += x[i][j] * wv[j * out + k];
        }
        y[i][k] = s;
      }
    }
    return y;
  }

  /** The README's numpy forward pass for an FC net (none or batchnorm) in test mode. */
  private static int[] predictFc(Npz.Contents m, double[][] x, int layers, double eps) {
    for (int l = 1; l < layers; l++) {
      double[][] h = affine(x, m.tensor("W" + l), m.tensor("b" + l));
      if (m.tensors().containsKey("gamma" + l)) {
        double[] g = m.tensor("gamma" + l).toDoubleArray();
        double[] be = m.tensor("beta" + l).toDoubleArray();
        double[] rm = m.tensor("running_mean" + l).toDoubleArray();
        double[] rv = m.tensor("running_var" + l).toDoubleArray();
        for (double[] row : h) {
          for (int k = 0; k < row.length; k++) {
            row[k] = g[k] * (row[k] - rm[k]) / Math.sqrt(rv[k] + eps) + be[k];
          }
        }
      }
      for (double[] row : h) {
        for (int k = 0; k < row.length; k++) {
          row[k] = Math.max(0, row[k]);
        }
      }
      x = h;
    }
    double[][] scores = affine(x, m.tensor("W" + layers), m.tensor("b" + layers));
    int[] pred = new int[scores.length];
    for (int i = 0; i < scores.length; i++) {
      for (int k = 1; k < scores[i].length; k++) {
        if (scores[i][k] > scores[i][pred[i]]) {
          pred[i] = k;
        }
      }
    }
    return pred;
  }

  private static double accuracy(int[] pred, byte[] labels, int first) {
    int correct = 0;
    for (int i = 0; i < pred.length; i++) {
      correct += pred[i] == (labels[first + i] & 0xFF) ? 1 : 0;
    }
    return (double) correct / pred.length;
  }

  private static double metric(String metricsJson, String name) {
    String k = "\"" + name + "\":";
    int at = metricsJson.indexOf(k) + k.length();
    int end = at;
    while (end < metricsJson.length() && ",}".indexOf(metricsJson.charAt(end)) < 0) {
      end++;
    }
    return Double.parseDouble(metricsJson.substring(at, end));
  }

  @Test
  void fcModelsReproduceTheirRecordedAccuracyFromTheFileAlone() throws Exception {
    for (Normalization norm : List.of(Normalization.NONE, Normalization.BATCHNORM)) {
      TrialSpec s = spec(ModelKind.FC, List.of(30, 20), norm);
      Path file = savedModel(s);
      Npz.Contents m = Npz.read(file); // the project's own reader, no model class
      double[] mean = m.tensor("mean_image").toDoubleArray();
      assertEquals(Cifar10Data.IMAGE_BYTES, mean.length);
      String arch = m.string("architecture");
      assertTrue(arch.contains("\"norm_eps\":1.0E-5"), arch);
      String metrics = m.string("metrics");
      int numTest = Math.min(TrialRunner.NUM_TEST, data.numTest());
      int[] testPred = predictFc(m, preprocess(data.testImages(), 0, numTest, mean), 3, 1e-5);
      // One image of slack: the network ran in float32, this pass in float64 (a near-tie could
      // flip); in practice they agree exactly.
      double slack = 1.0 / numTest + 1e-12;
      assertEquals(
          metric(metrics, "test_acc"), accuracy(testPred, data.testLabels(), 0), slack, arch);
      int numVal = Math.min(TrialRunner.NUM_VAL, data.numTrain() / 5);
      int valFirst = data.numTrain() - numVal;
      int[] valPred = predictFc(m, preprocess(data.trainImages(), valFirst, numVal, mean), 3, 1e-5);
      assertEquals(
          metric(metrics, "val_acc"),
          accuracy(valPred, data.trainLabels(), valFirst),
          1.0 / numVal + 1e-12);
      assertTrue(metric(metrics, "val_acc") > 0.2, "a trained model, not chance: " + metrics);

      ModelFiles.Saved saved = ModelFiles.read(file);
      ModelRecord rec = saved.record();
      assertEquals("run-42", rec.runId());
      assertEquals(s.key(), rec.trialKey());
      assertEquals(1e-3, ((Number) rec.hyperparameters().get("learning_rate")).doubleValue());
      assertEquals("adam", rec.hyperparameters().get("update_rule"));
      assertEquals(norm.id(), rec.hyperparameters().get("normalization"));
      assertEquals(List.of(30L, 20L), rec.hyperparameters().get("hidden_dims"));
      assertEquals(11L, rec.hyperparameters().get("seed"));
      assertEquals(metric(metrics, "test_acc"), rec.metrics().get("test_acc"));
      assertEquals("float(pixels) - mean_image", ModelFilesJson.get(m.string("preprocessing")));
    }
  }

  @Test
  void aConvNetFileStatesItsLayoutAndReproducesItsAccuracyWithTheStoredMean() throws Exception {
    TrialSpec s = spec(ModelKind.CNN, List.of(20), Normalization.NONE);
    Path file = savedModel(s);
    ModelFiles.Saved saved = ModelFiles.read(file);
    String arch = Npz.read(file).string("architecture");
    for (String fact :
        new String[] {
          "\"conv_stride\":1", "\"conv_pad\":1", "\"pool_height\":2", "\"pool_stride\":2"
        }) {
      assertTrue(arch.contains(fact), arch);
    }
    Tensor mean = saved.record().meanImage();
    assertNotNull(mean);
    int numTest = Math.min(TrialRunner.NUM_TEST, data.numTest());
    double[][] x = preprocess(data.testImages(), 0, numTest, mean.toDoubleArray());
    float[] flat = new float[numTest * Cifar10Data.IMAGE_BYTES];
    for (int i = 0; i < numTest; i++) {
      for (int j = 0; j < Cifar10Data.IMAGE_BYTES; j++) {
        flat[i * Cifar10Data.IMAGE_BYTES + j] = (float) x[i][j];
      }
    }
    Classifier model = saved.model();
    int[] pred = model.scores(Tensor.wrap(flat, numTest, 3, 32, 32)).argmaxColumns();
    assertEquals(
        saved.record().metrics().get("test_acc"), accuracy(pred, data.testLabels(), 0), 1e-12);
    assertEquals(DType.FLOAT32, model.dtype());
  }

  /** Reads the {@code x} member of the preprocessing JSON. */
  private static final class ModelFilesJson {
    static String get(String json) {
      String k = "\"x\":\"";
      int at = json.indexOf(k) + k.length();
      return json.substring(at, json.indexOf('"', at));
    }
  }

  @Test
  void aModelWithoutARecordStillLoads() throws Exception {
    TrialResult r =
        TrialRunner.run(
            spec(ModelKind.FC, List.of(10), Normalization.NONE),
            data,
            "e",
            SolverListener.silent());
    Classifier bare = ModelFiles.fromBytes(r.modelNpz());
    Path file = dir.resolve("bare.npz");
    ModelFiles.save(bare, file);
    ModelFiles.Saved saved = ModelFiles.read(file);
    assertEquals(null, saved.record().meanImage());
    assertEquals(Map.of(), saved.record().metrics());
    assertEquals(null, saved.record().runId());
  }
}
