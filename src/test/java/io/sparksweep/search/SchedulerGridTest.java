package io.sparksweep.search;

import static io.sparksweep.search.GridValidationTest.assertProblem;
import static io.sparksweep.search.GridValidationTest.only;
import static io.sparksweep.search.GridValidationTest.refuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The grid file's {@code scheduler:} section: parsed into a {@link SchedulerConfig}, every bad
 * field refused with file:line:col, field, value and what is allowed, and files without it
 * unchanged.
 */
class SchedulerGridTest {
  private static final String SAMPLED =
      "sampler: random\nlearning_rate: {loguniform: [1e-5, 1e-1]}\n"
          + "weight_scale: {loguniform: [1e-3, 1e-1]}\n";

  private static GridSpec parse(String yaml) {
    return GridSpec.parse(yaml, "ok.yaml");
  }

  @Test
  void shaWithASamplerTrainsEveryTrialUpToMaxResource() {
    GridSpec g =
        parse(
            SAMPLED
                + "num_samples: 30\n"
                + "scheduler: {type: sha, resource: epochs, min_resource: 1, max_resource: 27}\n");
    assertEquals(Optional.of(new SchedulerConfig(SchedulerType.SHA, 1, 27, 3, 1)), g.scheduler());
    List<TrialSpec> trials = g.expand(false);
    assertEquals(30, trials.size());
    for (TrialSpec t : trials) {
      assertEquals(27, t.numEpochs(), "num_epochs left out becomes max_resource");
    }
  }

  @Test
  void hyperbandSetsNumSamplesFromItsBrackets() {
    GridSpec g = parse(SAMPLED + "scheduler: {type: hyperband, max_resource: 81}\n");
    SchedulerConfig c = g.scheduler().orElseThrow();
    assertEquals(new SchedulerConfig(SchedulerType.HYPERBAND, 1, 81, 3, 5), c);
    // 81 + 34 + 15 + 8 + 5 (Li et al. 2018, R = 81, η = 3).
    assertEquals(143, g.numSamples());
    assertEquals(143, g.expand(false).size());
    GridSpec two =
        parse(
            SAMPLED
                + "num_samples: 115\nscheduler: {type: hyperband, max_resource: 81,"
                + " brackets: 2}\n");
    assertEquals(2, two.scheduler().orElseThrow().brackets());
    assertEquals(115, two.expand(false).size(), "81 + 34");
  }

  @Test
  void shorthandAndDefaultsFromNumEpochs() {
    GridSpec g = parse("learning_rate: [1e-3, 1e-4, 1e-2]\nnum_epochs: 9\nscheduler: asha\n");
    assertEquals(Optional.of(new SchedulerConfig(SchedulerType.ASHA, 1, 9, 3, 1)), g.scheduler());
    assertEquals(3, g.expand(false).size(), "asha with a grid: every point is a configuration");
    GridSpec eta2 =
        parse("num_epochs: 8\nscheduler: {type: SHA, reduction_factor: 2, max_resource: 8}\n");
    assertEquals(new SchedulerConfig(SchedulerType.SHA, 1, 8, 2, 1), eta2.scheduler().get());
  }

  @Test
  void aScheduledSearchHasTheKeysAndSeedsOfTheSameFileWithNumEpochsMaxResource() {
    String space = "seed: 17\nlearning_rate: [1e-3, 1e-4]\nreg: [0, 0.1]\n";
    List<TrialSpec> plain = parse(space + "num_epochs: 27\n").expand(false);
    List<TrialSpec> scheduled =
        parse(space + "scheduler: {type: sha, max_resource: 27}\n").expand(false);
    assertEquals(plain, scheduled);
    assertEquals(Optional.empty(), parse(space).scheduler(), "no scheduler: none");
  }

  @Test
  void hyperbandWithTheWrongNumSamplesSaysHowManyItNeeds() {
    GridProblem p =
        only(SAMPLED + "num_samples: 100\nscheduler: {type: hyperband, max_resource: 81}\n");
    assertProblem(p, 4, 14, "num_samples", "trains 143 configurations", "100");
    assertTrue(p.message().contains("81 + 34 + 15 + 8 + 5"), p.toString());
    assertTrue(p.allowed().contains("num_samples: 143"), p.toString());
  }

  @Test
  void hyperbandWithAGridIsRefused() {
    GridProblem p =
        only("learning_rate: [1e-3, 1e-4]\nscheduler: {type: hyperband, max_resource: 81}\n");
    assertProblem(p, 2, 19, "scheduler.type", "a grid has its own count", "'hyperband'");
    assertTrue(p.allowed().contains("sampler: random or sobol"), p.toString());
  }

