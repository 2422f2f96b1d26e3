package io.sparksweep.search;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.search.schedule.Bracket;
import io.sparksweep.search.schedule.Brackets;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoublePredicate;
import java.util.function.LongPredicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Reads a grid file's YAML node tree (with line/column marks) into a {@link GridSpec}, collecting
 * every problem before giving up. The format is documented on {@link GridSpec}.
 */
final class GridParser {
  /** Most values one {@code logspace}/{@code linspace} range may produce. */
  static final int MAX_RANGE_NUM = 10_000;

  /** Most repeats per grid point. */
  static final int MAX_REPEATS = 1_000;

  private static final String NAME = "name";
  private static final String DESCRIPTION = "description";
  private static final String SEED = "seed";
  private static final String MAX_TRIALS = "max_trials";
  private static final String REPEATS = "repeats";
  private static final String GRIDS = "grids";
  private static final String SAMPLER = "sampler";
  private static final String NUM_SAMPLES = "num_samples";
  private static final String CHOICE = "choice";
  private static final String SCHEDULER = "scheduler";
  private static final List<String> SETTINGS =
      List.of(NAME, DESCRIPTION, SEED, MAX_TRIALS, REPEATS, SAMPLER, NUM_SAMPLES, SCHEDULER, GRIDS);
  private static final String TYPE = "type";
  private static final String RESOURCE = "resource";
  private static final String MIN_RESOURCE = "min_resource";
  private static final String MAX_RESOURCE = "max_resource";
  private static final String REDUCTION_FACTOR = "reduction_factor";
  private static final String BRACKETS = "brackets";
  private static final List<String> SCHEDULER_KEYS =
      List.of(TYPE, RESOURCE, MIN_RESOURCE, MAX_RESOURCE, REDUCTION_FACTOR, BRACKETS);

  /** Most epochs a scheduler's rungs may reach ({@code max_resource}). */
  static final int MAX_EPOCHS = 10_000;

  /** Largest {@code reduction_factor}. */
  static final int MAX_REDUCTION_FACTOR = 1_000;

  private static final List<String> TOP_KEYS =
      Stream.concat(SETTINGS.stream(), GridAxis.ids().stream()).toList();
  private static final List<String> NUMBER_FORMS = List.of("logspace", "linspace", "pow10");
  private static final Pattern NAME_PATTERN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern NUMBER =
      Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final String REAL_FORMS =
      ", a list of them, {logspace: [start, stop, num]}, {linspace: [start, stop, num]}"
          + " or {pow10: exponent}";
  private static final int MAX_RENDER = 60;

  /** A parsed axis: its values in file order and the node each came from. */
  private record Axis(
      GridAxis axis,
      String field,
      Node keyNode,
      Node valueNode,
      List<Object> values,
      List<Node> nodes) {}

  /** The axes set at one level (top level or one sub-grid), and those whose values were bad. */
  private static final class Level {
    final Map<GridAxis, Axis> axes = new EnumMap<>(GridAxis.class);
    final Set<GridAxis> broken = EnumSet.noneOf(GridAxis.class);
    final String context;

    Level(String context) {
      this.context = context;
    }

    /** This level's axes over {@code base}'s: what a sub-grid actually expands. */
    Level over(Level base) {
      Level merged = new Level(context);
      for (GridAxis a : GridAxis.values()) {
        Level from = axes.containsKey(a) || broken.contains(a) ? this : base;
        if (from.broken.contains(a)) {
          merged.broken.add(a);
        } else if (from.axes.containsKey(a)) {
          merged.axes.put(a, from.axes.get(a));
        }
      }
      return merged;
    }
  }

  private final String file;
  private final Set<GridProblem> problems = new LinkedHashSet<>();

  /** Where the file draws an axis from a distribution (allowed only with a sampler). */
  private final List<Node> distributions = new ArrayList<>();

  GridParser(String file) {
    this.file = file;
  }

  /** Adds a problem with no position, for a file that could not be read, and throws. */
  GridException unreadable(String message) {
    problems.add(new GridProblem(file, 0, 0, "(file)", message, null, null));
    return exception();
  }

  /**
   * Parses and validates a whole grid file.
   *
   * @param text the file's contents
   * @return the validated grid
   * @throws GridException listing every problem found
   */
  GridSpec parse(String text) {
    Node root = compose(text);
    if (root == null) {
      throw exception();
    }
    return parse(root);
  }

  /**
   * Validates one configuration given as text per axis (a command line's options): the same rules,
   * messages and defaults as a grid file that sets those axes to those values. Each text becomes
   * one YAML scalar, typed as the file's plain scalar would be (so {@code 1e-3} is a number, {@code
   * '3x'} a string); {@code hidden_dims}' text is a comma-separated list of sizes (blank: no hidden
   * layer). The node tree has no positions, so problems carry line 0.
   *
   * @param values the text of each axis that is set; the others take the grid's defaults
   * @return the validated grid (one point)
   * @throws GridException listing every problem
   */
  GridSpec parseSettings(Map<GridAxis, String> values) {
    ScalarResolver resolver = new CoreSchema().getScalarResolver();
    List<NodeTuple> tuples = new ArrayList<>();
    for (Map.Entry<GridAxis, String> e : values.entrySet()) {
      String text = e.getValue().strip();
      Node value;
      if (e.getKey() == GridAxis.HIDDEN_DIMS) {
        List<Node> sizes = new ArrayList<>();
        if (!text.isEmpty()) {
          for (String size : text.split(",", -1)) {
            sizes.add(scalar(resolver, size.strip()));
          }
        }
        Node list = new SequenceNode(Tag.SEQ, sizes, FlowStyle.FLOW);
        // [] alone would be an empty axis; [[]] is the one value "no hidden layer".
        value = sizes.isEmpty() ? new SequenceNode(Tag.SEQ, List.of(list), FlowStyle.FLOW) : list;
      } else {
        value = scalar(resolver, text);
      }
      tuples.add(new NodeTuple(new ScalarNode(Tag.STR, e.getKey().id(), ScalarStyle.PLAIN), value));
    }
    return parse(new MappingNode(Tag.MAP, tuples, FlowStyle.BLOCK));
  }

  private static ScalarNode scalar(ScalarResolver resolver, String text) {
    return new ScalarNode(resolver.resolve(text, true), text, ScalarStyle.PLAIN);
  }

