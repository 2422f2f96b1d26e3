package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every grid shipped in {@code conf/grids} parses and expands to what its notebook ran. */
class ShippedGridsTest {
  static final Path GRIDS = ProjectFiles.path("conf/grids");

  /** Expected trial counts, from the notebooks' loops. */
  static final Map<String, Integer> COUNTS =
      Map.ofEntries(
          Map.entry("default.yaml", 8),
          Map.entry("notebook-baseline.yaml", 4),
          Map.entry("notebook-improved.yaml", 1),
          Map.entry("weight-scale-sweep.yaml", 40),
          Map.entry("batch-size-batchnorm.yaml", 4),
          Map.entry("batch-size-layernorm.yaml", 4),
          Map.entry("dropout.yaml", 2),
          Map.entry("convnet.yaml", 1),
          Map.entry("baseline-vs-improved.yaml", 6),
          Map.entry("bench-scaling.yaml", 8),
          Map.entry("fc-sampled.yaml", 32),
          Map.entry("fc-budget-full.yaml", 27),
          Map.entry("fc-budget-asha.yaml", 27),
          Map.entry("fc-budget-hyperband.yaml", 39),
          Map.entry("fc-best.yaml", 1),
          Map.entry("conv-best.yaml", 1));

  static List<TrialSpec> expand(String file) {
    return GridSpec.parse(GRIDS.resolve(file)).expand(false);
  }

  static Stream<Path> shippedFiles() throws IOException {
    try (Stream<Path> s = Files.list(GRIDS)) {
      return s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList().stream();
    }
  }

  @Test
  void everyShippedGridHasAnExpectedCount() throws IOException {
    Set<String> files =
        shippedFiles().map(p -> p.getFileName().toString()).collect(Collectors.toSet());
    assertEquals(COUNTS.keySet(), files);
  }

