package io.sparksweep.model;

import io.sparksweep.layer.Affine;
import io.sparksweep.layer.AffineRelu;
import io.sparksweep.layer.ConvGrads;
import io.sparksweep.layer.ConvReluPool;
import io.sparksweep.layer.ConvReluPoolCache;
import io.sparksweep.layer.ConvSpec;
import io.sparksweep.layer.Forward;
import io.sparksweep.layer.PoolSpec;
import io.sparksweep.loss.DataLoss;
import io.sparksweep.loss.SoftmaxLoss;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Kernels;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;
import java.util.SplittableRandom;

/**
 * The notebooks' three-layer convolutional network:
 *
 * <pre>
 * conv (F filters HH×WW, stride 1, "same" padding) - relu - 2x2 max pool (stride 2)
 *   - affine (F·H/2·W/2 → hidden) - relu - affine (hidden → classes) - softmax
 * </pre>
 *
 * <p>Input (N, C, H, W). Parameters {@code W1} (F, C, HH, WW), {@code b1} (F), {@code W2}
 * (F·H/2·W/2, hidden), {@code b2} (hidden), {@code W3} (hidden, classes), {@code b3} (classes);
 * weights ~ N(0, weight_scale²), biases 0. Loss: softmax + {@code 0.5·reg·Σ W²}.
 */
public final class ThreeLayerConvNet implements Classifier {
  private static final PoolSpec POOL = new PoolSpec(2, 2, 2);

  private final ThreeLayerConvNetConfig config;
  private final ConvSpec convSpec;
  private final Params params;
  // trainingLoss's buffers and its gradient map (the same tensors are put back every step).
  private final Workspace workspace = Workspace.reusing();
  private final Workspace evalWorkspace = Workspace.reusing();
  private final Params trainingGrads = new Params();

  private static final String[] W_NAMES = {null, "W1", "W2", "W3"};
  private static final String[] B_NAMES = {null, "b1", "b2", "b3"};

  /** A freshly initialised network. */
  public ThreeLayerConvNet(ThreeLayerConvNetConfig config) {
    this(config, initialParams(config));
  }

  private ThreeLayerConvNet(ThreeLayerConvNetConfig config, Params params) {
    this.config = config;
    this.convSpec = new ConvSpec(1, (config.filterSize() - 1) / 2);
    this.params = params;
  }

  /**
   * A network holding copies of saved parameters (converted to the config's dtype).
   *
   * @throws IllegalArgumentException naming the first missing, unexpected or misshapen tensor
   */
  public static ThreeLayerConvNet fromParams(ThreeLayerConvNetConfig config, Params saved) {
    Params expected = initialParams(config);
    for (String name : saved.names()) {
      if (!expected.contains(name)) {
        throw new IllegalArgumentException(
            "unexpected tensor '" + name + "'; expected exactly " + expected.names());
      }
    }
    for (String name : expected.names()) {
      if (!saved.contains(name)) {
        throw new IllegalArgumentException(
            "missing tensor '" + name + "'; expected exactly " + expected.names());
      }
      Tensor t = expected.get(name);
      Tensor s = saved.get(name);
      if (!s.hasShape(t.shape())) {
        throw new IllegalArgumentException(
            "tensor '"
                + name
                + "' must have shape "
                + t.shapeString()
                + ", got "
                + s.shapeString());
      }
      t.copyFrom(s.dtype() == t.dtype() ? s : s.to(t.dtype()));
    }
    return new ThreeLayerConvNet(config, expected);
  }

  private static Params initialParams(ThreeLayerConvNetConfig c) {
    SplittableRandom rng = new SplittableRandom(c.seed());
    DType dt = c.dtype();
    double s = c.weightScale();
    int pooled = c.numFilters() * (c.height() / 2) * (c.width() / 2);
    return new Params()
        .put(
            "W1",
            Tensor.randn(dt, rng, s, c.numFilters(), c.channels(), c.filterSize(), c.filterSize()))
        .put("b1", Tensor.zeros(dt, c.numFilters()))
        .put("W2", Tensor.randn(dt, rng, s, pooled, c.hiddenDim()))
        .put("b2", Tensor.zeros(dt, c.hiddenDim()))
        .put("W3", Tensor.randn(dt, rng, s, c.hiddenDim(), c.numClasses()))
        .put("b3", Tensor.zeros(dt, c.numClasses()));
  }

  /** The configuration. */
  public ThreeLayerConvNetConfig config() {
    return config;
  }

  @Override
  public Params params() {
    return params;
  }

  @Override
  public Params state() {
    return new Params();
  }