  private GridSpec parse(Node root) {
    Map<String, NodeTuple> top = mapping(root, "", TOP_KEYS, "(file)");
    if (top == null) {
      throw exception();
    }
    String name = defaultName(file);
    if (top.containsKey(NAME)) {
      String s = string(value(top, NAME), NAME, "a name of letters, digits, '.', '_' and '-'");
      if (s != null && !NAME_PATTERN.matcher(s).matches()) {
        problem(
            value(top, NAME),
            NAME,
            "not a valid name",
            quote(s),
            "letters, digits, '.', '_' and '-', starting with a letter or digit");
      } else if (s != null) {
        name = s;
      }
    }
    String description = "";
    if (top.containsKey(DESCRIPTION)) {
      String s = string(value(top, DESCRIPTION), DESCRIPTION, "any text");
      description = s == null ? "" : s.strip();
    }
    long seed = longSetting(top, SEED, GridSpec.DEFAULT_SEED, x -> true, "an integer (64-bit)");
    long maxTrials =
        longSetting(
            top,
            MAX_TRIALS,
            GridSpec.DEFAULT_MAX_TRIALS,
            x -> x >= 1 && x <= GridSpec.HARD_LIMIT,
            "an integer from 1 to " + GridSpec.HARD_LIMIT);
    long repeats =
        longSetting(
            top,
            REPEATS,
            1,
            x -> x >= 1 && x <= MAX_REPEATS,
            "an integer from 1 to " + MAX_REPEATS);
    Node maxTrialsNode = top.containsKey(MAX_TRIALS) ? value(top, MAX_TRIALS) : null;
    Sampler sampler = sampler(top);
    long numSamples =
        longSetting(
            top,
            NUM_SAMPLES,
            0,
            x -> x >= 1 && x <= GridSpec.HARD_LIMIT,
            "an integer from 1 to " + GridSpec.HARD_LIMIT);

    Level base = level(top, "", "");
    List<Level> grids = new ArrayList<>();
    if (top.containsKey(GRIDS)) {
      Node g = value(top, GRIDS);
      if (!(g instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
        problem(
            g,
            GRIDS,
            g instanceof SequenceNode ? "no sub-grids" : "expected a list of sub-grids",
            render(g),
            "a non-empty list of mappings of axes, such as [{batch_size: [5, 10]}, {}]");
      } else {
        for (int i = 0; i < seq.getValue().size(); i++) {
          String prefix = GRIDS + "[" + i + "].";
          Map<String, NodeTuple> sub =
              mapping(seq.getValue().get(i), prefix, GridAxis.ids(), GRIDS + "[" + i + "]");
          if (sub != null) {
            grids.add(level(sub, prefix, " in grids[" + i + "]").over(base));
          }
        }
      }
    } else {
      grids.add(base);
    }
    for (Level level : grids) {
      crossCheck(level);
    }
    SchedulerSection section = top.containsKey(SCHEDULER) ? schedulerSection(top) : null;
    SchedulerConfig scheduler = null;
    boolean numSamplesImplied = false;
    if (section != null && !section.broken()) {
      scheduler = checkScheduler(section, top, grids, sampler, numSamples, repeats);
      if (scheduler != null
          && scheduler.type() == SchedulerType.HYPERBAND
          && sampler != null
          && sampler != Sampler.GRID
          && !top.containsKey(NUM_SAMPLES)) {
        numSamples = configurationsNeeded(scheduler);
        numSamplesImplied = true;
      }
    }
    checkSampler(top, sampler, numSamplesImplied);
    if (!problems.isEmpty()) {
      throw exception();
    }
    List<Map<GridAxis, List<Object>>> values = new ArrayList<>();
    for (Level level : grids) {
      Map<GridAxis, List<Object>> m = new EnumMap<>(GridAxis.class);
      level.axes.forEach((a, axis) -> m.put(a, List.copyOf(axis.values())));
      if (scheduler != null) {
        // A scheduled trial's num_epochs is its full budget: max_resource.
        m.putIfAbsent(GridAxis.NUM_EPOCHS, List.of(scheduler.maxResource()));
      }
      values.add(m);
    }
    int[] maxTrialsAt = position(maxTrialsNode);
    int[] schedulerAt = position(section == null ? null : section.node());
    return new GridSpec(
        file,
        name,
        description,
        seed,
        (int) maxTrials,
        (int) repeats,
        sampler == null ? Sampler.GRID : sampler,
        (int) numSamples,
        maxTrialsAt[0],
        maxTrialsAt[1],
        values,
        scheduler,
        schedulerAt[0],
        schedulerAt[1]);
  }

  // ---- scheduler ----

  /**
   * The {@code scheduler} section as written: null fields were left out; {@code broken} when a
   * field was refused (its problem is recorded), so that no cross-check repeats it.
   */
  private record SchedulerSection(
      Node node,
      SchedulerType type,
      Node typeNode,
      Integer minResource,
      Node minNode,
      Integer maxResource,
      Node maxNode,
      Integer reductionFactor,
      Integer brackets,
      Node bracketsNode,
      boolean broken) {}

  /**
   * Reads {@code scheduler: {type, resource, min_resource, max_resource, reduction_factor,
   * brackets}}, or the shorthand {@code scheduler: asha} (type only), checking each field alone.
   */
  private SchedulerSection schedulerSection(Map<String, NodeTuple> top) {
    Node n = value(top, SCHEDULER);
    String types = String.join(", ", schedulerIds());
    Map<String, NodeTuple> m;
    Node typeNode;
    if (n instanceof ScalarNode) {
      m = Map.of();
      typeNode = n;
    } else {
      m = mapping(n, SCHEDULER + ".", SCHEDULER_KEYS, SCHEDULER);
      if (m == null) {
        return null;
      }
      if (!m.containsKey(TYPE)) {
        problem(
            n,
            SCHEDULER + "." + TYPE,
            "missing: the scheduler needs a type",
            render(n),
            "type: one of " + types);
        return null;
      }
      typeNode = value(m, TYPE);
    }
    boolean broken = false;
    SchedulerType type = null;
    String t = string(typeNode, SCHEDULER + "." + TYPE, types);
    if (t == null) {
      broken = true;
    } else {
      for (SchedulerType x : SchedulerType.values()) {
        if (x.id().equalsIgnoreCase(t.strip())) {
          type = x;
        }
      }
      if (type == null) {
        problem(
            typeNode,
            SCHEDULER + "." + TYPE,
            "unknown scheduler" + DidYouMean.hint(t, schedulerIds()),
            render(typeNode),
            types);
        broken = true;
      }
    }
    if (m.containsKey(RESOURCE)) {
      Node r = value(m, RESOURCE);
      String s = string(r, SCHEDULER + "." + RESOURCE, "epochs");
      if (s == null) {
        broken = true;
      } else if (!s.strip().equalsIgnoreCase("epochs")) {
        problem(
            r,
            SCHEDULER + "." + RESOURCE,
            "the only resource is epochs (a segment trains a trial from one epoch to another)",
            render(r),
            "epochs");
        broken = true;
      }
    }
    String epochsAllowed = "an integer from 1 to " + MAX_EPOCHS + " (epochs)";
    Integer min = schedulerInt(m, MIN_RESOURCE, 1, MAX_EPOCHS, epochsAllowed);
    Integer max = schedulerInt(m, MAX_RESOURCE, 1, MAX_EPOCHS, epochsAllowed);
    Integer eta =
        schedulerInt(
            m,
            REDUCTION_FACTOR,
            2,
            MAX_REDUCTION_FACTOR,
            "an integer from 2 to " + MAX_REDUCTION_FACTOR + " (η; default 3)");
    Integer brackets = schedulerInt(m, BRACKETS, 1, MAX_EPOCHS, "an integer >= 1");
    broken |= isBad(m, MIN_RESOURCE, min) || isBad(m, MAX_RESOURCE, max);
    broken |= isBad(m, REDUCTION_FACTOR, eta) || isBad(m, BRACKETS, brackets);
    return new SchedulerSection(
        n,
        type,
        typeNode,
        min,
        m.containsKey(MIN_RESOURCE) ? value(m, MIN_RESOURCE) : null,
        max,
        m.containsKey(MAX_RESOURCE) ? value(m, MAX_RESOURCE) : null,
        eta,
        brackets,
        m.containsKey(BRACKETS) ? value(m, BRACKETS) : null,
        broken);
  }

  private static boolean isBad(Map<String, NodeTuple> m, String key, Integer parsed) {
    return m.containsKey(key) && parsed == null;
  }

  /** An integer field of the scheduler in [lo, hi]; null when absent or refused. */
  private Integer schedulerInt(
      Map<String, NodeTuple> m, String key, long lo, long hi, String allowed) {
    if (!m.containsKey(key)) {
      return null;
    }
    Node n = value(m, key);
    String field = SCHEDULER + "." + key;
    BigInteger v = integer(n, field, allowed);
    if (v == null) {
      return null;
    }
    if (v.bitLength() > 31 || v.intValue() < lo || v.intValue() > hi) {
      problem(n, field, "out of range", render(n), allowed);
      return null;
    }
    return v.intValue();
  }

  private static List<String> schedulerIds() {
    return Stream.of(SchedulerType.values()).map(SchedulerType::id).toList();
  }

  /**
   * The scheduler's fields against each other and against the rest of the file: {@code
   * max_resource} against {@code num_epochs} (a scheduled trial's full budget; left out, it is
   * {@code max_resource}), {@code min_resource ≤ max_resource}, more than one rung for sha, asha
   * and hyperband, {@code brackets} (hyperband only, at most {@code s_max + 1}), hyperband's number
   * of configurations against the sampler and {@code num_samples}, and no {@code repeats} for an
   * adaptive scheduler. Returns null after a problem.
   */
  private SchedulerConfig checkScheduler(
      SchedulerSection sec,
      Map<String, NodeTuple> top,
      List<Level> grids,
      Sampler sampler,
      long numSamples,
      long repeats) {
    int before = problems.size();
    String ctx = SCHEDULER + "." + MAX_RESOURCE;
    // num_epochs, wherever it is set, must be one value: the full budget.
    List<Axis> epochAxes = new ArrayList<>();
    Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Level level : grids) {
      Axis a = level.axes.get(GridAxis.NUM_EPOCHS);
      // Sub-grids that leave num_epochs out share the top level's: check it once.
      if (a == null || level.broken.contains(GridAxis.NUM_EPOCHS) || !seen.add(a.valueNode())) {
        continue;
      }
      epochAxes.add(a);
      if (a.values().size() != 1 || a.values().get(0) instanceof Distribution) {
        problem(
            a.valueNode(),
            a.field(),
            "with a scheduler, num_epochs is every trial's full budget (max_resource), not an axis"
                + level.context,
            render(a.valueNode()),
            "one integer equal to " + ctx + ", or leave num_epochs out");
      }
    }
    if (problems.size() > before) {
      return null;
    }
    Integer max = sec.maxResource();
    if (max == null) {
      for (Axis a : epochAxes) {
        int e = (Integer) a.values().get(0);
        if (max == null) {
          max = e;
        } else if (max != e) {
          problem(
              a.valueNode(),
              a.field(),
              "sub-grids set different num_epochs ("
                  + max
                  + " and "
                  + e
                  + "); a scheduler has one full budget",
              render(a.valueNode()),
              ctx + ": N and one num_epochs (or none)");
          return null;
        }
      }
      if (max == null) {
        problem(
            sec.node(),
            ctx,
            "missing: the scheduler needs max_resource, the epochs of a trial that is never"
                + " stopped",
            render(sec.node()),
            ctx + ": an integer from 1 to " + MAX_EPOCHS + " (or one num_epochs value)");
        return null;
      }
      if (max > MAX_EPOCHS) {
        problem(
            epochAxes.get(0).valueNode(),
            epochAxes.get(0).field(),
            "out of range for a scheduler's max_resource",
            render(epochAxes.get(0).valueNode()),
            "an integer from 1 to " + MAX_EPOCHS);
        return null;
      }
    } else {
      for (Axis a : epochAxes) {
        int e = (Integer) a.values().get(0);
        if (e != max) {
          problem(
              a.valueNode(),
              a.field(),
              "num_epochs "
                  + e
                  + " differs from "
                  + ctx
                  + " "
                  + max
                  + ": a scheduled trial trains up to max_resource epochs",
              render(a.valueNode()),
              "num_epochs: " + max + ", or leave num_epochs out");
        }
      }
    }
    int min = sec.minResource() == null ? 1 : sec.minResource();
    int eta =
        sec.reductionFactor() == null
            ? SchedulerConfig.DEFAULT_REDUCTION_FACTOR
            : sec.reductionFactor();
    SchedulerType type = sec.type();
    if (min > max) {
      Node at = sec.minNode() != null ? sec.minNode() : sec.node();
      problem(
          at,
          SCHEDULER + "." + MIN_RESOURCE,
          "min_resource " + min + " is larger than max_resource " + max,
          render(at),
          "1 <= min_resource <= max_resource (" + max + ")");
      return null;
    }
    SchedulerConfig most = SchedulerConfig.of(type, min, max, eta);
    if (type != SchedulerType.FIFO && most.maxRungIndex() == 0) {
      problem(
          sec.typeNode(),
          SCHEDULER + "." + TYPE,
          type.id()
              + " with min_resource "
              + min
              + ", max_resource "
              + max
              + " and reduction_factor "
              + eta
              + " has a single rung: no trial would stop early",
          render(sec.typeNode()),
          "max_resource >= min_resource x reduction_factor ("
              + (long) min * eta
              + "), or type fifo");
      return null;
    }
    int brackets = most.brackets();
    if (sec.brackets() != null) {
      if (type != SchedulerType.HYPERBAND) {
        problem(
            sec.bracketsNode(),
            SCHEDULER + "." + BRACKETS,
            "brackets applies to hyperband only; " + type.id() + " runs one bracket",
            render(sec.bracketsNode()),
            "type: hyperband, or remove brackets");
        return null;
      }
      if (sec.brackets() > most.maxBrackets()) {
        problem(
            sec.bracketsNode(),
            SCHEDULER + "." + BRACKETS,
            "hyperband with min_resource "
                + min
                + ", max_resource "
                + max
                + " and reduction_factor "
                + eta
                + " has at most "
                + most.maxBrackets()
                + " brackets",
            render(sec.bracketsNode()),
            "an integer from 1 to " + most.maxBrackets());
        return null;
      }
      brackets = sec.brackets();
    }
    SchedulerConfig config = new SchedulerConfig(type, min, max, eta, brackets);
    if (repeats > 1 && type != SchedulerType.FIFO) {
      Node r = value(top, REPEATS);
      problem(
          r,
          REPEATS,
          "an adaptive scheduler ranks trials against each other; the repeats of a configuration"
              + " would compete with their own seeds",
          render(r),
          "repeats: 1 with " + type.id() + ", or scheduler type fifo");
    }
    if (type == SchedulerType.HYPERBAND && sampler != null) {
      long need = configurationsNeeded(config);
      String brackets0 = bracketSizes(config);
      if (need > GridSpec.HARD_LIMIT) {
        problem(
            sec.node(),
            SCHEDULER,
            "hyperband would train " + need + " configurations",
            render(sec.node()),
            "at most " + GridSpec.HARD_LIMIT + ": fewer brackets or a larger reduction_factor");
      } else if (sampler == Sampler.GRID) {
        problem(
            sec.typeNode(),
            SCHEDULER + "." + TYPE,
            "hyperband draws the configurations its brackets need ("
                + need
                + " = "
                + brackets0
                + "); a grid has its own count",
            render(sec.typeNode()),
            "sampler: random or sobol (num_samples: "
                + need
                + " or left out), or type sha or asha for a grid");
      } else if (top.containsKey(NUM_SAMPLES) && numSamples != need) {
        Node ns = value(top, NUM_SAMPLES);
        problem(
            ns,
            NUM_SAMPLES,
            "hyperband with min_resource "
                + min
                + ", max_resource "
                + max
                + ", reduction_factor "
                + eta
                + " and "
                + brackets
                + (brackets == 1 ? " bracket" : " brackets")
                + " trains "
                + need
                + " configurations ("
                + brackets0
                + ")",
            render(ns),
            "num_samples: " + need + " or left out (hyperband sets it), or other brackets");
      }
    }
    return problems.size() > before ? null : config;
  }

