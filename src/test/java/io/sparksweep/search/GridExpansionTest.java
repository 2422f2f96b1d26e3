package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Expansion order, keys, seeds, unions, repeats and the trial limit. */
class GridExpansionTest {
  static List<TrialSpec> expand(String yaml) {
    return GridSpec.parse(yaml, "test.yaml").expand(false);
  }

  @Test
  void emptyGridIsTheNotebookDefaultsWithTheGoldenKey() throws Exception {
    List<TrialSpec> trials = expand("seed: 493\n");
    assertEquals(1, trials.size());
    TrialSpec t = trials.get(0);
    assertEquals(ModelKind.FC, t.model());
    assertEquals(List.of(100, 100), t.hiddenDims());
    assertEquals(UpdateRule.ADAM, t.updateRule());
    assertEquals(1e-3, t.learningRate());
    assertEquals(1e-2, t.weightScale());
    assertEquals(1.0, t.dropoutKeepRatio());
    assertEquals(Normalization.NONE, t.normalization());
    assertEquals(0.0, t.reg());
    assertEquals(100, t.batchSize());
    assertEquals(10, t.numEpochs());
    assertEquals(1.0, t.lrDecay());
    assertEquals(49000, t.numTrain());
    assertEquals(0, t.numFilters());
    assertEquals(0, t.filterSize());
    // Python hashlib over the hand-written canonical string; and recomputed here.
    assertEquals("3f74cd1a437a1423", t.key());
    assertEquals(TrialSpecKeyTest.sha256Key(TrialSpecKeyTest.DEFAULT_CANONICAL), t.key());
    assertEquals(4110362107330897506L, t.seed());
  }

  @Test
  void cnnDefaultsAreTheNotebooks() {
    TrialSpec t = expand("model: cnn\n").get(0);
    assertEquals(List.of(100), t.hiddenDims());
    assertEquals(32, t.numFilters());
    assertEquals(7, t.filterSize());
  }

  @Test
  void orderIsNestedLoopsInAxisOrderLastFastestRepeatsInnermost() {
    // Keys written in another order than the axis order: the axis order decides.
    List<TrialSpec> trials =
        expand(
            "repeats: 2\nbatch_size: [10, 20]\nlearning_rate: [1e-3, 1e-4]\n"
                + "update_rule: [sgd, adam]\n");
    assertEquals(16, trials.size());
    int i = 0;
    for (UpdateRule rule : List.of(UpdateRule.SGD, UpdateRule.ADAM)) {
      for (double lr : new double[] {1e-3, 1e-4}) {
        for (int batch : new int[] {10, 20}) {
          for (int r = 0; r < 2; r++) {
            TrialSpec t = trials.get(i);
            assertEquals(i, t.index());
            assertEquals(rule, t.updateRule());
            assertEquals(lr, t.learningRate());
            assertEquals(batch, t.batchSize());
            assertEquals(r, t.repeat());
            i++;
          }
        }
      }
    }
  }

  @Test
  void repeatsShareTheKeyAndGetDifferentSeeds() throws Exception {
    List<TrialSpec> trials = expand("seed: 493\nrepeats: 3\n");
    assertEquals(3, trials.size());
    Set<Long> seeds = new HashSet<>();
    for (TrialSpec t : trials) {
      assertEquals("3f74cd1a437a1423", t.key());
      assertEquals(TrialSpecKeyTest.sha256Seed(493, t.key(), t.repeat()), t.seed());
      seeds.add(t.seed());
    }
    assertEquals(3, seeds.size());
    assertEquals(309683850884226272L, trials.get(1).seed()); // Python hashlib
  }

  @Test
  void expansionIsTheSameEveryTime() {
    String yaml =
        "seed: 7\nweight_scale: {logspace: [-4, 0, 5]}\nnormalization: [none, layernorm]\n";
    assertEquals(expand(yaml), expand(yaml));
  }

