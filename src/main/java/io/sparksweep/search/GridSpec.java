package io.sparksweep.search;

import io.sparksweep.model.ModelKind;
import io.sparksweep.search.schedule.Brackets;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import io.sparksweep.tensor.SplitMix64;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated grid file: a set of hyperparameter points to train, with the run's seed and limits.
 * {@link #parse(Path)} reads and checks the whole file, and throws one {@link GridException}
 * listing every problem; {@link #expand(boolean)} turns it into {@link TrialSpec}s.
 *
 * <h2>Format (YAML 1.2)</h2>
 *
 * <pre>{@code
 * name: weight-scale-sweep        # optional; default: the file name without extension
 * description: ...                # optional text
 * seed: 493                       # run seed (64-bit integer); default 0
 * max_trials: 1000                # refuse larger grids unless forced; default 1000
 * repeats: 1                      # seeds per grid point; default 1
 * hidden_dims: {width: 50, depth: 7}
 * num_train: 1000
 * weight_scale: {logspace: [-4, 0, 20]}
 * normalization: [batchnorm, none]
 * }</pre>
 *
 * <p>Axes (the {@link GridAxis} keys), each with its default (the notebooks'): {@code model} {@code
 * fc} ({@code fc} = FullyConnectedNet or {@code cnn} = ThreeLayerConvNet); {@code hidden_dims}
 * {@code [100, 100]} for fc, {@code [100]} for cnn (its one hidden affine layer); {@code
 * num_filters} 32 and {@code filter_size} 7 (odd, at most 31), cnn only; {@code update_rule} {@code
 * adam} ({@code sgd}, {@code sgd_momentum}, {@code rmsprop}, {@code adam}); {@code learning_rate}
 * 1e-3 (&gt; 0); {@code weight_scale} 1e-2 (&gt; 0); {@code dropout_keep_ratio} 1 (in (0, 1]; fc
 * only); {@code normalization} {@code none} ({@code batchnorm}, {@code layernorm}; YAML {@code
 * null} reads as {@code none}; fc only); {@code reg} 0 (&ge; 0); {@code batch_size} 100 (&ge; 1 and
 * &le; {@code num_train}); {@code num_epochs} 10 (&ge; 1); {@code lr_decay} 1 (&gt; 0); {@code
 * num_train} 49000 (1 to 49000, the notebooks' training split).
 *
 * <p>An axis is one value or a list of values (a one-value list is the same as the value). A real
 * axis value may also be {@code {pow10: e}} (10<sup>e</sup>, e.g. {@code {pow10: -3.5}}), {@code
 * {logspace: [start, stop, num]}} or {@code {linspace: [start, stop, num]}} with numpy's semantics
 * ({@code np.logspace}: 10 to the power of {@code np.linspace(start, stop, num)}, both ends
 * included); ranges may also be list elements, where they are spliced in. {@code hidden_dims}'
 * value is a list of sizes ({@code [100, 100]}), a single size ({@code 500} = {@code [500]}) or
 * {@code {width: 50, depth: 7}} (= {@code [50] * 7}); {@code [[]]} is an fc net without hidden
 * layers (a softmax classifier); a list of such values ({@code [[100], [100, 100]]}) is an axis.
 * Numbers must be unquoted; a value may appear once per axis; names match case-insensitively.
 *
 * <p>Unions: a top-level {@code grids:} list of sub-grids replaces the single grid by the union of
 * the sub-grids. Each sub-grid is a mapping of axes only; an axis it leaves out takes the top-level
 * setting, else the default. For example {@code grids: [{normalization: batchnorm, batch_size: [5,
 * 10, 50]}, {normalization: none, batch_size: 5}]} gives 4 points.
 *
 * <h2>Sampled search spaces</h2>
 *
 * <pre>{@code
 * sampler: random                 # grid (default) | random | sobol
 * num_samples: 60                 # configurations to draw (required with a sampler)
 * learning_rate: {loguniform: [1e-5, 1e-2]}
 * weight_scale: {loguniform: [1e-3, 1e-1]}
 * dropout_keep_ratio: {uniform: [0.5, 1]}
 * batch_size: {int: [50, 200]}
 * normalization: {choice: [none, batchnorm, layernorm]}   # = [none, batchnorm, layernorm]
 * hidden_dims: {choice: [[100], [100, 100], 500]}
 * }</pre>
 *
 * With {@code sampler: random} or {@code sobol}, {@code num_samples} configurations are drawn
 * instead of every point: a distribution ({@code {uniform: [lo, hi]}} and {@code {loguniform: [lo,
 * hi]}} on real axes, {@code {int: [lo, hi]}} on integer ones, both ends included; see {@link
 * Distribution}) is drawn from, and a list (or {@code {choice: [...]}}) is picked from uniformly;
 * with several sub-grids, the sub-grid is picked first. Draws are seeded by the run seed, so the
 * same file and seed give the same configurations in the same order on any machine, and the first N
 * of a larger {@code num_samples} are the N of a smaller one (for {@code random}). Distributions
 * without a sampler, and {@code num_samples} without one, are refused. {@code repeats} repeats each
 * drawn configuration. Keys and seeds are derived as for a grid, from the hyperparameters.
 *
 * <h2>Adaptive schedulers</h2>
 *
 * <pre>{@code
 * scheduler:
 *   type: hyperband               # fifo | sha | hyperband | asha (or the shorthand scheduler: asha)
 *   resource: epochs              # the only resource (optional)
 *   min_resource: 1               # epochs of the lowest rung; default 1
 *   max_resource: 81              # epochs of a trial that is never stopped; default: num_epochs
 *   reduction_factor: 3           # η; default 3
 *   brackets: 5                   # hyperband only; default (and most) s_max + 1
 * }</pre>
 *
 * A top-level {@code scheduler} trains trials in segments from rung to rung and stops the worse
 * ones early ({@link SchedulerConfig}, {@link Brackets}). Its {@code max_resource} is every trial's
 * {@code num_epochs}: {@code num_epochs} may be left out (it becomes {@code max_resource}) or set
 * to that one value, never an axis; without {@code max_resource}, one {@code num_epochs} value is
 * the budget. {@code sha}, {@code asha} and {@code hyperband} need at least two rungs ({@code
 * max_resource ≥ min_resource·η}) and {@code repeats: 1}. {@code hyperband} fixes the number of
 * configurations from its brackets (143 for R = 81, η = 3): it needs a sampler ({@code random} or
 * {@code sobol}) and takes {@code num_samples} equal to that number, or sets it when left out. A
 * file without {@code scheduler} keeps its meaning, trials, keys and seeds; with one, keys and
 * seeds are derived as always (with {@code num_epochs = max_resource}).
 *
 * <h2>Validation</h2>
 *
 * Every problem is reported with file, line:column, field, bad value and what is allowed: YAML
 * syntax, unknown keys (with "did you mean …?"), duplicate keys or values, wrong types, values out
 * of range, empty axes, and per (sub-)grid: {@code batch_size > num_train}, {@code num_filters} or
 * {@code filter_size} without {@code model: cnn}, and cnn with normalization, dropout or more than
 * one hidden size. The trial count is checked against {@code max_trials} by {@link #expand}.
 *
 * <h2>Expansion order, keys and seeds</h2>
 *
 * {@link #expand} walks the (sub-)grids in file order; within one, nested loops over the axes in
 * {@link GridAxis} order ({@code model}, {@code hidden_dims}, {@code num_filters}, {@code
 * filter_size}, {@code update_rule}, {@code learning_rate}, {@code weight_scale}, {@code
 * dropout_keep_ratio}, {@code normalization}, {@code reg}, {@code batch_size}, {@code num_epochs},
 * {@code lr_decay}, {@code num_train}), the last fastest, each axis's values in file order; the
 * repeats of a point ({@code 0 … repeats-1}) are innermost. For {@code fc} points {@code
 * num_filters} and {@code filter_size} are set to 0. A point equal to an earlier one (same {@link
 * TrialSpec#canonicalString()}; sub-grids may overlap) is kept only at its first position. {@code
 * index} counts the resulting trials from 0. Each trial's key is {@link TrialSpec#keyOf} of its
 * canonical string (hyperparameters only) and its seed {@link TrialSpec#deriveSeed}(run seed, key,
 * repeat), so both are the same in every run and JVM, whatever the file's layout.
 */
public final class GridSpec {
  /** {@code max_trials} when the file does not set it. */
  public static final int DEFAULT_MAX_TRIALS = 1000;

  /** The largest grid expanded at all, even when forced (and the largest {@code max_trials}). */
  public static final int HARD_LIMIT = 1_000_000;

  /** Images in the notebooks' training split (50,000 minus 1,000 for validation). */
  public static final int MAX_NUM_TRAIN = 49_000;

  /** The run seed when the file does not set one. */
  public static final long DEFAULT_SEED = 0;

  /** The notebooks' batch size, the default of {@code batch_size}. */
  public static final int DEFAULT_BATCH_SIZE = 100;

  private static final Map<GridAxis, List<Object>> DEFAULTS = new EnumMap<>(GridAxis.class);

  static {
    for (GridAxis a : GridAxis.values()) {
      // hidden_dims' default depends on the model: null here, filled in by point().
      DEFAULTS.put(
          a,
          a == GridAxis.HIDDEN_DIMS ? Collections.singletonList(null) : List.of(a.defaultValue()));
    }
  }

  private final String file;
  private final String name;
  private final String description;
  private final long seed;
  private final int maxTrials;
  private final int repeats;
  private final Sampler sampler;
  private final int numSamples;
  private final int maxTrialsLine;
  private final int maxTrialsColumn;
  private final List<Map<GridAxis, List<Object>>> grids;
  private final SchedulerConfig scheduler;
  private final int schedulerLine;
  private final int schedulerColumn;

  GridSpec(
      String file,
      String name,
      String description,
      long seed,
      int maxTrials,
      int repeats,
      Sampler sampler,
      int numSamples,
      int maxTrialsLine,
      int maxTrialsColumn,
      List<Map<GridAxis, List<Object>>> grids,
      SchedulerConfig scheduler,
      int schedulerLine,
      int schedulerColumn) {
    this.file = file;
    this.name = name;
    this.description = description;
    this.seed = seed;
    this.maxTrials = maxTrials;
    this.repeats = repeats;
    this.sampler = sampler;
    this.numSamples = numSamples;
    this.maxTrialsLine = maxTrialsLine;
    this.maxTrialsColumn = maxTrialsColumn;
    this.grids = List.copyOf(grids);
    this.scheduler = scheduler;
    this.schedulerLine = schedulerLine;
    this.schedulerColumn = schedulerColumn;
  }

  /**
   * Reads and validates a grid file (UTF-8).
   *
   * @param file the grid file; problems name it as given
   * @return the validated grid
   * @throws GridException listing every problem, or that the file cannot be read
   */
  public static GridSpec parse(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new GridParser(file.toString()).unreadable("no such file");
    } catch (CharacterCodingException e) {
      throw new GridParser(file.toString()).unreadable("not UTF-8 text");
    } catch (IOException e) {
      throw new GridParser(file.toString()).unreadable("cannot read the file: " + e);
    }
    return parse(text, file.toString());
  }

  /**
   * Validates a grid given as text.
   *
   * @param yaml the grid file's contents
   * @param fileName the name used in problems and for the default {@code name}
   * @return the validated grid
   * @throws GridException listing every problem
   */
  public static GridSpec parse(String yaml, String fileName) {
    return new GridParser(fileName).parse(yaml);
  }

  /**
   * One configuration given as text per axis, such as the {@code train} command's options, checked
   * by the grid validator: the same rules, messages and defaults as a grid file that sets exactly
   * these axes to these values (each text as the file's plain scalar would be read; {@code
   * hidden_dims} as sizes separated by commas, blank for none). Cross-axis checks apply as in a
   * file: {@code batch_size <= num_train}, {@code num_filters}/{@code filter_size} only with {@code
   * model: cnn}, and no normalization, dropout or second hidden size with cnn; an unset {@code
   * hidden_dims} is {@code [100, 100]} for fc and {@code [100]} for cnn.
   *
   * @param source names the configuration in the problems' {@link GridProblem#file()}
   * @param values the text of each axis that is set
   * @return the one trial: its key as in a grid, index 0, repeat 0, its seed derived from run seed
   *     {@value #DEFAULT_SEED}
   * @throws GridException listing every problem; each has line 0 and the axis id as its field
   *     ({@code hidden_dims[1]} for the second size)
   */
  public static TrialSpec point(String source, Map<GridAxis, String> values) {
    List<TrialSpec> trials = new GridParser(source).parseSettings(values).expand(false);
    if (trials.size() != 1) {
      throw new IllegalStateException("one setting per axis gave " + trials.size() + " trials");
    }
    return trials.get(0);
  }

  /** The file as named to the parser. */
  public String file() {
    return file;
  }

  /** The grid's name: {@code name}, else the file name without extension. */
  public String name() {
    return name;
  }

  /** {@code description}, or the empty string. */
  public String description() {
    return description;
  }

  /** The run seed ({@code seed}). */
  public long seed() {
    return seed;
  }

  /** The most trials {@link #expand} returns unless forced. */
  public int maxTrials() {
    return maxTrials;
  }

  /** Seeds per grid point. */
  public int repeats() {
    return repeats;
  }

  /** How the space becomes trials ({@code sampler}; {@link Sampler#GRID} by default). */
  public Sampler sampler() {
    return sampler;
  }

  /** Configurations a sampler draws ({@code num_samples}); 0 for a grid. */
  public int numSamples() {
    return numSamples;
  }

  /**
   * The file's {@code scheduler}, validated; empty when it has none (every trial trains its own
   * {@code num_epochs} in one go, as grids always have).
   */
  public Optional<SchedulerConfig> scheduler() {
    return Optional.ofNullable(scheduler);
  }

  /**
   * The trials of this grid, seeded by the file's {@code seed}.
   *
   * @param force expand even when there are more than {@link #maxTrials()} trials
   * @return the trials in the documented order
   * @throws GridException when there are more than {@code max_trials} trials and not forced, or
   *     more than {@link #HARD_LIMIT}
   */
  public List<TrialSpec> expand(boolean force) {
    return expand(seed, force);
  }

  /**
   * The trials of this grid with another run seed (keys do not change; seeds do).
   *
   * @param runSeed the run seed
   * @param force expand even when there are more than {@link #maxTrials()} trials
   * @return the trials in the documented order
   * @throws GridException when there are more than {@code max_trials} trials and not forced, or
   *     more than {@link #HARD_LIMIT}
   */
  public List<TrialSpec> expand(long runSeed, boolean force) {
    List<TrialSpec> trials =
        sampler != Sampler.GRID ? sample(runSeed, force) : expandGrid(runSeed, force);
    if (scheduler != null && scheduler.type() == SchedulerType.HYPERBAND) {
      int need = Brackets.configurationsNeeded(scheduler, trials.size());
      if (trials.size() != need) {
        throw new GridException(
            file,
            List.of(
                new GridProblem(
                    file,
                    schedulerLine,
                    schedulerColumn,
                    "scheduler",
                    "the space has only "
                        + trials.size()
                        + " distinct configurations; hyperband's brackets need "
                        + need,
                    String.valueOf(trials.size()),
                    "a space with at least " + need + " configurations, or fewer brackets")));
      }
    }
    return trials;
  }

  private List<TrialSpec> expandGrid(long runSeed, boolean force) {
    long upperBound = 0;
    for (Map<GridAxis, List<Object>> grid : grids) {
      long points = 1;
      for (GridAxis a : GridAxis.values()) {
        points = saturatingMultiply(points, grid.getOrDefault(a, DEFAULTS.get(a)).size());
      }
      upperBound = saturatingAdd(upperBound, points);
    }
    upperBound = saturatingMultiply(upperBound, repeats);
    if (upperBound > HARD_LIMIT) {
      throw tooLarge(
          upperBound,
          "the grid has up to " + upperBound + " trials, too many to expand even when forced",
          "at most " + HARD_LIMIT + " trials");
    }
    Map<String, TrialSpec> points = new LinkedHashMap<>();
    for (Map<GridAxis, List<Object>> grid : grids) {
      addPoints(grid, points);
    }
    long trials = (long) points.size() * repeats;
    if (trials > maxTrials && !force) {
      throw tooLarge(
          trials,
          "the grid expands to "
              + trials
              + " trials ("
              + points.size()
              + " points x "
              + repeats
              + " repeats), more than max_trials "
              + maxTrials
              + "; raise max_trials or force the run",
          "at most " + maxTrials + " trials unless forced");
    }
    return withRepeats(points.values(), runSeed);
  }

  /**
   * {@code num_samples} distinct configurations drawn from the space: draw i takes coordinate
   * u<sub>d</sub> in [0, 1) for each dimension d — the sub-grid (when there are several), then each
   * axis that varies somewhere, in {@link GridAxis} order — from point i of the seeded Sobol
   * sequence, or from a {@link SplitMix64} seeded by {@link TrialSpec#deriveSeed}(run seed, {@code
   * "sample"}, i). A listed axis takes value ⌊u·n⌋ of its n values, a distribution its quantile u.
   * A draw equal to an earlier one is skipped, and draws go on (at most 100 per sample) until there
   * are {@code num_samples}, so a discrete space smaller than that gives all its points.
   */
  private List<TrialSpec> sample(long runSeed, boolean force) {
    long trials = (long) numSamples * repeats;
    if (trials > maxTrials && !force) {
      throw tooLarge(
          trials,
          "the search draws "
              + trials
              + " trials ("
              + numSamples
              + " samples x "
              + repeats
              + " repeats), more than max_trials "
              + maxTrials
              + "; raise max_trials or force the run",
          "at most " + maxTrials + " trials unless forced");
    }
    if (trials > HARD_LIMIT) {
      throw tooLarge(
          trials,
          "the search draws " + trials + " trials, too many even when forced",
          "at most " + HARD_LIMIT + " trials");
    }
    List<GridAxis> varied = new ArrayList<>();
    for (GridAxis a : GridAxis.values()) {
      for (Map<GridAxis, List<Object>> grid : grids) {
        List<Object> values = grid.getOrDefault(a, DEFAULTS.get(a));
        if (values.size() > 1 || values.get(0) instanceof Distribution) {
          varied.add(a);
          break;
        }
      }
    }
    int dimensions = (grids.size() > 1 ? 1 : 0) + varied.size();
    Sobol sobol =
        sampler == Sampler.SOBOL && dimensions > 0
            ? new Sobol(dimensions, TrialSpec.deriveSeed(runSeed, "sobol", 0))
            : null;
    Map<String, TrialSpec> points = new LinkedHashMap<>();
    long maxDraws = 100L * numSamples;
    for (long i = 0; points.size() < numSamples && i < maxDraws; i++) {
      double[] u = sobol != null ? sobol.point(i) : uniforms(runSeed, i, dimensions);
      int d = 0;
      Map<GridAxis, List<Object>> grid =
          grids.size() > 1 ? grids.get(index(u[d++], grids.size())) : grids.get(0);
      Map<GridAxis, Object> v = new EnumMap<>(GridAxis.class);
      for (GridAxis a : GridAxis.values()) {
        List<Object> values = grid.getOrDefault(a, DEFAULTS.get(a));
        double x = varied.contains(a) ? u[d++] : 0;
        v.put(
            a,
            values.get(0) instanceof Distribution dist
                ? dist.at(x)
                : values.get(index(x, values.size())));
      }
      TrialSpec t = point(v);
      points.putIfAbsent(t.canonicalString(), t);
    }
    return withRepeats(points.values(), runSeed);
  }

  /** Draw {@code i}'s coordinates for the random sampler. */
  private static double[] uniforms(long runSeed, long i, int dimensions) {
    SplitMix64 random = new SplitMix64(TrialSpec.deriveSeed(runSeed, "sample", (int) i));
    double[] u = new double[dimensions];
    for (int d = 0; d < dimensions; d++) {
      u[d] = (random.nextLong() >>> 11) * 0x1p-53;
    }
    return u;
  }

  private static int index(double u, int n) {
    return Math.min(n - 1, (int) Math.floor(u * n));
  }

  /** The repeats of each point, numbered, keyed and seeded. */
  private List<TrialSpec> withRepeats(Iterable<TrialSpec> points, long runSeed) {
    List<TrialSpec> out = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (TrialSpec point : points) {
      for (int r = 0; r < repeats; r++) {
        TrialSpec t = point.withKeyAndSeed(out.size(), r, runSeed);
        if (r == 0 && !keys.add(t.key())) {
          throw new IllegalStateException("two grid points share the key " + t.key());
        }
        out.add(t);
      }
    }
    return List.copyOf(out);
  }

  /** Nested loops over one (sub-)grid's axes, last axis fastest; first occurrence wins. */
  private static void addPoints(Map<GridAxis, List<Object>> grid, Map<String, TrialSpec> points) {
    GridAxis[] axes = GridAxis.values();
    List<List<Object>> lists = new ArrayList<>();
    for (GridAxis a : axes) {
      lists.add(grid.getOrDefault(a, DEFAULTS.get(a)));
    }
    int[] at = new int[axes.length];
    Map<GridAxis, Object> v = new EnumMap<>(GridAxis.class);
    while (true) {
      for (int i = 0; i < axes.length; i++) {
        v.put(axes[i], lists.get(i).get(at[i]));
      }
      TrialSpec t = point(v);
      points.putIfAbsent(t.canonicalString(), t);
      int i = axes.length - 1;
      while (i >= 0 && ++at[i] == lists.get(i).size()) {
        at[i] = 0;
        i--;
      }
      if (i < 0) {
        return;
      }
    }
  }

  /** One point from axis values in {@link GridAxis} order; key and seed not yet filled in. */
  private static TrialSpec point(Map<GridAxis, Object> v) {
    boolean cnn = v.get(GridAxis.MODEL) == ModelKind.CNN;
    Map<GridAxis, Object> values = new EnumMap<>(GridAxis.class);
    for (GridAxis a : GridAxis.values()) {
      Object value = v.get(a);
      if (a.cnnOnly() && !cnn) {
        value = 0; // fc has no filters: one fc point whatever the cnn axes say
      } else if (a == GridAxis.HIDDEN_DIMS && value == null) {
        value = cnn ? List.of(100) : a.defaultValue();
      }
      values.put(a, value);
    }
    return TrialSpec.of("", 0, 0, 0L, values);
  }

  private GridException tooLarge(long trials, String message, String allowed) {
    return new GridException(
        file,
        List.of(
            new GridProblem(
                file,
                maxTrialsLine > 0 ? maxTrialsLine : 1,
                maxTrialsLine > 0 ? maxTrialsColumn : 1,
                "max_trials",
                message,
                String.valueOf(trials),
                allowed)));
  }

  private static long saturatingMultiply(long a, long b) {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  private static long saturatingAdd(long a, long b) {
    try {
      return Math.addExact(a, b);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Override
  public String toString() {
    return "GridSpec[" + name + " from " + file + ", seed " + seed + "]";
  }
}
