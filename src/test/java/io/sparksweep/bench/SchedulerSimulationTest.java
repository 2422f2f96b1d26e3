package io.sparksweep.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import org.junit.jupiter.api.Test;

/**
 * The scheduler simulation: seeded, deterministic, sane figures, the oracle found without noise.
 */
class SchedulerSimulationTest {
  @Test
  void sameSettingsSameSearch() throws InterruptedException {
    for (SchedulerType type : SchedulerType.values()) {
      SchedulerConfig c = SchedulerConfig.of(type, 1, 27);
      SchedulerSimulation.Settings s = SchedulerSimulation.Settings.of(c, 16, 200, 3);
      SchedulerSimulation.Result a = SchedulerSimulation.run(s);
      SchedulerSimulation.Result b = SchedulerSimulation.run(s);
      assertEquals(a.pickedTrial(), b.pickedTrial(), type.id());
      assertEquals(a.epochs(), b.epochs(), type.id());
      assertEquals(a.makespanSeconds(), b.makespanSeconds(), type.id());
      assertEquals(a.decisions(), b.decisions(), type.id());
      assertTrue(a.slotUtilisation() > 0 && a.slotUtilisation() <= 1, type.id() + " " + a);
      assertTrue(a.epochs() <= a.fullBudgetEpochs(), type.id());
      assertTrue(a.pickedTrue() <= a.oracleTrue(), type.id());
      if (type == SchedulerType.FIFO) {
        assertEquals(a.fullBudgetEpochs(), a.epochs(), "fifo trains everything fully");
      }
    }
  }

  @Test
  void withoutNoiseOrCrossingCurvesEveryHalvingSchedulerKeepsTheOracle()
      throws InterruptedException {
    for (SchedulerType type : SchedulerType.values()) {
      SchedulerConfig c = SchedulerConfig.of(type, 1, 27);
      SchedulerSimulation.Result r =
          SchedulerSimulation.run(SchedulerSimulation.Settings.of(c, 8, 300, 11).withCurves(0, 0));
      assertEquals(r.oracleTrial(), r.pickedTrial(), type.id());
      assertEquals(0, r.betterThanPicked(), type.id());
      assertEquals(0.0, r.gap(), 0.0, type.id());
    }
  }

  @Test
  void realisticNoiseMakesThePickWorseSometimesButNeverBetterThanTheOracle()
      throws InterruptedException {
    SchedulerConfig c = SchedulerConfig.of(SchedulerType.ASHA, 1, 27);
    SchedulerSimulation.Result r =
        SchedulerSimulation.run(SchedulerSimulation.Settings.of(c, 32, 2000, 5));
    assertTrue(r.gap() >= 0, r.toString());
    assertTrue(r.budgetFraction() < 0.25, "asha spends a fraction of the full budget: " + r);
  }
}
