package io.sparksweep.search.schedule;

import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Drives a scheduler without Spark, past this machine: {@code slots} simulated workers, {@code n}
 * configurations with synthetic learning curves, and prints what the driver would see. Simulated
 * time only (no sleeping); the driver-side figures (decisions per second, heap) are real.
 *
 * <p>Curves: configuration i has a final accuracy {@code a_i} (a skewed draw in [0.10, 0.62]), a
 * start of 0.10 and a power-law approach {@code acc(e) = a − (a − 0.1)·(e + 1)^−γ_i} with γ_i in
 * [0.3, 1.5], so slow starters sometimes overtake fast ones; each evaluation adds the binomial
 * noise of a 1,000-image validation set, {@code sd = √(p(1 − p)/1000)}, drawn from a generator
 * keyed by (trial, epoch). Durations: an epoch of configuration i takes {@code 20 s · LogNormal(0,
 * 0.5)} (models of different sizes), every segment adds 3 s (task launch, checkpoint read and
 * write) and a ±10 % jitter.
 *
 * <p>Usage: {@code SchedulerSimulation TYPE SLOTS CONFIGS [MAX_EPOCHS [ETA [SEED]]]}.
 */
public final class SchedulerSimulation {
  private static final double SEGMENT_OVERHEAD = 3.0;

  private record Running(double end, long seq, Segment segment) {}

  private final long seed;

  private SchedulerSimulation(long seed) {
    this.seed = seed;
  }

  private double finalAccuracy(int trial) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + trial);
    double u = r.nextDouble();
    return 0.10 + 0.52 * Math.pow(u, 3); // most configurations are mediocre
  }

  private double gamma(int trial) {
    return 0.3 + 1.2 * new SplittableRandom(seed * 7_777_777L + trial).nextDouble();
  }

  private double epochSeconds(int trial) {
    SplittableRandom r = new SplittableRandom(seed * 31_337L + trial);
    return 20 * Math.exp(0.5 * r.nextGaussian());
  }

  /** Noise-free accuracy after {@code epochs}. */
  double trueAccuracy(int trial, int epochs) {
    double a = finalAccuracy(trial);
    return a - (a - 0.1) * Math.pow(epochs + 1, -gamma(trial));
  }

  double observed(int trial, int epochs) {
    double p = trueAccuracy(trial, epochs);
    SplittableRandom r = new SplittableRandom((seed * 1_000_003L + trial) * 1_009L + epochs);
    double v = p + Math.sqrt(p * (1 - p) / 1000) * r.nextGaussian();
    return Math.round(Math.max(0, Math.min(1, v)) * 1000) / 1000.0;
  }

  public static void main(String[] args) {
    if (args.length < 3) {
      System.err.println(
          "usage: SchedulerSimulation fifo|sha|hyperband|asha SLOTS CONFIGS [MAX_EPOCHS [ETA [SEED]]]");
      System.exit(2);
    }
    SchedulerType type = SchedulerType.parse(args[0]);
    int slots = Integer.parseInt(args[1]);
    int configs = Integer.parseInt(args[2]);
    int maxEpochs = args.length > 3 ? Integer.parseInt(args[3]) : 81;
    int eta = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    long seed = args.length > 5 ? Long.parseLong(args[5]) : 1;
    SchedulerConfig config = SchedulerConfig.of(type, 1, maxEpochs, eta);
    int n = Brackets.configurationsNeeded(config, configs);
    new SchedulerSimulation(seed).run(config, n, slots);
  }

  private void run(SchedulerConfig config, int n, int slots) {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    Scheduler s = Scheduler.create(config, n);
    PriorityQueue<Running> queue =
        new PriorityQueue<>(
            (a, b) -> a.end != b.end ? Double.compare(a.end, b.end) : Long.compare(a.seq, b.seq));
    SplittableRandom jitter = new SplittableRandom(seed);
    double now = 0;
    double busy = 0;
    long seq = 0;
    long schedulerNanos = 0;
    long epochs = 0;
    long segments = 0;
    double bestObserved = -1;
    int bestTrial = -1;
    while (true) {
      while (queue.size() < slots) {
        long t0 = System.nanoTime();
        var next = s.next();
        schedulerNanos += System.nanoTime() - t0;
        if (next.isEmpty()) {
          break;
        }
        Segment g = next.get();
        double d =
            (SEGMENT_OVERHEAD + g.epochs() * epochSeconds(g.trial()))
                * (0.9 + 0.2 * jitter.nextDouble());
        busy += d;
        epochs += g.epochs();
        segments++;
        queue.add(new Running(now + d, seq++, g));
      }
      if (queue.isEmpty()) {
        break;
      }
      Running r = queue.poll();
      now = r.end;
      double metric = observed(r.segment.trial(), r.segment.toEpoch());
      if (r.segment.toEpoch() == config.maxResource() && metric > bestObserved) {
        bestObserved = metric;
        bestTrial = r.segment.trial();
      }
      long t0 = System.nanoTime();
      s.report(r.segment.trial(), r.segment.rung(), metric);
      schedulerNanos += System.nanoTime() - t0;
    }
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    double oracle = 0;
    for (int t = 0; t < n; t++) {
      oracle = Math.max(oracle, trueAccuracy(t, config.maxResource()));
    }
    long decisions = s.decisions().size();
    long logEntries = s.log().size();
    double found = bestTrial < 0 ? Double.NaN : trueAccuracy(bestTrial, config.maxResource());
    System.out.printf(
        Locale.ROOT,
        "%s eta=%d R=%d slots=%d configs=%d | segments=%d epochs=%d (%.1f%% of full budget %d)"
            + " | makespan=%.0f s (%.1f h) slot-utilisation=%.1f%%"
            + " | decisions=%d log=%d scheduler-time=%.0f ms => %.0f decisions/s, %.0f calls/s"
            + " | heap held=%.1f MB"
            + " | best trial %d true final acc %.4f, oracle %.4f, gap %.4f%n",
        config.type().id(),
        config.reductionFactor(),
        config.maxResource(),
        slots,
        n,
        segments,
        epochs,
        100.0 * epochs / ((double) n * config.maxResource()),
        (long) n * config.maxResource(),
        now,
        now / 3600,
        100 * busy / (slots * now),
        decisions,
        logEntries,
        schedulerNanos / 1e6,
        decisions / (schedulerNanos / 1e9),
        (2.0 * segments) / (schedulerNanos / 1e9),
        (heapAfter - heapBefore) / 1e6,
        bestTrial,
        found,
        oracle,
        oracle - found);
    if (s.log().isEmpty()) {
      System.out.println("(empty log)");
    }
  }
}
