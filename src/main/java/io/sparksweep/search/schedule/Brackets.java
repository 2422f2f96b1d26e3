package io.sparksweep.search.schedule;

import java.util.ArrayList;
import java.util.List;

/**
 * The rung tables of each scheduler, computed once from its {@link SchedulerConfig}.
 *
 * <p>A bracket with parameter s has rungs i = 0 … s at {@code round(R / η^(s − i))} epochs (Li et
 * al.'s {@code r_i = r·η^i} with {@code r = R·η^−s}), so its top rung trains R = {@code
 * max_resource} epochs. Successive halving keeps {@code n_i = max(1, ⌊n / η^i⌋)} trials at rung i
 * (at least one trial always trains the full budget). {@code sha} and {@code asha} run the single
 * bracket {@code s = s_max}; {@code hyperband} runs brackets {@code s = s_max, s_max − 1, …} with
 * {@code n = ⌈(s_max + 1)·η^s / (s + 1)⌉} configurations each (Li et al., JMLR 2018, Algorithm 1,
 * with budget {@code B = (s_max + 1)·R}); {@code fifo} has one rung of R epochs.
 */
public final class Brackets {
  private Brackets() {}

  /**
   * The brackets of {@code config}.
   *
   * @param config the scheduler
   * @param numConfigurations configurations sampled for {@code fifo}, {@code sha} and {@code asha}
   *     (≥ 1); ignored by {@code hyperband}, which sets its own ({@link #configurationsNeeded})
   */
  public static List<Bracket> of(SchedulerConfig config, int numConfigurations) {
    int eta = config.reductionFactor();
    int sMax = config.maxRungIndex();
    int maxR = config.maxResource();
    List<Bracket> out = new ArrayList<>();
    switch (config.type()) {
      case FIFO -> {
        requirePositive(numConfigurations);
        out.add(
            new Bracket(0, 0, 0, numConfigurations, List.of(new Rung(0, maxR, numConfigurations))));
      }
      case SHA -> {
        requirePositive(numConfigurations);
        out.add(halving(0, sMax, 0, numConfigurations, config, true));
      }
      case ASHA -> {
        requirePositive(numConfigurations);
        out.add(halving(0, sMax, 0, numConfigurations, config, false));
      }
      case HYPERBAND -> {
        int first = 0;
        for (int b = 0; b < config.brackets(); b++) {
          int s = sMax - b;
          long n = ceilDiv((sMax + 1) * pow(eta, s), s + 1);
          out.add(halving(b, s, first, Math.toIntExact(n), config, true));
          first += (int) n;
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * The number of configurations a search must sample: {@code numSamples} except for {@code
   * hyperband}, whose brackets fix it (143 for R = 81, η = 3).
   */
  public static int configurationsNeeded(SchedulerConfig config, int numSamples) {
    if (config.type() != SchedulerType.HYPERBAND) {
      return numSamples;
    }
    int total = 0;
    for (Bracket b : of(config, 1)) {
      total += b.configurations();
    }
    return total;
  }

  private static Bracket halving(
      int index, int s, int firstTrial, int n, SchedulerConfig config, boolean bounded) {
    int eta = config.reductionFactor();
    List<Rung> rungs = new ArrayList<>();
    int previous = 0;
    for (int i = 0; i <= s; i++) {
      long epochs = Math.round(config.maxResource() / (double) pow(eta, s - i));
      epochs = Math.max(epochs, Math.max(config.minResource(), previous + 1L));
      int size = bounded ? (int) Math.max(1, n / pow(eta, i)) : -1;
      rungs.add(new Rung(i, (int) epochs, size));
      previous = (int) epochs;
    }
    return new Bracket(index, s, firstTrial, n, rungs);
  }

  private static void requirePositive(int n) {
    if (n < 1) {
      throw new IllegalArgumentException(
          "scheduler: the search must sample at least 1 configuration, got " + n);
    }
  }

  static long pow(int base, int exp) {
    long r = 1;
    for (int i = 0; i < exp; i++) {
      r = Math.multiplyExact(r, base);
    }
    return r;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
