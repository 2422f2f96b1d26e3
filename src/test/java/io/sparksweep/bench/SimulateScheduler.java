package io.sparksweep.bench;

import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import java.util.Locale;

/**
 * Runs {@link SchedulerSimulation} and prints its figures (test scope: {@code bench} prints nothing
 * itself). Usage: {@code SimulateScheduler TYPE SLOTS CONFIGS [MAX_EPOCHS [ETA [SEED [NOISE]]]]}.
 */
public final class SimulateScheduler {
  private SimulateScheduler() {}

  public static void main(String[] args) throws InterruptedException {
    SchedulerType type = SchedulerType.parse(args[0]);
    int slots = Integer.parseInt(args[1]);
    int configs = Integer.parseInt(args[2]);
    int maxEpochs = args.length > 3 ? Integer.parseInt(args[3]) : 81;
    int eta = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
    double noise = args.length > 6 ? Double.parseDouble(args[6]) : 1;
    SchedulerConfig c = SchedulerConfig.of(type, 1, maxEpochs, eta);
    SchedulerSimulation.Result r =
        SchedulerSimulation.run(
            SchedulerSimulation.Settings.of(c, slots, configs, seed).withCurves(noise, 1.2));
    System.out.printf(
        Locale.ROOT,
        "%s eta=%d R=%d slots=%d configs=%d noise=%.1f | segments=%d epochs=%d (%.2f%% of %d)"
            + " | makespan %.1f h, slot utilisation %.1f%% | decisions=%d log=%d driver %.2f s"
            + " => %.0f decisions/s, %.0f segments/s | heap held %.1f MB"
            + " | pick %d true %.4f (observed %.3f), oracle %d %.4f, gap %.4f, %d better%n",
        type.id(),
        eta,
        maxEpochs,
        slots,
        r.configurations(),
        noise,
        r.segments(),
        r.epochs(),
        100 * r.budgetFraction(),
        r.fullBudgetEpochs(),
        r.makespanSeconds() / 3600,
        100 * r.slotUtilisation(),
        r.decisions(),
        r.logEntries(),
        r.driverSeconds(),
        r.decisionsPerSecond(),
        r.segmentsPerSecond(),
        r.heapBytes() / 1e6,
        r.pickedTrial(),
        r.pickedTrue(),
        r.pickedObserved(),
        r.oracleTrial(),
        r.oracleTrue(),
        r.gap(),
        r.betterThanPicked());
  }
}