  @Test
  void hyperbandOnASpaceTooSmallIsRefusedWhenExpanded() {
    // R = 9, η = 3: brackets of 9 + 5 + 3 = 17 configurations; the space has 2.
    GridSpec g =
        parse(
            "sampler: random\nlearning_rate: [1e-3, 1e-4]\n"
                + "scheduler: {type: hyperband, max_resource: 9}\n");
    assertEquals(17, g.numSamples());
    GridException e = assertThrows(GridException.class, () -> g.expand(false));
    GridProblem p = e.problems().get(0);
    assertEquals(3, p.line(), p.toString());
    assertEquals(12, p.column(), p.toString());
    assertTrue(p.message().contains("only 2 distinct configurations"), p.toString());
    assertTrue(p.message().contains("need 17"), p.toString());
  }

  @Test
  void numEpochsIsTheFullBudget() {
    assertProblem(
        only("num_epochs: [10, 20]\nscheduler: {type: sha, max_resource: 27}\n"),
        1,
        13,
        "num_epochs",
        "not an axis",
        "[10, 20]");
    GridProblem differs = only("num_epochs: 10\nscheduler: {type: asha, max_resource: 27}\n");
    assertProblem(differs, 1, 13, "num_epochs", "differs from scheduler.max_resource 27", "10");
    assertTrue(differs.allowed().contains("num_epochs: 27"), differs.toString());
    GridProblem missing = only("scheduler: {type: sha}\n");
    assertProblem(missing, 1, 12, "scheduler.max_resource", "missing", "{type: 'sha'}");
    GridProblem subGrids = only("scheduler: sha\ngrids: [{num_epochs: 9}, {num_epochs: 27}]\n");
    assertProblem(subGrids, 2, 39, "grids[1].num_epochs", "different num_epochs", "27");
  }

  @Test
  void eachFieldIsCheckedWithItsPositionAndWhatIsAllowed() {
    assertProblem(
        only("scheduler: {type: hyperbnd, max_resource: 27}\n"),
        1,
        19,
        "scheduler.type",
        "did you mean 'hyperband'?",
        "'hyperbnd'");
    assertProblem(
        only("scheduler: {type: sha, max_resource: 27, reduction_factr: 3}\n"),
        1,
        42,
        "scheduler.reduction_factr",
        "did you mean 'reduction_factor'?",
        "'reduction_factr'");
    assertProblem(
        only("scheduler: {type: sha, max_resource: 27, brackets: 2}\n"),
        1,
        52,
        "scheduler.brackets",
        "hyperband only",
        "2");
    GridProblem six = only("scheduler: {type: hyperband, max_resource: 81, brackets: 6}\n");
    assertProblem(six, 1, 58, "scheduler.brackets", "at most 5 brackets", "6");
    assertEquals("an integer from 1 to 5", six.allowed());
    assertProblem(
        only("scheduler: {type: sha, min_resource: 30, max_resource: 27}\n"),
        1,
        38,
        "scheduler.min_resource",
        "larger than max_resource 27",
        "30");
    assertProblem(
        only("scheduler: {type: sha, resource: iterations, max_resource: 27}\n"),
        1,
        34,
        "scheduler.resource",
        "the only resource is epochs",
        "'iterations'");
    GridProblem oneRung = only("scheduler: {type: sha, min_resource: 10, max_resource: 27}\n");
    assertProblem(oneRung, 1, 19, "scheduler.type", "single rung", "'sha'");
    assertTrue(oneRung.allowed().contains("(30)"), oneRung.toString());
    assertProblem(
        only("scheduler: {type: sha, reduction_factor: 1, max_resource: 27}\n"),
        1,
        42,
        "scheduler.reduction_factor",
        "out of range",
        "1");
    assertProblem(
        only("scheduler: {max_resource: 27}\n"),
        1,
        12,
        "scheduler.type",
        "needs a type",
        "{max_resource: 27}");
    assertProblem(only("scheduler: [sha]\n"), 1, 12, "scheduler", "expected a mapping", "['sha']");
  }

  @Test
  void repeatsAreForFifoOnly() {
    assertProblem(
        only("repeats: 2\nnum_epochs: 9\nscheduler: asha\n"),
        1,
        10,
        "repeats",
        "ranks trials against each other",
        "2");
    GridSpec fifo = parse("repeats: 2\nnum_epochs: 9\nscheduler: fifo\n");
    assertEquals(2, fifo.expand(false).size());
    assertEquals(SchedulerType.FIFO, fifo.scheduler().orElseThrow().type());
  }

  @Test
  void everyProblemOfTheFileComesTogether() {
    GridException e =
        refuse("lerning_rate: 1e-3\nnum_epochs: [1, 2]\nscheduler: {type: sha, max_resource: 3}\n");
    assertEquals(2, e.problems().size(), e.getMessage());
    assertEquals("lerning_rate", e.problems().get(0).field());
    assertEquals("num_epochs", e.problems().get(1).field());
  }
}