  @ParameterizedTest
  @MethodSource("shippedFiles")
  void parsesAndExpandsToTheExpectedCount(Path file) throws IOException {
    GridSpec grid = GridSpec.parse(file);
    List<TrialSpec> trials = grid.expand(false);
    String fileName = file.getFileName().toString();
    assertEquals(COUNTS.get(fileName), trials.size(), fileName);
    assertEquals(fileName.replace(".yaml", ""), grid.name());
    assertTrue(!grid.description().isEmpty(), "description");
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < trials.size(); i++) {
      assertEquals(i, trials.get(i).index());
      assertTrue(keys.add(trials.get(i).key() + "/" + trials.get(i).repeat()), "unique key");
      assertTrue(trials.get(i).batchSize() <= trials.get(i).numTrain());
    }
    assertTrue(Files.readString(file).startsWith("#"), "the file starts with a comment");
  }

  @Test
  void theBudgetGridsSearchOneSpaceFullyWithAshaAndWithHyperband() {
    List<TrialSpec> full = expand("fc-budget-full.yaml");
    List<TrialSpec> asha = expand("fc-budget-asha.yaml");
    List<TrialSpec> hyperband = expand("fc-budget-hyperband.yaml");
    assertEquals(full, asha, "the same 27 configurations, keys and seeds");
    assertEquals(full, hyperband.subList(0, full.size()), "hyperband's first bracket");
    assertTrue(
        GridSpec.parse(GRIDS.resolve("fc-budget-full.yaml")).scheduler().isEmpty(), "no scheduler");
    assertEquals(
        io.sparksweep.search.schedule.SchedulerType.ASHA,
        GridSpec.parse(GRIDS.resolve("fc-budget-asha.yaml")).scheduler().orElseThrow().type());
    io.sparksweep.search.schedule.SchedulerConfig hb =
        GridSpec.parse(GRIDS.resolve("fc-budget-hyperband.yaml")).scheduler().orElseThrow();
    assertEquals(io.sparksweep.search.schedule.SchedulerType.HYPERBAND, hb.type());
    long planned =
        io.sparksweep.search.schedule.Brackets.of(hb, hyperband.size()).stream()
            .mapToLong(io.sparksweep.search.schedule.Bracket::plannedEpochs)
            .sum();
    long fullEpochs = full.stream().mapToLong(TrialSpec::numEpochs).sum();
    assertTrue(4 * planned <= fullEpochs, planned + " of " + fullEpochs + " epochs");
    Set<String> varied = new HashSet<>();
    for (TrialSpec t : full) {
      assertEquals(27, t.numEpochs());
      varied.add(t.hiddenDims() + " " + t.normalization());
    }
    assertTrue(varied.size() > 3, "hidden sizes and normalization vary: " + varied);
  }

  @Test
  void defaultGridIsSmall() {
    List<TrialSpec> trials = expand("default.yaml");
    assertTrue(trials.size() >= 4 && trials.size() <= 8);
    for (TrialSpec t : trials) {
      assertEquals(ModelKind.FC, t.model());
      assertTrue(t.numTrain() >= 2000 && t.numTrain() <= 5000);
      assertTrue(t.numEpochs() >= 2 && t.numEpochs() <= 3);
    }
  }

  @Test
  void notebookBaselineIsRmspropOverLearningRateThenWeightScale() {
    List<TrialSpec> trials = expand("notebook-baseline.yaml");
    double[][] expected = {{1e-3, 1e-2}, {1e-3, 5e-2}, {5e-4, 1e-2}, {5e-4, 5e-2}};
    for (int i = 0; i < 4; i++) {
      TrialSpec t = trials.get(i);
      assertEquals(expected[i][0], t.learningRate());
      assertEquals(expected[i][1], t.weightScale());
      assertEquals(List.of(100, 100, 100, 100, 100), t.hiddenDims());
      assertEquals(UpdateRule.RMSPROP, t.updateRule());
      assertEquals(5, t.numEpochs());
      assertEquals(100, t.batchSize());
      assertEquals(49000, t.numTrain());
      assertEquals(Normalization.NONE, t.normalization());
      assertEquals(1.0, t.dropoutKeepRatio());
    }
  }

  @Test
  void notebookImprovedIsBatchnormWithDropout() {
    TrialSpec t = expand("notebook-improved.yaml").get(0);
    assertEquals(Normalization.BATCHNORM, t.normalization());
    assertEquals(0.75, t.dropoutKeepRatio());
    assertEquals(UpdateRule.ADAM, t.updateRule());
    assertEquals(1e-3, t.learningRate());
    assertEquals(5e-2, t.weightScale());
    assertEquals(List.of(100, 100, 100, 100, 100), t.hiddenDims());
    assertEquals(25, t.numEpochs());
    assertEquals(100, t.batchSize());
    assertEquals(49000, t.numTrain());
  }

  @Test
  void weightScaleSweepIsNumpyLogspaceTimesBatchnormAndNone() {
    List<TrialSpec> trials = expand("weight-scale-sweep.yaml");
    double[] numpy = { // np.logspace(-4, 0, num=20).tolist()
      0.0001, 0.0001623776739188721, 0.00026366508987303583, 0.00042813323987193956,
      0.0006951927961775605, 0.0011288378916846883, 0.0018329807108324356, 0.002976351441631319,
      0.004832930238571752, 0.007847599703514606, 0.012742749857031334, 0.0206913808111479,
      0.03359818286283781, 0.05455594781168514, 0.08858667904100823, 0.14384498882876628,
      0.23357214690901212, 0.3792690190732246, 0.615848211066026, 1.0
    };
    for (int i = 0; i < 20; i++) {
      TrialSpec bn = trials.get(2 * i);
      TrialSpec none = trials.get(2 * i + 1);
      assertEquals(numpy[i], bn.weightScale(), 2 * Math.ulp(numpy[i]));
      assertEquals(bn.weightScale(), none.weightScale());
      assertEquals(Normalization.BATCHNORM, bn.normalization());
      assertEquals(Normalization.NONE, none.normalization());
      assertEquals(List.of(50, 50, 50, 50, 50, 50, 50), bn.hiddenDims());
      assertEquals(1000, bn.numTrain());
      assertEquals(10, bn.numEpochs());
      assertEquals(50, bn.batchSize());
      assertEquals(UpdateRule.ADAM, bn.updateRule());
      assertEquals(1e-3, bn.learningRate());
    }
  }

  @Test
  void batchSizeGridsAreNormalizedAt5_10_50PlusBaselineAt5() {
    for (String norm : List.of("batchnorm", "layernorm")) {
      List<TrialSpec> trials = expand("batch-size-" + norm + ".yaml");
      Normalization n = Normalization.parse(norm);
      List<Normalization> norms = trials.stream().map(TrialSpec::normalization).toList();
      List<Integer> batches = trials.stream().map(TrialSpec::batchSize).toList();
      assertEquals(List.of(n, n, n, Normalization.NONE), norms);
      assertEquals(List.of(5, 10, 50, 5), batches);
      for (TrialSpec t : trials) {
        assertEquals(0.00031622776601683794, t.learningRate()); // Python 10**(-3.5)
        assertEquals(2e-2, t.weightScale());
        assertEquals(List.of(100, 100, 100, 100, 100), t.hiddenDims());
        assertEquals(1000, t.numTrain());
        assertEquals(10, t.numEpochs());
        assertEquals(UpdateRule.ADAM, t.updateRule());
      }
    }
  }

  @Test
  void batchSizeBatchnormFirstTrialHasTheGoldenKeyAndSeed() {
    TrialSpec t = expand("batch-size-batchnorm.yaml").get(0);
    // Python hashlib over the canonical string written out by hand (see TrialSpecKeyTest).
    assertEquals("1d49de290e9765e4", t.key());
    assertEquals(578931151777571082L, t.seed());
  }

  @Test
  void dropoutGridComparesKeepOneAndAQuarter() {
    List<TrialSpec> trials = expand("dropout.yaml");
    assertEquals(List.of(1.0, 0.25), trials.stream().map(TrialSpec::dropoutKeepRatio).toList());
    for (TrialSpec t : trials) {
      assertEquals(List.of(500), t.hiddenDims());
      assertEquals(500, t.numTrain());
      assertEquals(25, t.numEpochs());
      assertEquals(100, t.batchSize());
      assertEquals(5e-4, t.learningRate());
    }
  }

  @Test
  void convnetIsTheNotebooksThreeLayerConvNet() {
    TrialSpec t = expand("convnet.yaml").get(0);
    assertEquals(ModelKind.CNN, t.model());
    assertEquals(32, t.numFilters());
    assertEquals(7, t.filterSize());
    assertEquals(List.of(500), t.hiddenDims());
    assertEquals(1e-3, t.weightScale());
    assertEquals(1e-3, t.reg());
    assertEquals(1e-3, t.learningRate());
    assertEquals(50, t.batchSize());
    assertEquals(1, t.numEpochs());
    assertEquals("14bee079be0567b9", t.key()); // Python hashlib, see TrialSpecKeyTest
    assertEquals(4659801521942006231L, t.seed());
  }

  @Test
  void benchScalingIsEightEqualTrialsWithDistinctSeeds() {
    List<TrialSpec> trials = expand("bench-scaling.yaml");
    assertEquals(8, trials.size());
    TrialSpec first = trials.get(0);
    Set<Long> seeds = new HashSet<>();
    for (int i = 0; i < 8; i++) {
      TrialSpec t = trials.get(i);
      assertEquals(i, t.repeat());
      assertEquals(first.canonicalString(), t.canonicalString(), "the same work in every trial");
      assertEquals(first.key(), t.key());
      assertTrue(seeds.add(t.seed()), "a distinct seed per repeat");
    }
    assertEquals(ModelKind.FC, first.model());
    assertEquals(List.of(100, 100), first.hiddenDims());
    assertEquals(49000, first.numTrain());
    assertEquals(20, first.numEpochs());
    assertEquals(100, first.batchSize());
  }
}
