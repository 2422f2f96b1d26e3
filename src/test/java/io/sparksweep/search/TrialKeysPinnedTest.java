package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparksweep.ProjectFiles;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Pins every trial's key and seed of the shipped grids, and of two grids that vary every axis, to
 * the values computed by the code before the one-trial-schema refactor (commit 42c63b6, run from
 * its compiled classes): a digest of all {@code key:repeat:seed} lines, in expansion order. A
 * change to the schema that moved any key or seed fails here.
 */
class TrialKeysPinnedTest {
  static final String EVERY_FC_AXIS =
      "seed: -42\nrepeats: 2\nmax_trials: 100000\nhidden_dims: [[], [7], {width: 13, depth: 3}]\nupdate_rule: [sgd, sgd_momentum, rmsprop, adam]\nlearning_rate: [{pow10: -3.5}, 0.1]\nweight_scale: {logspace: [-4, 0, 3]}\ndropout_keep_ratio: [1, 0.3]\nnormalization: [null, batchnorm, layernorm]\nreg: [0, 1e-5]\nbatch_size: [5, 64]\nnum_epochs: [1, 3]\nlr_decay: [1, 0.95]\nnum_train: [64, 49000]\n";
  static final String EVERY_CNN_AXIS =
      "seed: 7\nmodel: cnn\nhidden_dims: [[500], [100]]\nnum_filters: [16, 32]\nfilter_size: [3, 7]\nupdate_rule: [adam, sgd]\nlearning_rate: {linspace: [0.001, 0.003, 3]}\nreg: 0.001\nbatch_size: 50\nnum_epochs: 1\n";

  static String digest(List<TrialSpec> trials) throws Exception {
    StringBuilder b = new StringBuilder();
    for (TrialSpec s : trials) {
      b.append(s.key()).append(':').append(s.repeat()).append(':').append(s.seed()).append('\n');
    }
    byte[] d =
        MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d).substring(0, 16);
  }

  @ParameterizedTest
  @CsvSource({
    "baseline-vs-improved.yaml, 6, 2aca4c93eb964688",
    "batch-size-batchnorm.yaml, 4, a8fb0eb89a9f4905",
    "batch-size-layernorm.yaml, 4, 8af23e57ca886de9",
    "bench-scaling.yaml, 8, 53d55837de9bfca0",
    "convnet.yaml, 1, 0a92bce6a61148f7",
    "default.yaml, 8, 8f79b2302cfd0281",
    "dropout.yaml, 2, 31551022e49e7df6",
    "notebook-baseline.yaml, 4, ce918c2ec96c4570",
    "notebook-improved.yaml, 1, 02c907e35e32c808",
    "weight-scale-sweep.yaml, 40, ca103581e1001f15"
  })
  void shippedGridsKeepTheirKeysAndSeeds(String file, int trials, String digest) throws Exception {
    List<TrialSpec> t = GridSpec.parse(ProjectFiles.path("conf/grids").resolve(file)).expand(true);
    assertEquals(trials, t.size());
    assertEquals(digest, digest(t), file);
  }

  @Test
  void everyFcAxisKeepsItsKeysAndSeeds() throws Exception {
    List<TrialSpec> t = GridSpec.parse(EVERY_FC_AXIS, "fc.yaml").expand(true);
    assertEquals(27648, t.size());
    assertEquals("633a54720520680b", digest(t));
    assertEquals(
        "model=fc;hidden_dims=[];num_filters=0;filter_size=0;update_rule=sgd;learning_rate=0.00031622776601683794;weight_scale=0.0001;dropout_keep_ratio=1;normalization=none;reg=0;batch_size=5;num_epochs=1;lr_decay=1;num_train=64",
        t.get(1).canonicalString());
    assertEquals("30945951e7201e7a", t.get(1).key());
  }

  @Test
  void everyCnnAxisKeepsItsKeysAndSeeds() throws Exception {
    List<TrialSpec> t = GridSpec.parse(EVERY_CNN_AXIS, "cnn.yaml").expand(true);
    assertEquals(48, t.size());
    assertEquals("379666695edbf9be", digest(t));
    assertEquals(
        "model=cnn;hidden_dims=[500];num_filters=16;filter_size=3;update_rule=adam;learning_rate=0.002;weight_scale=0.01;dropout_keep_ratio=1;normalization=none;reg=0.001;batch_size=50;num_epochs=1;lr_decay=1;num_train=49000",
        t.get(1).canonicalString());
    assertEquals("94b5ffdfd037b98a", t.get(1).key());
  }
}