  @Test
  void keysDoNotDependOnSeedPositionOrLayout() {
    GridSpec grid = GridSpec.parse("learning_rate: [1e-2, 1e-3]\nreg: [0, 1e-3]\n", "a.yaml");
    List<TrialSpec> one = grid.expand(1, false);
    List<TrialSpec> two = grid.expand(2, false);
    for (int i = 0; i < one.size(); i++) {
      assertEquals(one.get(i).key(), two.get(i).key());
      assertNotEquals(one.get(i).seed(), two.get(i).seed());
    }
    // The last point alone, written differently, in another file: same key and seed.
    TrialSpec alone =
        GridSpec.parse("reg: 0.001\nlearning_rate: 0.001\nname: other\n", "b.yaml")
            .expand(1, false)
            .get(0);
    assertEquals(3, one.get(3).index());
    assertEquals(0, alone.index());
    assertEquals(one.get(3).key(), alone.key());
    assertEquals(one.get(3).seed(), alone.seed());
  }

  @Test
  void numbersWrittenDifferentlyGiveTheSameKey() {
    String key = expand("learning_rate: 0.001\n").get(0).key();
    assertEquals(key, expand("learning_rate: 1e-3\n").get(0).key());
    assertEquals(key, expand("learning_rate: 1.0E-3\n").get(0).key());
    assertEquals(key, expand("learning_rate: {pow10: -3}\n").get(0).key());
    assertEquals(key, expand("learning_rate: [0.001]\n").get(0).key());
    assertEquals(key, expand("hidden_dims: {width: 100, depth: 2}\n").get(0).key());
    assertEquals(key, expand("normalization: NONE\nreg: -0.0\n").get(0).key());
    assertEquals(key, expand("normalization: null\n").get(0).key());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "model | [fc, cnn]",
        "hidden_dims | [[100], [100, 100], [100, 50]]",
        "update_rule | [sgd, sgd_momentum, rmsprop, adam]",
        "learning_rate | [1e-3, 1.0000000000000002e-3]",
        "weight_scale | [1e-2, 2e-2]",
        "dropout_keep_ratio | [1, 0.5]",
        "normalization | [none, batchnorm, layernorm]",
        "reg | [0, 1e-6]",
        "batch_size | [100, 101]",
        "num_epochs | [10, 11]",
        "lr_decay | [1, 0.95]",
        "num_train | [49000, 48999]",
      })
  void keysDifferWhenAnyHyperparameterDiffers(String axis, String values) {
    List<TrialSpec> trials = expand(axis + ": " + values + "\n");
    Set<String> keys = new HashSet<>();
    trials.forEach(t -> keys.add(t.key()));
    assertTrue(trials.size() >= 2);
    assertEquals(trials.size(), keys.size());
  }

  @Test
  void cnnKeysDependOnFiltersAndFcPointsIgnoreThem() {
    List<TrialSpec> cnn = expand("model: cnn\nnum_filters: [16, 32]\nfilter_size: [3, 7]\n");
    assertEquals(4, new HashSet<>(cnn.stream().map(TrialSpec::key).toList()).size());
    // fc points do not multiply over cnn-only axes: 1 fc point + 2 cnn points.
    List<TrialSpec> mixed =
        expand("model: [fc, cnn]\nnum_filters: [16, 32]\nhidden_dims: [[100]]\n");
    assertEquals(3, mixed.size());
    assertEquals(List.of(0, 16, 32), mixed.stream().map(TrialSpec::numFilters).toList());
    assertEquals(List.of(0, 7, 7), mixed.stream().map(TrialSpec::filterSize).toList());
  }

  @Test
  void subGridsAreUnionedInFileOrderAndOverlapsKeptOnce() {
    List<TrialSpec> trials =
        expand(
            "num_train: 1000\nlearning_rate: 1e-3\ngrids:\n"
                + "  - {normalization: batchnorm, batch_size: [5, 10]}\n"
                + "  - {batch_size: [5, 10], learning_rate: [1e-3, 1e-2]}\n"
                + "  - {normalization: batchnorm, batch_size: 10}\n");
    // grid 0: (bn,5) (bn,10); grid 1: (none,1e-3,5) (none,1e-3,10) (none,1e-2,5) (none,1e-2,10);
    // grid 2 repeats (bn,10) and adds nothing.
    assertEquals(6, trials.size());
    assertEquals(List.of(5, 10, 5, 10, 5, 10), trials.stream().map(TrialSpec::batchSize).toList());
    assertEquals(
        List.of(1e-3, 1e-3, 1e-3, 1e-3, 1e-2, 1e-2),
        trials.stream().map(TrialSpec::learningRate).toList());
    assertEquals(Normalization.BATCHNORM, trials.get(1).normalization());
    assertEquals(Normalization.NONE, trials.get(2).normalization());
    for (TrialSpec t : trials) {
      assertEquals(1000, t.numTrain()); // inherited from the top level
    }
  }

  @Test
  void hiddenDimsForms() {
    assertEquals(List.of(500), expand("hidden_dims: 500\n").get(0).hiddenDims());
    assertEquals(List.of(), expand("hidden_dims: [[]]\n").get(0).hiddenDims());
    assertEquals(
        List.of(List.of(100), List.of(50, 50, 50)),
        expand("hidden_dims: [[100], {width: 50, depth: 3}]\n").stream()
            .map(TrialSpec::hiddenDims)
            .toList());
  }

  @Test
  void rangesMayBeListElements() {
    List<TrialSpec> trials =
        expand("weight_scale: [0.5, {logspace: [-4, -2, 3]}, {linspace: [0.2, 0.3, 2]}]\n");
    assertEquals(
        List.of(0.5, 1e-4, 1e-3, 1e-2, 0.2, 0.3),
        trials.stream().map(TrialSpec::weightScale).toList());
  }

  @Test
  void gridLargerThanMaxTrialsIsRefusedUnlessForced() {
    GridSpec grid =
        GridSpec.parse(
            "max_trials: 10\nrepeats: 2\nlearning_rate: {logspace: [-5, -2, 6]}\n", "big.yaml");
    GridException e = assertThrows(GridException.class, () -> grid.expand(false));
    GridProblem p = e.problems().get(0);
    assertEquals("max_trials", p.field());
    assertEquals(1, p.line());
    assertEquals(13, p.column());
    assertEquals("12", p.value());
    assertTrue(p.message().contains("more than max_trials 10"), p.toString());
    assertTrue(p.message().contains("force"), p.toString());
    assertEquals(12, grid.expand(true).size());
  }

  @Test
  void defaultMaxTrialsIsAThousand() {
    GridSpec grid = GridSpec.parse("reg: {linspace: [0, 1, 1001]}\n", "big.yaml");
    assertEquals(GridSpec.DEFAULT_MAX_TRIALS, grid.maxTrials());
    assertThrows(GridException.class, () -> grid.expand(false));
    assertEquals(1001, grid.expand(true).size());
    assertEquals(
        1000, GridSpec.parse("reg: {linspace: [0, 1, 1000]}\n", "ok.yaml").expand(false).size());
  }

  @Test
  void absurdGridsAreRefusedEvenWhenForced() {
    GridSpec grid =
        GridSpec.parse(
            "learning_rate: {logspace: [-6, 0, 1000]}\nweight_scale: {logspace: [-6, 0, 1000]}\n"
                + "reg: {linspace: [0, 1, 1000]}\n",
            "huge.yaml");
    GridException e = assertThrows(GridException.class, () -> grid.expand(true));
    assertTrue(e.getMessage().contains("even when forced"), e.getMessage());
  }

  @Test
  void settingsAreRead() {
    GridSpec grid =
        GridSpec.parse(
            "name: my-grid\ndescription: |\n  two lines\n  of text\nseed: -12\nmax_trials: 5\n"
                + "repeats: 2\n",
            "dir/file.yaml");
    assertEquals("my-grid", grid.name());
    assertEquals("two lines\nof text", grid.description());
    assertEquals(-12, grid.seed());
    assertEquals(5, grid.maxTrials());
    assertEquals(2, grid.repeats());
    assertEquals("file", GridSpec.parse("{}", "dir/file.yaml").name());
  }
}
