package io.sparksweep.model;

import io.sparksweep.layer.Affine;
import io.sparksweep.layer.AffineNormRelu;
import io.sparksweep.layer.Forward;
import io.sparksweep.layer.Mode;
import io.sparksweep.layer.RunningStats;
import io.sparksweep.loss.DataLoss;
import io.sparksweep.loss.SoftmaxLoss;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Kernels;
import io.sparksweep.tensor.SplitMix64;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * A fully connected network of any depth, the notebooks' {@code FullyConnectedNetImproved}:
 *
 * <pre>
 *   {affine → [batchnorm | layernorm] → relu → [dropout]} × (L − 1) → affine → softmax
 * </pre>
 *
 * <p>Parameters are named {@code W1, b1, gamma1, beta1, …, WL, bL} (gamma/beta only for the L − 1
 * hidden layers, and only with a normalization) and initialised as in the notebooks: {@code W ~
 * N(0, weightScale²)}, {@code b = 0}, {@code gamma = 1}, {@code beta = 0}, drawn from a {@link
 * SplittableRandom} seeded with {@link FullyConnectedNetConfig#seed()}. The loss is the softmax
 * loss plus {@code 0.5·reg·Σ W²} over the weights only (not b, gamma or beta).
 *
 * <p>With batchnorm the running statistics of hidden layer i are the live tensors {@code
 * running_mean}i and {@code running_var}i of {@link #state()}: training updates them in place, and
 * copying into them (a Solver restoring its best model, a model loader) changes what {@link
 * #scores} uses.
 *
 * <p>Dropout masks come from a generator owned by the network, split from the same seed, and
 * advanced by every {@link #loss(Tensor, int[])}; {@link #loss(Tensor, int[], RandomGenerator)}
 * takes the generator explicitly, which a gradient check uses to draw the same mask on every
 * evaluation (pass a freshly seeded generator each time).
 */
public final class FullyConnectedNet implements Classifier {
  private final FullyConnectedNetConfig config;
  private final Params params;
  private final Params state;
  private final SplitMix64 dropoutRng;
  private final int numLayers;
  // Parameter names by layer (1-based), built once: no string concatenation per step.
  private final String[] wNames;
  private final String[] bNames;
  private final String[] gammaNames;
  private final String[] betaNames;
  private final String[] meanNames;
  private final String[] varNames;
  // trainingLoss's buffers and its gradient map (the same tensors are put back every step).
  private final Workspace workspace = Workspace.reusing();
  private final Workspace evalWorkspace = Workspace.reusing();
  private final Params trainingGrads = new Params();

  /**
   * A freshly initialised network.
   *
   * @param config architecture and hyperparameters
   */
  public FullyConnectedNet(FullyConnectedNetConfig config) {
    this(config, initialParams(config), initialState(config));
  }

  private FullyConnectedNet(FullyConnectedNetConfig config, Params params, Params state) {
    this.config = config;
    this.params = params;
    this.state = state;
    this.numLayers = config.hiddenDims().size() + 1;
    this.wNames = new String[numLayers + 1];
    this.bNames = new String[numLayers + 1];
    this.gammaNames = new String[numLayers + 1];
    this.betaNames = new String[numLayers + 1];
    this.meanNames = new String[numLayers + 1];
    this.varNames = new String[numLayers + 1];
    for (int i = 1; i <= numLayers; i++) {
      wNames[i] = "W" + i;
      bNames[i] = "b" + i;
      gammaNames[i] = "gamma" + i;
      betaNames[i] = "beta" + i;
      meanNames[i] = runningMeanName(i);
      varNames[i] = runningVarName(i);
    }
    // The weights were drawn from the first split of the seed; dropout uses the second.
    // SplitMix64 draws exactly as SplittableRandom does, and its state can be checkpointed.
    SplitMix64 root = new SplitMix64(config.seed());
    root.split();
    this.dropoutRng = root.split();
  }

  /**
   * A network with the given parameters and state, e.g. loaded from a model file. The tensors are
   * copied (and converted to {@code config.dtype()} when they differ), so later changes to the
   * arguments do not affect the network.
   *
   * @param config architecture and hyperparameters
   * @param params every parameter {@code W1, b1, [gamma1, beta1,] …, WL, bL}, with the shapes the
   *     config implies, and nothing else
   * @param state {@code running_mean}i and {@code running_var}i for every hidden layer with
   *     batchnorm; empty otherwise
   * @return the network
   * @throws IllegalArgumentException naming the first missing, unexpected or misshapen tensor
   */
  public static FullyConnectedNet fromParams(
      FullyConnectedNetConfig config, Params params, Params state) {
    if (config == null || params == null || state == null) {
      throw new IllegalArgumentException("fromParams: config, params and state must not be null");
    }
    Params expectedParams = initialParams(config);
    Params expectedState = initialState(config);
    adopt("params", expectedParams, params);
    adopt("state", expectedState, state);
    return new FullyConnectedNet(config, expectedParams, expectedState);
  }

  private static void adopt(String what, Params target, Params source) {
    for (String name : source.names()) {
      if (!target.contains(name)) {
        throw new IllegalArgumentException(
            what + ": unexpected tensor '" + name + "'; expected exactly " + target.names());
      }
    }
    for (String name : target.names()) {
      Tensor t = target.get(name);
      if (!source.contains(name)) {
        throw new IllegalArgumentException(
            what + ": missing tensor '" + name + "'; expected exactly " + target.names());
      }
      Tensor s = source.get(name);
      if (!s.hasShape(t.shape())) {
        throw new IllegalArgumentException(
            what
                + ": tensor '"
                + name
                + "' must have shape "
                + t.shapeString()
                + ", got "
                + s.shapeString());
      }
      t.copyFrom(s.dtype() == t.dtype() ? s : s.to(t.dtype()));
    }
  }

  private static Params initialParams(FullyConnectedNetConfig config) {
    SplittableRandom weightRng = new SplittableRandom(config.seed()).split();
    int[] dims = config.layerDims();
    DType dtype = config.dtype();
    Params p = new Params();
    for (int i = 1; i < dims.length; i++) {
      p.put("W" + i, Tensor.randn(dtype, weightRng, config.weightScale(), dims[i - 1], dims[i]));
      p.put("b" + i, Tensor.zeros(dtype, dims[i]));
      if (i < dims.length - 1 && config.normalization() != Normalization.NONE) {
        p.put("gamma" + i, Tensor.full(dtype, 1.0, dims[i]));
        p.put("beta" + i, Tensor.zeros(dtype, dims[i]));
      }
    }
    return p;
  }

  private static Params initialState(FullyConnectedNetConfig config) {
    Params s = new Params();
    if (config.normalization() == Normalization.BATCHNORM) {
      List<Integer> hidden = config.hiddenDims();
      for (int i = 1; i <= hidden.size(); i++) {
        s.put(runningMeanName(i), Tensor.zeros(config.dtype(), hidden.get(i - 1)));
        s.put(runningVarName(i), Tensor.zeros(config.dtype(), hidden.get(i - 1)));
      }
    }
    return s;
  }

  /** {@code running_mean}i: the state name of hidden layer i's running mean (1-based). */
  public static String runningMeanName(int layer) {
    return "running_mean" + layer;
  }

  /** {@code running_var}i: the state name of hidden layer i's running variance (1-based). */
  public static String runningVarName(int layer) {
    return "running_var" + layer;
  }

  /** The configuration this network was built from. */
  public FullyConnectedNetConfig config() {
    return config;
  }

  @Override
  public Params params() {
    return params;
  }

  @Override
  public Params state() {
    return state;
  }

  @Override
  public DType dtype() {
    return config.dtype();
  }

  @Override
  public String architectureJson() {
    return config.toJson();
  }

  /**
   * Test-mode class scores: batchnorm uses the running statistics, dropout is off.
   *
   * @param x minibatch of shape (N, d1, …, dk) with d1·…·dk = inputDim, the model's dtype
   * @return scores of shape (N, numClasses)
   * @throws IllegalArgumentException if x's shape or dtype does not fit the model
   */
  @Override
  public Tensor scores(Tensor x) {
    checkInput(x);
    return forward(x, Mode.TEST, null, Workspace.allocating()).scores;
  }

  /** {@link #scores} on the network's evaluation buffers (valid until the next call). */
  @Override
  public Tensor evalScores(Tensor x) {
    checkInput(x);
    evalWorkspace.reset();
    return forward(x, Mode.TEST, null, evalWorkspace).scores;
  }

  /**
   * Train-mode loss and gradients; dropout masks come from the network's own generator, which this
   * call advances.
   *
   * @param x minibatch of shape (N, d1, …, dk) with d1·…·dk = inputDim, the model's dtype
   * @param y labels, length N, in [0, numClasses)
   * @return softmax loss + {@code 0.5·reg·Σ W²} and the gradient of every parameter
   * @throws IllegalArgumentException if x's shape or dtype does not fit the model, or y does not
   *     match
   */
  @Override
  public Loss loss(Tensor x, int[] y) {
    return loss(x, y, dropoutRng);
  }

  /** The dropout generator's state (present with or without dropout). */
  @Override
  public Optional<SplitMix64.State> randomState() {
    return Optional.of(dropoutRng.state());
  }

  @Override
  public void restoreRandomState(SplitMix64.State state) {
    dropoutRng.restore(state);
  }

  /**
   * Train-mode loss and gradients with an explicit source of dropout masks (one {@code
   * nextDouble()} per hidden activation, layer by layer): pass a generator seeded the same way on
   * every call to evaluate the loss with the same masks, as a gradient check must.
   *
   * @param x minibatch of shape (N, d1, …, dk) with d1·…·dk = inputDim, the model's dtype
   * @param y labels, length N, in [0, numClasses)
   * @param dropoutRng source of the dropout masks; unused (may be null) when the keep ratio is 1
   * @return softmax loss + {@code 0.5·reg·Σ W²} and the gradient of every parameter
   * @throws IllegalArgumentException if x's shape or dtype does not fit the model, or y does not
   *     match
   */
  public Loss loss(Tensor x, int[] y, RandomGenerator dropoutRng) {
    return loss(x, y, dropoutRng, Workspace.allocating(), new Params());
  }

  /**
   * {@link #loss(Tensor, int[])} on the network's own buffers: same values, same dropout draws and
   * running-statistics updates; the gradients are overwritten by the next call.
   */
  @Override
  public Loss trainingLoss(Tensor x, int[] y) {
    workspace.reset();
    return loss(x, y, dropoutRng, workspace, trainingGrads);
  }

  /** Bytes of the buffers {@link #trainingLoss} holds (0 before its first call). */
  public long workspaceBytes() {
    return workspace.bytesHeld();
  }

  private Loss loss(Tensor x, int[] y, RandomGenerator dropoutRng, Workspace ws, Params grads) {
    checkInput(x);
    if (y == null) {
      throw new IllegalArgumentException("y must not be null");
    }
    Pass pass = forward(x, Mode.TRAIN, dropoutRng, ws);
    DataLoss data = SoftmaxLoss.compute(pass.scores, y, ws);

    double reg = config.reg();
    Tensor[] dW = new Tensor[numLayers + 1];
    Tensor[] db = new Tensor[numLayers + 1];
    Tensor[] dgamma = new Tensor[numLayers];
    Tensor[] dbeta = new Tensor[numLayers];

    Affine.Grads last = Affine.backward(data.dscores(), pass.lastCache, true, ws);
    dW[numLayers] = last.dw();
    db[numLayers] = last.db();
    Tensor dh = last.dx();
    for (int i = numLayers - 1; i >= 1; i--) {
      // The input needs no gradient: skip the first layer's dx (a third of its backward work).
      AffineNormRelu.Grads g = AffineNormRelu.backward(dh, pass.hiddenCaches.get(i - 1), i > 1, ws);
      dW[i] = g.dw();
      db[i] = g.db();
      dgamma[i] = g.dgamma();
      dbeta[i] = g.dbeta();
      dh = g.dx();
    }

    double regLoss = 0;
    if (reg != 0) {
      for (int i = 1; i <= numLayers; i++) {
        // dW += reg·W and Σ W² in one pass over W.
        regLoss += 0.5 * reg * Kernels.addL2Gradient(dW[i], params.get(wNames[i]), reg);
      }
    }

    // Same names, same order as the parameters (put replaces a reused map's values in place).
    for (int i = 1; i <= numLayers; i++) {
      grads.put(wNames[i], dW[i]).put(bNames[i], db[i]);
      if (i < numLayers && dgamma[i] != null) {
        grads.put(gammaNames[i], dgamma[i]).put(betaNames[i], dbeta[i]);
      }
    }
    return new Loss(data.loss() + regLoss, grads);
  }

  /** Activations' caches of one forward pass. */
  private static final class Pass {
    final List<AffineNormRelu.Cache> hiddenCaches;
    final Affine.Cache lastCache;
    final Tensor scores;

    Pass(List<AffineNormRelu.Cache> hiddenCaches, Affine.Cache lastCache, Tensor scores) {
      this.hiddenCaches = hiddenCaches;
      this.lastCache = lastCache;
      this.scores = scores;
    }
  }

  private Pass forward(Tensor x, Mode mode, RandomGenerator rng, Workspace ws) {
    double keep = config.dropoutKeepRatio();
    List<AffineNormRelu.Cache> caches = new ArrayList<>(numLayers - 1);
    Tensor h = x;
    for (int i = 1; i < numLayers; i++) {
      Forward<AffineNormRelu.Cache> block =
          AffineNormRelu.forward(
              h, params.get(wNames[i]), params.get(bNames[i]), norm(i), keep, mode, rng, ws);
      caches.add(block.cache());
      h = block.out();
    }
    Forward<Affine.Cache> out =
        Affine.forward(h, params.get(wNames[numLayers]), params.get(bNames[numLayers]), ws);
    return new Pass(caches, out.cache(), out.out());
  }

  private AffineNormRelu.Norm norm(int layer) {
    return switch (config.normalization()) {
      case BATCHNORM ->
          AffineNormRelu.Norm.batch(
              params.get(gammaNames[layer]),
              params.get(betaNames[layer]),
              // Wraps whatever tensors state() holds now, so replacing or copying into them works.
              new RunningStats(
                  state.get(meanNames[layer]),
                  state.get(varNames[layer]),
                  RunningStats.DEFAULT_MOMENTUM,
                  RunningStats.DEFAULT_EPS));
      case LAYERNORM ->
          AffineNormRelu.Norm.layer(params.get(gammaNames[layer]), params.get(betaNames[layer]));
      case NONE -> AffineNormRelu.Norm.none();
    };
  }

  private void checkInput(Tensor x) {
    if (x == null) {
      throw new IllegalArgumentException("x must not be null");
    }
    int features = 1;
    for (int i = 1; i < x.rank(); i++) {
      features *= x.dim(i);
    }
    if (x.rank() < 2 || x.dim(0) < 1 || features != config.inputDim()) {
      throw new IllegalArgumentException(
          "x must have shape (N, d1, ..., dk) with N >= 1 and d1*...*dk = inputDim = "
              + config.inputDim()
              + ", got "
              + x.shapeString());
    }
    if (x.dtype() != config.dtype()) {
      throw new IllegalArgumentException(
          "x is " + x.dtype() + " but the model is " + config.dtype());
    }
  }

  @Override
  public String toString() {
    return "FullyConnectedNet" + Arrays.toString(config.layerDims()) + " " + config.toJson();
  }
}