  @Override
  public DType dtype() {
    return config.dtype();
  }

  @Override
  public String architectureJson() {
    return config.toJson();
  }

  /** The fixed layout as JSON members (no braces): conv stride/pad, pool size/stride, layers. */
  String layoutJson() {
    return "\"layers\":\"conv - relu - maxpool - affine - relu - affine - softmax\""
        + ",\"conv_stride\":"
        + convSpec.stride()
        + ",\"conv_pad\":"
        + convSpec.pad()
        + ",\"pool_height\":"
        + POOL.height()
        + ",\"pool_width\":"
        + POOL.width()
        + ",\"pool_stride\":"
        + POOL.stride();
  }

  private void checkInput(Tensor x) {
    if (x.rank() != 4
        || x.dim(1) != config.channels()
        || x.dim(2) != config.height()
        || x.dim(3) != config.width()
        || x.dtype() != config.dtype()) {
      throw new IllegalArgumentException(
          "x must have shape (N, "
              + config.channels()
              + ", "
              + config.height()
              + ", "
              + config.width()
              + ") and dtype "
              + config.dtype()
              + ", got "
              + x.shapeString()
              + " "
              + x.dtype());
    }
  }

  @Override
  public Tensor scores(Tensor x) {
    return testScores(x, Workspace.allocating());
  }

  /**
   * {@link #scores} on the network's evaluation buffers (im2col columns, conv output, activations;
   * valid until the next call): about 80 MB for a batch of 100 images, held from the first call.
   */
  @Override
  public Tensor evalScores(Tensor x) {
    evalWorkspace.reset();
    return testScores(x, evalWorkspace);
  }

  /** The test-mode forward pass, on buffers of {@code ws}. */
  private Tensor testScores(Tensor x, Workspace ws) {
    checkInput(x);
    Tensor a1 =
        ConvReluPool.forward(x, params.get("W1"), params.get("b1"), convSpec, POOL, ws).out();
    Tensor a2 = AffineRelu.forward(a1, params.get("W2"), params.get("b2"), ws).out();
    return Affine.forward(a2, params.get("W3"), params.get("b3"), ws).out();
  }

  @Override
  public Loss loss(Tensor x, int[] y) {
    return loss(x, y, Workspace.allocating(), new Params());
  }

  /**
   * {@link #loss(Tensor, int[])} on the network's own buffers (im2col columns, conv output, pool
   * argmax, activations, gradients): same values; the gradients are overwritten by the next call.
   */
  @Override
  public Loss trainingLoss(Tensor x, int[] y) {
    workspace.reset();
    return loss(x, y, workspace, trainingGrads);
  }

  /** Bytes of the buffers {@link #trainingLoss} holds (0 before its first call). */
  public long workspaceBytes() {
    return workspace.bytesHeld();
  }

  private Loss loss(Tensor x, int[] y, Workspace ws, Params grads) {
    checkInput(x);
    Forward<ConvReluPoolCache> l1 =
        ConvReluPool.forward(x, params.get("W1"), params.get("b1"), convSpec, POOL, ws);
    Forward<AffineRelu.Cache> l2 =
        AffineRelu.forward(l1.out(), params.get("W2"), params.get("b2"), ws);
    Forward<Affine.Cache> l3 = Affine.forward(l2.out(), params.get("W3"), params.get("b3"), ws);
    DataLoss data = SoftmaxLoss.compute(l3.out(), y, ws);

    Affine.Grads g3 = Affine.backward(data.dscores(), l3.cache(), true, ws);
    Affine.Grads g2 = AffineRelu.backward(g3.dx(), l2.cache(), ws);
    // The input needs no gradient: skip conv's dx (its col2im is a third of the conv's work).
    ConvGrads g1 = ConvReluPool.backward(g2.dx().reshape(l1.out().shape()), l1.cache(), false, ws);

    double reg = config.reg();
    double regLoss = 0;
    Tensor[] dws = {g1.dw(), g2.dw(), g3.dw()};
    Tensor[] dbs = {g1.db(), g2.db(), g3.db()};
    for (int i = 1; i <= 3; i++) {
      if (reg != 0) {
        // dW += reg·W and Σ W² in one pass over W.
        regLoss += 0.5 * reg * Kernels.addL2Gradient(dws[i - 1], params.get(W_NAMES[i]), reg);
      }
      grads.put(W_NAMES[i], dws[i - 1]).put(B_NAMES[i], dbs[i - 1]);
    }
    return new Loss(data.loss() + regLoss, grads);
  }

  @Override
  public String toString() {
    return "ThreeLayerConvNet" + config.toJson();
  }
}