  /** Hyperband's configurations, all brackets together (overflow: more than any limit). */
  private static int configurationsNeeded(SchedulerConfig config) {
    try {
      return Brackets.configurationsNeeded(config, 1);
    } catch (ArithmeticException e) {
      return Integer.MAX_VALUE;
    }
  }

  /** {@code 81 + 34 + 15 + 8 + 5}: the configurations of each bracket. */
  private static String bracketSizes(SchedulerConfig config) {
    try {
      return Brackets.of(config, 1).stream()
          .map(Bracket::configurations)
          .map(String::valueOf)
          .collect(Collectors.joining(" + "));
    } catch (ArithmeticException e) {
      return "too many";
    }
  }

  // ---- YAML ----

  private Node compose(String text) {
    LoadSettings settings =
        LoadSettings.builder()
            .setLabel(file)
            .setSchema(new CoreSchema())
            .setAllowRecursiveKeys(false)
            .setMaxAliasesForCollections(100)
            .build();
    try {
      Optional<Node> doc = new Compose(settings).composeString(text);
      if (doc.isEmpty()) {
        problems.add(
            new GridProblem(
                file,
                1,
                1,
                "(file)",
                "the file is empty",
                null,
                "a mapping of settings and axes, such as {learning_rate: [1e-3, 1e-4]}"));
        return null;
      }
      return doc.get();
    } catch (MarkedYamlEngineException e) {
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      int line = mark.map(m -> m.getLine() + 1).orElse(0);
      int column = mark.map(m -> m.getColumn() + 1).orElse(0);
      String where = e.getContext() == null ? "" : " " + e.getContext();
      String lineText = line > 0 ? lineOf(text, line - 1) : null;
      problems.add(
          new GridProblem(
              file,
              line,
              column,
              "(yaml)",
              "not valid YAML: " + e.getProblem() + where,
              lineText == null ? null : quote(truncate(lineText.strip())),
              "YAML 1.2"));
      return null;
    } catch (YamlEngineException e) {
      problems.add(
          new GridProblem(
              file, 1, 1, "(yaml)", "not valid YAML: " + e.getMessage(), null, "YAML 1.2"));
      return null;
    }
  }

