package io.sparksweep.search;

import static io.sparksweep.search.GridValidationTest.assertProblem;
import static io.sparksweep.search.GridValidationTest.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code sampler: random | sobol}: seeded draws, in range, in the same order everywhere. */
class SampledSearchTest {
  private static final String SPACE =
      """
      seed: 7
      sampler: random
      num_samples: 5
      learning_rate: {loguniform: [1e-5, 1e-1]}
      normalization: [none, batchnorm, layernorm]
      batch_size: {int: [50, 200]}
      """;

  private static List<TrialSpec> expand(String yaml) {
    return GridSpec.parse(yaml, "space.yaml").expand(false);
  }

  @Test
  void randomDrawsAreThoseComputedIndependently() {
    // An independent Python re-statement of the documented procedure (SHA-256 seed per draw,
    // SplitMix64, u = (x >>> 11) * 2^-53, exp/log, 4 significant digits, floor(u * n)).
    List<TrialSpec> t = expand(SPACE);
    assertEquals(
        List.of(0.01641, 0.0001055, 0.0037, 6.476e-05, 0.0004416),
        t.stream().map(TrialSpec::learningRate).toList());
    assertEquals(
        List.of(
            Normalization.LAYERNORM,
            Normalization.NONE,
            Normalization.NONE,
            Normalization.LAYERNORM,
            Normalization.BATCHNORM),
        t.stream().map(TrialSpec::normalization).toList());
    assertEquals(List.of(199, 86, 131, 200, 169), t.stream().map(TrialSpec::batchSize).toList());
    assertEquals(List.of(0, 1, 2, 3, 4), t.stream().map(TrialSpec::index).toList());
  }

  @Test
  void theSameFileAndSeedGiveTheSameTrialsAndMoreSamplesExtendThem() {
    assertEquals(expand(SPACE), expand(SPACE));
    List<TrialSpec> more = expand(SPACE.replace("num_samples: 5", "num_samples: 9"));
    assertEquals(9, more.size());
    assertEquals(expand(SPACE), more.subList(0, 5));
    List<TrialSpec> otherSeed = expand(SPACE.replace("seed: 7", "seed: 8"));
    assertNotEquals(
        expand(SPACE).stream().map(TrialSpec::key).toList(),
        otherSeed.stream().map(TrialSpec::key).toList());
    GridSpec spec = GridSpec.parse(SPACE, "space.yaml");
    assertEquals(spec.expand(8, false), otherSeed, "expand(runSeed) draws with that seed");
    assertEquals(Sampler.RANDOM, spec.sampler());
    assertEquals(5, spec.numSamples());
  }

  @Test
  void drawsStayInTheirRangesAndFollowTheirDistributions() {
    for (String sampler : List.of("random", "sobol")) {
      List<TrialSpec> t =
          expand(
              SPACE
                  .replace("num_samples: 5", "num_samples: 2000\nmax_trials: 2000")
                  .replace("random", sampler));
      assertEquals(2000, t.size(), sampler);
      Set<Integer> batches = new HashSet<>();
      int belowMid = 0;
      for (TrialSpec s : t) {
        assertTrue(s.learningRate() >= 1e-5 && s.learningRate() <= 1e-1, s.toString());
        assertTrue(s.batchSize() >= 50 && s.batchSize() <= 200, s.toString());
        batches.add(s.batchSize());
        belowMid += s.learningRate() < 1e-3 ? 1 : 0;
      }
      assertEquals(151, batches.size(), sampler + ": every batch size from 50 to 200 drawn");
      // log-uniform: half the draws below the geometric midpoint 1e-3 (2000 draws: within 5 %).
      assertTrue(Math.abs(belowMid - 1000) < 100, sampler + ": " + belowMid + " below 1e-3");
      Map<Normalization, Long> norms =
          t.stream()
              .collect(Collectors.groupingBy(TrialSpec::normalization, Collectors.counting()));
      assertEquals(3, norms.size(), sampler + ": " + norms);
    }
  }

  @Test
  void sobolSplitsAChoiceExactlyEvenly() {
    List<TrialSpec> t =
        expand(
            """
            sampler: sobol
            num_samples: 64
            update_rule: [sgd, sgd_momentum, rmsprop, adam]
            weight_scale: {loguniform: [1e-3, 1e-1]}
            """);
    Map<String, Long> perRule =
        t.stream()
            .collect(
                Collectors.groupingBy(
                    s -> s.updateRule().toString(), TreeMap::new, Collectors.counting()));
    assertEquals(4, perRule.size(), perRule.toString());
    assertTrue(perRule.values().stream().allMatch(n -> n == 16), perRule.toString());
  }

  @Test
  void aDiscreteSpaceSmallerThanNumSamplesGivesEachPointOnce() {
    List<TrialSpec> t =
        expand(
            """
            sampler: random
            num_samples: 50
            normalization: {choice: [none, batchnorm]}
            hidden_dims: {choice: [100, [100, 100], {width: 50, depth: 3}]}
            """);
    assertEquals(6, t.size());
    assertEquals(6, t.stream().map(TrialSpec::key).distinct().count());
    assertEquals(
        Set.of(List.of(100), List.of(100, 100), List.of(50, 50, 50)),
        t.stream().map(TrialSpec::hiddenDims).collect(Collectors.toSet()));
  }

