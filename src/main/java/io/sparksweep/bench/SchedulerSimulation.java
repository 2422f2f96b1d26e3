package io.sparksweep.bench;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import io.sparksweep.search.AdaptiveDriver;
import io.sparksweep.search.AdaptiveListener;
import io.sparksweep.search.AdaptiveProgress;
import io.sparksweep.search.SegmentExecutor;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialOutcome;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.Brackets;
import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An adaptive search past this machine, by simulation: the real {@link AdaptiveDriver} and
 * scheduler drive {@code slots} simulated workers over {@code configurations} synthetic learning
 * curves, in simulated time (nothing sleeps). What is simulated: the curves, their noise and the
 * segment durations. What is measured for real: the driver's own time per decision and its heap.
 *
 * <p>Curves: configuration i has a final accuracy {@code a_i = 0.10 + 0.52·u³} (u uniform: most
 * configurations are mediocre, a few good) and approaches it as {@code acc(e) = a − (a − 0.1)·(e +
 * 1)^−γ_i}, with γ_i uniform in {@code [γ_0, γ_0 + γ_spread]} so slow starters may overtake fast
 * ones. An observed validation accuracy adds {@code noise} times the binomial noise of a
 * 1,000-image validation set, {@code sd = √(p(1 − p)/1000)}, drawn from a generator keyed by (seed,
 * trial, epoch), and is rounded to 1/1000 as a real one is; with {@code noise = 0} the observation
 * is exact (an infinite validation set). Durations: an epoch of configuration i takes {@code
 * epochSeconds·LogNormal(0, σ)} (models of different sizes), a segment adds {@code overheadSeconds}
 * (task launch, checkpoint read and write) and a ±10% jitter keyed by (trial, rung). Every draw is
 * keyed, so a run depends on its settings only, not on the completion order.
 *
 * <p>The pick: the completed trial (trained to {@code max_resource}) with the best observed final
 * accuracy, as a user would pick it; its true final accuracy is compared with the oracle's, the
 * best true final accuracy of all configurations.
 */
public final class SchedulerSimulation {
  private SchedulerSimulation() {}

  /**
   * What to simulate.
   *
   * @param config the scheduler
   * @param slots simulated workers (segments in flight)
   * @param configurations configurations to sample (hyperband: its own count is used)
   * @param seed seeds every draw
   * @param noise multiple of the 1,000-image binomial noise (1 = realistic, 0 = exact)
   * @param gammaSpread spread of the curves' exponents (0: curves never cross)
   * @param epochSeconds median seconds per epoch
   * @param durationSigma σ of the log-normal epoch durations
   * @param overheadSeconds fixed seconds per segment
   */
  public record Settings(
      SchedulerConfig config,
      int slots,
      int configurations,
      long seed,
      double noise,
      double gammaSpread,
      double epochSeconds,
      double durationSigma,
      double overheadSeconds) {
    /** Realistic defaults: noise 1, γ in [0.3, 1.5], 20 s epochs with σ 0.5, 3 s per segment. */
    public static Settings of(SchedulerConfig config, int slots, int configurations, long seed) {
      return new Settings(config, slots, configurations, seed, 1.0, 1.2, 20, 0.5, 3);
    }

    /** These settings with another noise multiple and exponent spread. */
    public Settings withCurves(double newNoise, double newGammaSpread) {
      return new Settings(
          config,
          slots,
          configurations,
          seed,
          newNoise,
          newGammaSpread,
          epochSeconds,
          durationSigma,
          overheadSeconds);
    }
  }