  /**
   * The keys of a mapping node, checking that each is allowed, written once and a plain name.
   * Returns null (after a problem) when the node is not a mapping.
   */
  private Map<String, NodeTuple> mapping(
      Node node, String prefix, List<String> allowed, String field) {
    if (!(node instanceof MappingNode map)) {
      problem(node, field, "expected a mapping of keys to values", render(node), keysList(allowed));
      return null;
    }
    Map<String, NodeTuple> keys = new LinkedHashMap<>();
    for (NodeTuple t : map.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode keyNode) || keyNode.getTag().equals(Tag.NULL)) {
        problem(
            t.getKeyNode(),
            field,
            "a key must be a plain name",
            render(t.getKeyNode()),
            keysList(allowed));
        continue;
      }
      String key = keyNode.getValue();
      if (keys.containsKey(key)) {
        problem(
            keyNode,
            prefix + key,
            "duplicate key, first set at " + where(keys.get(key).getKeyNode()),
            quote(key),
            "each key once");
      } else if (!allowed.contains(key)) {
        String message = "unknown key" + DidYouMean.hint(key, allowed);
        if (!prefix.isEmpty() && SETTINGS.contains(key)) {
          message = "only axes may be set in a sub-grid; set " + key + " at the top level";
        }
        problem(keyNode, prefix + key, message, quote(key), keysList(allowed));
      } else {
        keys.put(key, t);
      }
    }
    return keys;
  }

  private static Node value(Map<String, NodeTuple> m, String key) {
    return m.get(key).getValueNode();
  }

  // ---- settings ----

  private long longSetting(
      Map<String, NodeTuple> top, String key, long fallback, LongPredicate ok, String allowed) {
    if (!top.containsKey(key)) {
      return fallback;
    }
    Node n = value(top, key);
    BigInteger v = integer(n, key, allowed);
    if (v == null) {
      return fallback;
    }
    if (v.bitLength() > 63 || !ok.test(v.longValue())) {
      problem(n, key, "out of range", render(n), allowed);
      return fallback;
    }
    return v.longValue();
  }

  private String string(Node n, String field, String allowed) {
    if (n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
      return s.getValue();
    }
    problem(
        n, field, n instanceof ScalarNode ? "missing value" : "expected text", render(n), allowed);
    return null;
  }

  private Sampler sampler(Map<String, NodeTuple> top) {
    if (!top.containsKey(SAMPLER)) {
      return Sampler.GRID;
    }
    Node n = value(top, SAMPLER);
    String allowed = String.join(", ", Sampler.ids());
    String s = string(n, SAMPLER, allowed);
    if (s == null) {
      return null;
    }
    for (Sampler x : Sampler.values()) {
      if (x.id().equalsIgnoreCase(s.strip())) {
        return x;
      }
    }
    problem(n, SAMPLER, "unknown sampler" + DidYouMean.hint(s, Sampler.ids()), render(n), allowed);
    return null; // reported; no further sampler checks
  }

  /**
   * {@code num_samples} goes with a sampler, and distributions need one; {@code implied}: hyperband
   * set it.
   */
  private void checkSampler(Map<String, NodeTuple> top, Sampler sampler, boolean implied) {
    if (sampler == null) {
      return;
    }
    boolean sampled = sampler != Sampler.GRID;
    if (sampled && !top.containsKey(NUM_SAMPLES) && !implied) {
      Node n = value(top, SAMPLER);
      problem(
          n,
          NUM_SAMPLES,
          "sampler " + sampler.id() + " needs num_samples, the number of configurations to draw",
          render(n),
          "num_samples: an integer from 1 to " + GridSpec.HARD_LIMIT);
    }
    if (!sampled && top.containsKey(NUM_SAMPLES)) {
      Node n = value(top, NUM_SAMPLES);
      problem(
          n,
          NUM_SAMPLES,
          "num_samples applies only to a sampled search; a grid trains every point",
          render(n),
          "sampler: random or sobol, or remove num_samples");
    }
    if (!sampled) {
      for (Node n : distributions) {
        problem(
            n,
            SAMPLER,
            "a distribution is drawn from, not listed: it needs a sampler",
            render(n),
            "sampler: random (or sobol) with num_samples: N, or a list of values");
      }
    }
  }

  // ---- axes ----

  private Level level(Map<String, NodeTuple> keys, String prefix, String context) {
    Level level = new Level(context);
    for (GridAxis a : GridAxis.values()) {
      NodeTuple t = keys.get(a.id());
      if (t == null) {
        continue;
      }
      int before = problems.size();
      Axis axis = axis(a, prefix + a.id(), t.getKeyNode(), t.getValueNode());
      if (problems.size() == before) {
        checkDuplicates(axis);
      }
      if (problems.size() == before) {
        level.axes.put(a, axis);
      } else {
        level.broken.add(a);
      }
    }
    return level;
  }

  private Axis axis(GridAxis a, String field, Node keyNode, Node v) {
    Axis axis = new Axis(a, field, keyNode, v, new ArrayList<>(), new ArrayList<>());
    GridAxis.Domain d = a.domain();
    String form = singleKey(v);
    if (form != null && Distribution.FORMS.contains(form)) {
      distribution(axis, v, Distribution.Kind.of(form));
      return axis;
    }
    if (CHOICE.equals(form)) {
      Node inner = ((MappingNode) v).getValue().get(0).getValueNode();
      if (!(inner instanceof SequenceNode seq) || seq.getValue().isEmpty()) {
        problem(
            inner,
            field + "." + CHOICE,
            inner instanceof SequenceNode ? "no values to choose from" : "expected a list",
            render(inner),
            "a non-empty list of values, such as {choice: [a, b]}");
        return axis;
      }
      if (a.kind() == GridAxis.Kind.INT_LIST) {
        for (int i = 0; i < seq.getValue().size(); i++) {
          dimsValue(axis, seq.getValue().get(i), field + "[" + i + "]", d.allowed());
        }
        return axis;
      }
      v = inner; // {choice: [...]} is the list [...]: a grid lists it, a sampler picks from it
    }
    switch (a.kind()) {
      case CHOICE -> choices(axis, v, d.choices(), d.nullIsFirst());
      case INT_LIST -> hiddenDims(axis, v);
      case REAL -> reals(axis, v, x -> d.realOk().test(x), d.allowed());
      case INT -> integers(axis, v, x -> d.intOk().test(x), d.allowed());
    }
    return axis;
  }

  /**
   * {@code {uniform|loguniform: [lo, hi]}} on a real axis, {@code {int: [lo, hi]}} on an integer
   * axis: both bounds in the axis's range, lo below hi, lo &gt; 0 for loguniform, and for an
   * integer axis every integer between them allowed (filter sizes must be odd).
   */
  private void distribution(Axis axis, Node v, Distribution.Kind kind) {
    GridAxis.Domain d = axis.axis().domain();
    String field = axis.field() + "." + kind.id();
    boolean real = axis.axis().kind() == GridAxis.Kind.REAL;
    boolean integer = axis.axis().kind() == GridAxis.Kind.INT;
    if (kind == Distribution.Kind.INT ? !integer : !real) {
      String fits =
          real
              ? "{uniform: [lo, hi]} or {loguniform: [lo, hi]}"
              : integer ? "{int: [lo, hi]}" : "{choice: [...]}";
      problem(
          v,
          axis.field(),
          axis.axis().id() + " cannot be drawn from " + kind.id(),
          render(v),
          fits + ", or " + d.allowed());
      return;
    }
    Node spec = ((MappingNode) v).getValue().get(0).getValueNode();
    String shape = "{" + kind.id() + ": [lo, hi]}";
    if (!(spec instanceof SequenceNode seq) || seq.getValue().size() != 2) {
      problem(spec, field, "expected " + shape, render(spec), shape + " with " + d.allowed());
      return;
    }
    Node loNode = seq.getValue().get(0);
    Node hiNode = seq.getValue().get(1);
    double lo;
    double hi;
    if (integer) {
      BigInteger a = integer(loNode, field + "[0]", d.allowed());
      BigInteger b = integer(hiNode, field + "[1]", d.allowed());
      if (a == null || b == null) {
        return;
      }
      boolean inRange = true;
      List<Node> ends = List.of(loNode, hiNode);
      List<BigInteger> bounds = List.of(a, b);
      for (int i = 0; i < 2; i++) {
        BigInteger x = bounds.get(i);
        if (x.bitLength() > 31 || !d.intOk().test(x.longValue())) {
          problem(ends.get(i), field, "out of range", render(ends.get(i)), d.allowed());
          inRange = false;
        }
      }
      if (!inRange) {
        return;
      }
      lo = a.intValue();
      hi = b.intValue();
      if (lo <= hi && hi - lo <= MAX_RANGE_NUM * 100L) {
        for (long x = (long) lo; x <= (long) hi; x++) {
          if (!d.intOk().test(x)) {
            problem(
                v,
                field,
                "the range holds " + x + ", which " + axis.axis().id() + " cannot be",
                render(v),
                d.allowed());
            return;
          }
        }
      }
    } else {
      Double a = real(loNode, field + "[0]", d.allowed());
      Double b = real(hiNode, field + "[1]", d.allowed());
      if (a == null || b == null) {
        return;
      }
      boolean inRange = true;
      List<Node> ends = List.of(loNode, hiNode);
      List<Double> bounds = List.of(a, b);
      for (int i = 0; i < 2; i++) {
        if (!d.realOk().test(bounds.get(i))) {
          problem(ends.get(i), field, "out of range", render(ends.get(i)), d.allowed());
          inRange = false;
        }
      }
      if (!inRange) {
        return;
      }
      lo = a + 0.0;
      hi = b + 0.0;
      if (kind == Distribution.Kind.LOGUNIFORM && lo <= 0) {
        problem(loNode, field + "[0]", "loguniform needs lo > 0", render(loNode), "lo > 0");
        return;
      }
    }
    if (!(lo < hi)) {
      problem(
          spec,
          field,
          "lo must be below hi",
          render(spec),
          shape + " with lo < hi (one value needs no distribution)");
      return;
    }
    axis.values().add(new Distribution(kind, lo, hi));
    axis.nodes().add(v);
    distributions.add(v);
  }

  /** Real-valued axis: a number, {pow10: e}, a range, or a list of any of them. */
  private void reals(Axis axis, Node v, DoublePredicate ok, String allowed) {
    String allowedForms = allowed + REAL_FORMS;
    if (v instanceof SequenceNode seq) {
      if (seq.getValue().isEmpty()) {
        problem(v, axis.field(), "empty axis", "[]", allowedForms);
      }
      for (int i = 0; i < seq.getValue().size(); i++) {
        realOrRange(axis, seq.getValue().get(i), axis.field() + "[" + i + "]", ok, allowedForms);
      }
    } else {
      realOrRange(axis, v, axis.field(), ok, allowedForms);
    }
  }

  private void realOrRange(Axis axis, Node n, String field, DoublePredicate ok, String allowed) {
    String form = singleKey(n);
    if ("logspace".equals(form) || "linspace".equals(form)) {
      double[] values = range(n, field, form, allowed);
      if (values == null) {
        return;
      }
      int bad = 0;
      int firstBad = -1;
      for (int i = 0; i < values.length; i++) {
        if (!Double.isFinite(values[i]) || !ok.test(values[i])) {
          bad++;
          firstBad = firstBad < 0 ? i : firstBad;
        }
      }
      if (bad > 0) {
        problem(
            n,
            field,
            "out of range: "
                + bad
                + " of the "
                + values.length
                + " values of the "
                + form
                + ", the first at position "
                + firstBad,
            Double.isFinite(values[firstBad])
                ? TrialSpec.canonicalNumber(values[firstBad])
                : String.valueOf(values[firstBad]),
            allowed);
        return;
      }
      for (double x : values) {
        axis.values().add(x + 0.0);
        axis.nodes().add(n);
      }
      return;
    }
    Double x = real(n, field, allowed);
    if (x == null) {
      return;
    }
    if (!ok.test(x)) {
      problem(n, field, "out of range", render(n), allowed);
      return;
    }
    axis.values().add(x + 0.0); // -0.0 becomes 0.0
    axis.nodes().add(n);
  }

  /** {@code {logspace|linspace: [start, stop, num]}} with numpy's semantics. */
  private double[] range(Node n, String field, String form, String allowed) {
    Node spec = ((MappingNode) n).getValue().get(0).getValueNode();
    String shape = "{" + form + ": [start, stop, num]}";
    if (!(spec instanceof SequenceNode seq) || seq.getValue().size() != 3) {
      problem(spec, field, "expected " + shape, render(spec), allowed);
      return null;
    }
    Double start = real(seq.getValue().get(0), field + "." + form + "[0]", "a number");
    Double stop = real(seq.getValue().get(1), field + "." + form + "[1]", "a number");
    String numAllowed = "an integer from 1 to " + MAX_RANGE_NUM;
    Node numNode = seq.getValue().get(2);
    BigInteger num = integer(numNode, field + "." + form + "[2]", numAllowed);
    if (num != null
        && (num.compareTo(BigInteger.ONE) < 0
            || num.compareTo(BigInteger.valueOf(MAX_RANGE_NUM)) > 0)) {
      problem(numNode, field + "." + form + "[2]", "out of range", render(numNode), numAllowed);
      return null;
    }
    if (start == null || stop == null || num == null) {
      return null;
    }
    return form.equals("logspace")
        ? Ranges.logspace(start, stop, num.intValue())
        : Ranges.linspace(start, stop, num.intValue());
  }

  /** Integer axis: an integer or a list of them. */
  private void integers(Axis axis, Node v, LongPredicate ok, String allowed) {
    String allowedForms = allowed + ", or a list of them";
    List<Node> items = List.of(v);
    List<String> fields = List.of(axis.field());
    if (v instanceof SequenceNode seq) {
      if (seq.getValue().isEmpty()) {
        problem(v, axis.field(), "empty axis", "[]", allowedForms);
      }
      items = seq.getValue();
      fields = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        fields.add(axis.field() + "[" + i + "]");
      }
    }
    for (int i = 0; i < items.size(); i++) {
      Node n = items.get(i);
      BigInteger x = integer(n, fields.get(i), allowedForms);
      if (x == null) {
        continue;
      }
      if (x.bitLength() > 31 || !ok.test(x.longValue())) {
        problem(n, fields.get(i), "out of range", render(n), allowedForms);
        continue;
      }
      axis.values().add(x.intValue());
      axis.nodes().add(n);
    }
  }

  /** Choice axis: a name or a list of names, matched case-insensitively. */
  private void choices(Axis axis, Node v, List<String> allowed, boolean nullIsFirst) {
    String what = axis.axis().id().replace('_', ' ');
    String allowedText = String.join(", ", allowed) + ", or a list of them";
    List<Node> items = List.of(v);
    boolean list = v instanceof SequenceNode;
    if (v instanceof SequenceNode seq) {
      items = seq.getValue();
      if (items.isEmpty()) {
        problem(v, axis.field(), "empty axis", "[]", allowedText);
      }
    }
    for (int i = 0; i < items.size(); i++) {
      Node n = items.get(i);
      String field = list ? axis.field() + "[" + i + "]" : axis.field();
      if (!(n instanceof ScalarNode s)) {
        problem(n, field, "expected a name", render(n), allowedText);
        continue;
      }
      String name = s.getTag().equals(Tag.NULL) && nullIsFirst ? allowed.get(0) : s.getValue();
      Optional<String> match =
          allowed.stream().filter(c -> c.equalsIgnoreCase(name.strip())).findFirst();
      if (match.isEmpty()) {
        String message =
            s.getTag().equals(Tag.NULL)
                ? "missing value"
                : "unknown " + what + DidYouMean.hint(name, allowed);
        problem(n, field, message, render(n), allowedText);
        continue;
      }
      axis.values().add(axis.axis().domain().parse().apply(match.get()));
      axis.nodes().add(n);
    }
  }

  /**
   * {@code hidden_dims}: one value is a list of sizes ({@code [100, 100]}), a single size ({@code
   * 500} = {@code [500]}) or {@code {width: 50, depth: 7}} (= {@code [50] * 7}); an axis is a list
   * of such values ({@code [[100], [100, 100]]}).
   */
  private void hiddenDims(Axis axis, Node v) {
    String allowed = axis.axis().domain().allowed();
    if (v instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      if (items.isEmpty()) {
        problem(v, axis.field(), "empty axis", "[]", allowed);
        return;
      }
      long scalars = items.stream().filter(n -> n instanceof ScalarNode).count();
      if (scalars == items.size()) {
        dimsValue(axis, v, axis.field(), allowed);
      } else if (scalars == 0) {
        for (int i = 0; i < items.size(); i++) {
          dimsValue(axis, items.get(i), axis.field() + "[" + i + "]", allowed);
        }
      } else {
        problem(
            v,
            axis.field(),
            "mixes sizes and lists; write [[100], [100, 100]] for an axis, [100, 100] for one value",
            render(v),
            allowed);
      }
    } else {
      dimsValue(axis, v, axis.field(), allowed);
    }
  }

  private void dimsValue(Axis axis, Node n, String field, String allowed) {
    List<Integer> dims = new ArrayList<>();
    if (n instanceof SequenceNode seq) {
      boolean ok = true;
      for (int i = 0; i < seq.getValue().size(); i++) {
        Integer d = positiveInt(seq.getValue().get(i), field + "[" + i + "]", allowed);
        ok &= d != null;
        dims.add(d);
      }
      if (!ok) {
        return;
      }
    } else if (n instanceof MappingNode) {
      Map<String, NodeTuple> wd = mapping(n, field + ".", List.of("width", "depth"), field);
      if (wd == null) {
        return;
      }
      if (!wd.containsKey("width") || !wd.containsKey("depth")) {
        problem(n, field, "needs both width and depth", render(n), "{width: 50, depth: 7}");
        return;
      }
      Integer width = positiveInt(value(wd, "width"), field + ".width", "an integer >= 1");
      Integer depth = positiveInt(value(wd, "depth"), field + ".depth", "an integer >= 1");
      if (width == null || depth == null) {
        return;
      }
      if (depth > 1000) {
        problem(
            value(wd, "depth"),
            field + ".depth",
            "out of range",
            render(value(wd, "depth")),
            "an integer from 1 to 1000");
        return;
      }
      for (int i = 0; i < depth; i++) {
        dims.add(width);
      }
    } else {
      Integer d = positiveInt(n, field, allowed);
      if (d == null) {
        return;
      }
      dims.add(d);
    }
    axis.values().add(List.copyOf(dims));
    axis.nodes().add(n);
  }

  private Integer positiveInt(Node n, String field, String allowed) {
    BigInteger x = integer(n, field, allowed);
    if (x == null) {
      return null;
    }
    if (x.signum() <= 0 || x.bitLength() > 31) {
      problem(n, field, "out of range: must be >= 1", render(n), allowed);
      return null;
    }
    return x.intValue();
  }

  private void checkDuplicates(Axis axis) {
    List<Object> values = axis.values();
    for (int j = 1; j < values.size(); j++) {
      int i = values.subList(0, j).indexOf(values.get(j));
      if (i >= 0) {
        Node first = axis.nodes().get(i);
        Node again = axis.nodes().get(j);
        String message =
            first.equals(again)
                ? "the range gives a value twice"
                : "duplicate value, also at " + where(first);
        problem(again, axis.field(), message, render(again), "each value once per axis");
      }
    }
  }

  // ---- checks across axes, per (sub-)grid ----

  private void crossCheck(Level level) {
    String ctx = level.context;
    if (!level.broken.contains(GridAxis.MODEL)) {
      Axis model = level.axes.get(GridAxis.MODEL);
      boolean cnn = model != null && model.values().contains(ModelKind.CNN);
      if (cnn) {
        forEachValue(
            level,
            GridAxis.NORMALIZATION,
            (v, n, f) -> {
              if (v != Normalization.NONE) {
                problem(
                    n,
                    f,
                    "model cnn has no normalization layers" + ctx,
                    render(n),
                    "none when model is cnn");
              }
            });
        forEachValue(
            level,
            GridAxis.DROPOUT_KEEP_RATIO,
            (v, n, f) -> {
              if (!(v instanceof Double keep) || keep != 1.0) {
                problem(n, f, "model cnn has no dropout" + ctx, render(n), "1 when model is cnn");
              }
            });
        forEachValue(
            level,
            GridAxis.HIDDEN_DIMS,
            (v, n, f) -> {
              if (((List<?>) v).size() != 1) {
                problem(
                    n,
                    f,
                    "model cnn has one hidden affine layer" + ctx,
                    render(n),
                    "one size such as [500] when model is cnn");
              }
            });
      } else {
        for (GridAxis a : List.of(GridAxis.NUM_FILTERS, GridAxis.FILTER_SIZE)) {
          Axis axis = level.axes.get(a);
          if (axis != null) {
            problem(
                axis.keyNode(),
                axis.field(),
                "applies only to model cnn" + ctx,
                render(axis.valueNode()),
                "model: cnn, or remove " + a.id());
          }
        }
      }
    }
    if (!level.broken.contains(GridAxis.BATCH_SIZE) && !level.broken.contains(GridAxis.NUM_TRAIN)) {
      Axis batch = level.axes.get(GridAxis.BATCH_SIZE);
      Axis train = level.axes.get(GridAxis.NUM_TRAIN);
      List<Object> batches = batch == null ? List.of(GridSpec.DEFAULT_BATCH_SIZE) : batch.values();
      List<Object> trains = train == null ? List.of(GridSpec.MAX_NUM_TRAIN) : train.values();
      for (int i = 0; i < batches.size(); i++) {
        for (int j = 0; j < trains.size(); j++) {
          // A drawn batch size may reach its hi, a drawn num_train its lo.
          int b =
              batches.get(i) instanceof Distribution r ? (int) r.hi() : (Integer) batches.get(i);
          int t = trains.get(j) instanceof Distribution r ? (int) r.lo() : (Integer) trains.get(j);
          if (b <= t) {
            continue;
          }
          if (batch != null) {
            Node n = batch.nodes().get(i);
            problem(
                n,
                batch.field(),
                "batch size " + b + " is larger than num_train " + t + ctx,
                render(n),
                "1 <= batch_size <= num_train");
          } else {
            Node n = train.nodes().get(j);
            problem(
                n,
                train.field(),
                "num_train " + t + " is smaller than the default batch size " + b + ctx,
                render(n),
                "num_train >= batch_size (default " + b + ")");
          }
        }
      }
    }
  }

  private interface ValueCheck {
    void check(Object value, Node node, String field);
  }

  private static void forEachValue(Level level, GridAxis a, ValueCheck check) {
    Axis axis = level.axes.get(a);
    if (axis == null) {
      return;
    }
    for (int i = 0; i < axis.values().size(); i++) {
      check.check(axis.values().get(i), axis.nodes().get(i), axis.field());
    }
  }

  // ---- scalars ----

  /** A finite real: a plain number or {@code {pow10: e}}; null (after a problem) otherwise. */
  private Double real(Node n, String field, String allowed) {
    if (n instanceof MappingNode map) {
      String form = singleKey(n);
      if ("pow10".equals(form)) {
        Node e = map.getValue().get(0).getValueNode();
        Double exponent = real(e, field + ".pow10", "a number");
        if (exponent == null) {
          return null;
        }
        double x = Ranges.pow10(exponent);
        if (!Double.isFinite(x)) {
          problem(n, field, "not a finite number", render(n), allowed);
          return null;
        }
        return x;
      }
      String key = form == null ? "" : form;
      String message =
          form == null || NUMBER_FORMS.contains(form)
              ? "expected a number"
              : "unknown form '" + key + "'" + DidYouMean.hint(key, NUMBER_FORMS);
      problem(n, field, message, render(n), allowed);
      return null;
    }
    if (!(n instanceof ScalarNode s)) {
      problem(n, field, "expected a number", render(n), allowed);
      return null;
    }
    Tag tag = s.getTag();
    String text = s.getValue().strip();
    if (tag.equals(Tag.INT)) {
      BigInteger x = parseInteger(text);
      if (x != null) {
        double d = new BigDecimal(x).doubleValue();
        if (Double.isFinite(d)) {
          return d;
        }
        problem(n, field, "not a finite number", render(n), allowed);
        return null;
      }
    } else if (tag.equals(Tag.FLOAT)) {
      String lower = text.toLowerCase(Locale.ROOT);
      if (lower.endsWith(".inf") || lower.equals(".nan")) {
        problem(n, field, "not a finite number", render(n), allowed);
        return null;
      }
      if (NUMBER.matcher(text).matches()) {
        double x = Double.parseDouble(text);
        if (Double.isFinite(x)) {
          return x;
        }
        problem(n, field, "not a finite number", render(n), allowed);
        return null;
      }
    }
    problem(n, field, wrongType(s, "a number"), render(n), allowed);
    return null;
  }

  /** An integer: a plain integer, or a number with an integral value (1e3); else null. */
  private BigInteger integer(Node n, String field, String allowed) {
    if (n instanceof ScalarNode s) {
      Tag tag = s.getTag();
      String text = s.getValue().strip();
      if (tag.equals(Tag.INT)) {
        BigInteger x = parseInteger(text);
        if (x != null) {
          return x;
        }
      } else if (tag.equals(Tag.FLOAT) && NUMBER.matcher(text).matches()) {
        double d = Double.parseDouble(text);
        if (Math.abs(d) > 0x1p62) {
          return BigInteger.ONE.shiftLeft(64); // out of every range; the caller says so
        }
        try {
          return new BigDecimal(text).toBigIntegerExact();
        } catch (ArithmeticException e) {
          problem(n, field, "expected an integer", render(n), allowed);
          return null;
        }
      }
      problem(n, field, wrongType(s, "an integer"), render(n), allowed);
      return null;
    }
    problem(n, field, "expected an integer", render(n), allowed);
    return null;
  }

  private static String wrongType(ScalarNode s, String expected) {
    if (s.getTag().equals(Tag.NULL)) {
      return "missing value";
    }
    if (s.getScalarStyle() != ScalarStyle.PLAIN && NUMBER.matcher(s.getValue().strip()).matches()) {
      return "expected " + expected + ", got a quoted string; remove the quotes";
    }
    return "wrong type, expected " + expected;
  }

  /** YAML 1.2 core-schema integers: decimal, 0o octal, 0x hex. */
  private static BigInteger parseInteger(String text) {
    try {
      if (text.startsWith("0x")) {
        return new BigInteger(text.substring(2), 16);
      }
      if (text.startsWith("0o")) {
        return new BigInteger(text.substring(2), 8);
      }
      return new BigInteger(text.startsWith("+") ? text.substring(1) : text);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String singleKey(Node n) {
    if (n instanceof MappingNode m
        && m.getValue().size() == 1
        && m.getValue().get(0).getKeyNode() instanceof ScalarNode k) {
      return k.getValue();
    }
    return null;
  }

  // ---- problems ----

  private void problem(Node at, String field, String message, String value, String allowed) {
    int[] p = position(at);
    problems.add(new GridProblem(file, p[0], p[1], field, message, value, allowed));
  }

  private GridException exception() {
    List<GridProblem> sorted =
        problems.stream()
            .sorted(
                Comparator.comparingInt(GridProblem::line).thenComparingInt(GridProblem::column))
            .toList();
    return new GridException(file, sorted);
  }

  private static int[] position(Node n) {
    if (n == null) {
      return new int[] {0, 0};
    }
    return n.getStartMark()
        .map(m -> new int[] {m.getLine() + 1, m.getColumn() + 1})
        .orElse(new int[] {0, 0});
  }

  private static String where(Node n) {
    int[] p = position(n);
    return "line " + p[0] + ":" + p[1];
  }

  private static String keysList(List<String> allowed) {
    return String.join(", ", allowed);
  }

  /** The node as written, compactly: strings quoted, numbers plain, collections in flow style. */
  static String render(Node n) {
    return truncate(render(n, 0));
  }

  private static String render(Node n, int depth) {
    if (depth > 4) {
      return "...";
    }
    if (n instanceof ScalarNode s) {
      if (s.getTag().equals(Tag.NULL)) {
        return "null";
      }
      return s.getTag().equals(Tag.STR) ? quote(s.getValue()) : s.getValue();
    }
    if (n instanceof SequenceNode seq) {
      return seq.getValue().stream()
          .map(e -> render(e, depth + 1))
          .collect(Collectors.joining(", ", "[", "]"));
    }
    if (n instanceof MappingNode m) {
      return m.getValue().stream()
          .map(t -> renderKey(t.getKeyNode(), depth) + ": " + render(t.getValueNode(), depth + 1))
          .collect(Collectors.joining(", ", "{", "}"));
    }
    return String.valueOf(n);
  }

  private static String renderKey(Node key, int depth) {
    return key instanceof ScalarNode s ? s.getValue() : render(key, depth + 1);
  }

  private static String quote(String s) {
    return "'" + s + "'";
  }

  private static String truncate(String s) {
    return s.length() <= MAX_RENDER ? s : s.substring(0, MAX_RENDER - 3) + "...";
  }

  private static String lineOf(String text, int line) {
    String[] lines = text.split("\\R", -1);
    return line < lines.length ? lines[line] : null;
  }

  /** The file's base name without extension, made into a valid grid name. */
  static String defaultName(String file) {
    String base = file.replace('\\', '/');
    base = base.substring(base.lastIndexOf('/') + 1);
    int dot = base.lastIndexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    base = base.replaceAll("[^A-Za-z0-9._-]", "-");
    return NAME_PATTERN.matcher(base).matches() ? base : "grid";
  }
}