  @Test
  void choiceInAGridIsTheList() {
    assertEquals(
        expand("normalization: [none, batchnorm]\nbatch_size: [50, 100]\n"),
        expand("normalization: {choice: [none, batchnorm]}\nbatch_size: {choice: [50, 100]}\n"));
  }

  @Test
  void subGridsArePickedThenDrawnFrom() {
    List<TrialSpec> t =
        expand(
            """
            sampler: random
            num_samples: 40
            learning_rate: {loguniform: [1e-4, 1e-2]}
            grids:
              - {model: cnn, num_filters: {int: [8, 32]}, filter_size: [3, 5]}
              - {model: fc, dropout_keep_ratio: {uniform: [0.5, 1]}, normalization: [none, batchnorm]}
            """);
    assertEquals(40, t.size());
    Set<ModelKind> models = new HashSet<>();
    for (TrialSpec s : t) {
      models.add(s.model());
      if (s.model() == ModelKind.CNN) {
        assertTrue(s.numFilters() >= 8 && s.numFilters() <= 32, s.toString());
        assertEquals(1.0, s.dropoutKeepRatio(), s.toString());
      } else {
        assertEquals(0, s.numFilters(), s.toString());
        assertTrue(s.dropoutKeepRatio() >= 0.5 && s.dropoutKeepRatio() <= 1, s.toString());
      }
    }
    assertEquals(Set.of(ModelKind.CNN, ModelKind.FC), models);
  }

  @Test
  void repeatsAndMaxTrialsApplyToSamples() {
    List<TrialSpec> t = expand(SPACE.replace("num_samples: 5", "num_samples: 5\nrepeats: 2"));
    assertEquals(10, t.size());
    assertEquals(t.get(0).key(), t.get(1).key());
    assertNotEquals(t.get(0).seed(), t.get(1).seed());
    GridSpec big =
        GridSpec.parse(SPACE.replace("num_samples: 5", "num_samples: 1001"), "space.yaml");
    GridException e = assertThrows(GridException.class, () -> big.expand(false));
    assertTrue(e.getMessage().contains("1001 samples"), e.getMessage());
    assertEquals(1001, big.expand(true).size());
  }

  @Test
  void aDistributionWithoutASamplerIsRefused() {
    assertProblem(
        only("learning_rate: {loguniform: [1e-5, 1e-1]}\n"),
        1,
        16,
        "sampler",
        "needs a sampler",
        "{loguniform: [1e-5, 1e-1]}");
  }

  @Test
  void samplerSettingsAreChecked() {
    assertProblem(
        only("sampler: randm\nnum_samples: 3\n"),
        1,
        10,
        "sampler",
        "did you mean 'random'?",
        "'randm'");
    assertProblem(only("sampler: sobol\n"), 1, 10, "num_samples", "needs num_samples", "'sobol'");
    assertProblem(
        only("num_samples: 3\n"), 1, 14, "num_samples", "applies only to a sampled search", "3");
    assertProblem(
        only("sampler: random\nnum_samples: 0\n"), 2, 14, "num_samples", "out of range", "0");
  }

  @Test
  void distributionsAreCheckedAgainstTheirAxis() {
    String head = "sampler: random\nnum_samples: 3\n";
    assertProblem(
        only(head + "learning_rate: {loguniform: [0, 1e-1]}\n"),
        3,
        30,
        "learning_rate.loguniform",
        "out of range",
        "0");
    assertProblem(
        only(head + "learning_rate: {uniform: [1e-2, 1e-3]}\n"),
        3,
        26,
        "learning_rate.uniform",
        "lo must be below hi",
        "[1e-2, 1e-3]");
    assertProblem(
        only(head + "batch_size: {uniform: [10, 20]}\n"),
        3,
        13,
        "batch_size",
        "cannot be drawn from uniform",
        "{uniform: [10, 20]}");
    assertProblem(
        only(head + "learning_rate: {int: [1, 3]}\n"),
        3,
        16,
        "learning_rate",
        "cannot be drawn from int",
        "{int: [1, 3]}");
    assertProblem(
        only(head + "normalization: {uniform: [0, 1]}\n"),
        3,
        16,
        "normalization",
        "cannot be drawn from uniform",
        "{uniform: [0, 1]}");
    assertProblem(
        only(head + "model: cnn\nfilter_size: {int: [3, 7]}\n"),
        4,
        14,
        "filter_size.int",
        "the range holds 4",
        "{int: [3, 7]}");
    assertProblem(
        only(head + "batch_size: {int: [1]}\n"),
        3,
        19,
        "batch_size.int",
        "expected {int: [lo, hi]}",
        "[1]");
    assertProblem(
        only(head + "normalization: {choice: none}\n"),
        3,
        25,
        "normalization.choice",
        "expected a list",
        "'none'");
  }

  @Test
  void crossChecksSeeTheRangeOfADistribution() {
    String head = "sampler: random\nnum_samples: 3\n";
    assertProblem(
        only(head + "num_train: 100\nbatch_size: {int: [50, 200]}\n"),
        4,
        13,
        "batch_size",
        "batch size 200 is larger than num_train 100",
        "{int: [50, 200]}");
    assertProblem(
        only(head + "model: cnn\ndropout_keep_ratio: {uniform: [0.5, 1]}\n"),
        4,
        21,
        "dropout_keep_ratio",
        "model cnn has no dropout",
        "{uniform: [0.5, 1]}");
  }
}