  /**
   * What a simulated search did.
   *
   * @param settings the settings
   * @param configurations configurations searched
   * @param segments segments run
   * @param epochs epochs trained
   * @param fullBudgetEpochs every configuration to {@code max_resource}
   * @param makespanSeconds simulated wall time of the search
   * @param slotUtilisation busy slot-seconds over {@code slots × makespan}, in [0, 1]
   * @param decisions scheduler decisions
   * @param logEntries scheduler log entries (assignments, reports, decisions)
   * @param driverSeconds real time in the driver and scheduler (the simulated workers' own time
   *     excluded)
   * @param heapBytes heap held by the driver, scheduler and trial specs at the end (after a GC)
   * @param pickedTrial the completed trial with the best observed final accuracy (−1 if none)
   * @param pickedObserved its observed final accuracy
   * @param pickedTrue its true final accuracy
   * @param oracleTrial the configuration with the best true final accuracy
   * @param oracleTrue that accuracy
   * @param betterThanPicked configurations whose true final accuracy beats the pick's
   */
  public record Result(
      Settings settings,
      int configurations,
      long segments,
      long epochs,
      long fullBudgetEpochs,
      double makespanSeconds,
      double slotUtilisation,
      long decisions,
      long logEntries,
      double driverSeconds,
      long heapBytes,
      int pickedTrial,
      double pickedObserved,
      double pickedTrue,
      int oracleTrial,
      double oracleTrue,
      int betterThanPicked) {

    /** Decisions per second of driver time. */
    public double decisionsPerSecond() {
      return decisions / driverSeconds;
    }

    /** Segments (one assignment and one report each) per second of driver time. */
    public double segmentsPerSecond() {
      return segments / driverSeconds;
    }

    /** Epochs trained as a share of the full budget. */
    public double budgetFraction() {
      return (double) epochs / fullBudgetEpochs;
    }

    /** Oracle minus pick, in accuracy. */
    public double gap() {
      return oracleTrue - pickedTrue;
    }
  }

  /** The synthetic curves and durations of one seed. */
  static final class Curves {
    private final Settings s;

    Curves(Settings s) {
      this.s = s;
    }

    double finalAccuracy(int trial) {
      double u = new SplittableRandom(mix(s.seed(), 1, trial)).nextDouble();
      return 0.10 + 0.52 * u * u * u;
    }

    double gamma(int trial) {
      return 0.3 + s.gammaSpread() * new SplittableRandom(mix(s.seed(), 2, trial)).nextDouble();
    }

    /** Noise-free accuracy after {@code epochs}. */
    double trueAccuracy(int trial, int epochs) {
      double a = finalAccuracy(trial);
      return a - (a - 0.1) * Math.pow(epochs + 1, -gamma(trial));
    }

    /** What the validation set shows after {@code epochs}. */
    double observed(int trial, int epochs) {
      double p = trueAccuracy(trial, epochs);
      if (s.noise() == 0) {
        return p;
      }
      double z =
          new SplittableRandom(mix(s.seed(), 3, ((long) trial << 20) + epochs)).nextGaussian();
      double v = p + s.noise() * Math.sqrt(p * (1 - p) / 1000) * z;
      return Math.round(Math.max(0, Math.min(1, v)) * 1000) / 1000.0;
    }

    double seconds(Segment g) {
      double epoch =
          s.epochSeconds()
              * Math.exp(
                  s.durationSigma()
                      * new SplittableRandom(mix(s.seed(), 4, g.trial())).nextGaussian());
      double jitter =
          0.9
              + 0.2
                  * new SplittableRandom(mix(s.seed(), 5, ((long) g.trial() << 8) + g.rung()))
                      .nextDouble();
      return (s.overheadSeconds() + g.epochs() * epoch) * jitter;
    }

    private static long mix(long seed, long stream, long i) {
      long z = seed * 0x9E3779B97F4A7C15L + stream * 0xBF58476D1CE4E5B9L + i * 0x94D049BB133111EBL;
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }
  }

  /** Simulated workers: a segment completes when the driver waits, earliest end first. */
  private static final class Workers implements SegmentExecutor {
    private record Running(
        double end,
        double seconds,
        long seq,
        SegmentTask task,
        CompletableFuture<SegmentResult> f) {}

    private final Curves curves;
    private final PriorityQueue<Running> queue =
        new PriorityQueue<>(
            (a, b) -> a.end != b.end ? Double.compare(a.end, b.end) : Long.compare(a.seq, b.seq));
    private final double[] trialBest;
    private double now;
    private double busy;
    private long seq;
    private long ownNanos;

    Workers(Curves curves, int configurations) {
      this.curves = curves;
      this.trialBest = new double[configurations];
      Arrays.fill(trialBest, Double.NaN);
    }

    @Override
    public CompletionStage<SegmentResult> submit(SegmentTask task) {
      long t0 = System.nanoTime();
      double d = curves.seconds(task.segment());
      busy += d;
      CompletableFuture<SegmentResult> f = new CompletableFuture<>();
      queue.add(new Running(now + d, d, seq++, task, f));
      ownNanos += System.nanoTime() - t0;
      return f;
    }

    @Override
    public void flush() {
      long t0 = System.nanoTime();
      Running r = queue.poll();
      if (r == null) {
        return;
      }
      now = r.end;
      Segment g = r.task.segment();
      double best = trialBest[g.trial()];
      double metric = Double.NaN;
      for (int e = g.fromEpoch() + 1; e <= g.toEpoch(); e++) {
        metric = curves.observed(g.trial(), e);
        best = Double.isNaN(best) ? metric : Math.max(best, metric);
      }
      trialBest[g.trial()] = best;
      SegmentResult result =
          new SegmentResult(
              g, TrialStatus.OK, metric, best, g.toEpoch(), List.of(), null, r.seconds, "sim", 0);
      ownNanos += System.nanoTime() - t0;
      r.f.complete(result); // the driver's handling runs in its own thread later: not counted here
    }
  }

  /** The pick: the best observed final accuracy among completed trials. */
  private static final class Picker implements AdaptiveListener {
    int trial = -1;
    double observed = Double.NEGATIVE_INFINITY;

    @Override
    public void trialFinished(TrialOutcome o) {
      if (o.decision() == Decision.Outcome.COMPLETED
          && o.status() == TrialStatus.OK
          && o.metric() > observed) {
        observed = o.metric();
        trial = o.trial().index();
      }
    }
  }

  /**
   * Runs one simulated search.
   *
   * @param s what to simulate
   * @return what it did
   * @throws InterruptedException never in practice (the simulated workers complete on demand)
   */
  public static Result run(Settings s) throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long heapBefore = rt.totalMemory() - rt.freeMemory();
    int n = Brackets.configurationsNeeded(s.config(), s.configurations());
    List<TrialSpec> trials = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      trials.add(spec(i, s.config().maxResource()));
    }
    Curves curves = new Curves(s);
    Workers workers = new Workers(curves, n);
    Picker picker = new Picker();
    AdaptiveDriver driver = new AdaptiveDriver(s.config(), trials, workers, s.slots(), picker);
    long t0 = System.nanoTime();
    AdaptiveProgress end = driver.run();
    long total = System.nanoTime() - t0;
    System.gc();
    long heapAfter = rt.totalMemory() - rt.freeMemory();
    long decisions = driver.decisions().size();
    long logEntries = driver.log().size();
    double oracle = Double.NEGATIVE_INFINITY;
    int oracleTrial = -1;
    double[] finals = new double[n];
    for (int t = 0; t < n; t++) {
      finals[t] = curves.trueAccuracy(t, s.config().maxResource());
      if (finals[t] > oracle) {
        oracle = finals[t];
        oracleTrial = t;
      }
    }
    double picked = picker.trial < 0 ? Double.NaN : finals[picker.trial];
    int better = 0;
    for (double f : finals) {
      if (f > picked) {
        better++;
      }
    }
    return new Result(
        s,
        n,
        end.segmentsFinished(),
        end.epochsSpent(),
        end.fullBudgetEpochs(),
        workers.now,
        workers.now == 0 ? 0 : Math.min(1, workers.busy / (s.slots() * workers.now)),
        decisions,
        logEntries,
        Math.max(1e-9, (total - workers.ownNanos) / 1e9),
        Math.max(0, heapAfter - heapBefore),
        picker.trial,
        picker.trial < 0 ? Double.NaN : picker.observed,
        picked,
        oracleTrial,
        oracle,
        better);
  }

  private static TrialSpec spec(int i, int epochs) {
    return new TrialSpec(
        "sim" + i,
        i,
        0,
        i,
        ModelKind.FC,
        List.of(100),
        0,
        0,
        UpdateRule.ADAM,
        1e-3,
        1e-2,
        1.0,
        Normalization.NONE,
        0,
        100,
        epochs,
        1.0,
        1000);
  }
}
