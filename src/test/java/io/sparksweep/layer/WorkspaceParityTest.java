package io.sparksweep.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.loss.DataLoss;
import io.sparksweep.loss.SoftmaxLoss;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every destination-passing fast path (a layer's forward/backward on a {@link Workspace#reusing()}
 * workspace) equals its allocating reference ({@link Workspace#allocating()}): normwise relative
 * error ≤ 1e-12 in float64 and ≤ 1e-5 in float32, on the geometries of the existing parity tests.
 * Each case runs three different inputs through one reusing workspace, so the second and third
 * passes start from buffers full of the previous pass's values: a kernel that assumed a zeroed
 * destination would differ from the reference there.
 */
class WorkspaceParityTest {
  private static final int PASSES = 3;

  static double tolerance(DType dtype) {
    return dtype == DType.FLOAT64 ? 1e-12 : 1e-5;
  }

  static void assertClose(Tensor expected, Tensor actual, String what) {
    assertEquals(expected.dtype(), actual.dtype(), what + " dtype");
    assertArrayEquals(expected.shape(), actual.shape(), what + " shape");
    double scale = expected.maxAbs();
    assertTrue(scale > 0, what + " is all zeros: the comparison proves nothing");
    double err = 0;
    for (int i = 0; i < expected.size(); i++) {
      err = Math.max(err, Math.abs(expected.getFlat(i) - actual.getFlat(i)));
    }
    assertTrue(
        err / scale <= tolerance(expected.dtype()), what + ": relative difference " + err / scale);
  }

  private static Tensor randn(SplittableRandom rng, DType dtype, double scale, int... shape) {
    return Tensor.randn(DType.FLOAT64, rng, scale, shape).to(dtype);
  }

  static Stream<Arguments> blocks() {
    List<Arguments> cases = new ArrayList<>();
    for (DType dtype : DType.values()) {
      for (String norm : new String[] {"none", "batch", "layer"}) {
        for (double keep : new double[] {1.0, 0.75}) {
          // PrecisionParityTest's affine geometry (an (8, 3, 4) input) and its batchnorm one.
          cases.add(Arguments.of(dtype, norm, keep, new int[] {8, 3, 4}, 5));
          cases.add(Arguments.of(dtype, norm, keep, new int[] {16, 6}, 6));
        }
      }
    }
    return cases.stream();
  }

  private static AffineNormRelu.Norm norm(String kind, Tensor gamma, Tensor beta, Tensor[] rs) {
    return switch (kind) {
      case "batch" ->
          AffineNormRelu.Norm.batch(
              gamma,
              beta,
              new RunningStats(
                  rs[0], rs[1], RunningStats.DEFAULT_MOMENTUM, RunningStats.DEFAULT_EPS));
      case "layer" -> AffineNormRelu.Norm.layer(gamma, beta);
      default -> AffineNormRelu.Norm.none();
    };
  }

  @ParameterizedTest
  @MethodSource("blocks")
  void affineNormReluDropoutBlockEqualsItsAllocatingReference(
      DType dtype, String kind, double keep, int[] xShape, int m) {
    int d = 1;
    for (int i = 1; i < xShape.length; i++) {
      d *= xShape[i];
    }
    Workspace ws = Workspace.reusing();
    Tensor[] statsRef = {Tensor.zeros(dtype, m), Tensor.zeros(dtype, m)};
    Tensor[] statsFast = {Tensor.zeros(dtype, m), Tensor.zeros(dtype, m)};
    SplittableRandom data = new SplittableRandom(11);
    for (int pass = 0; pass < PASSES; pass++) {
      Tensor x = randn(data, dtype, 1, xShape);
      Tensor w = randn(data, dtype, 0.3, d, m);
      Tensor b = randn(data, dtype, 1, m);
      Tensor gamma = randn(data, dtype, 1, m).addScalarInPlace(1);
      Tensor beta = randn(data, dtype, 1, m);
      Tensor dout = randn(data, dtype, 1, xShape[0], m);
      long maskSeed = 100 + pass;

      Forward<AffineNormRelu.Cache> ref =
          AffineNormRelu.forward(
              x,
              w,
              b,
              norm(kind, gamma, beta, statsRef),
              keep,
              Mode.TRAIN,
              new SplittableRandom(maskSeed));
      AffineNormRelu.Grads gRef = AffineNormRelu.backward(dout, ref.cache(), true);

      ws.reset();
      Forward<AffineNormRelu.Cache> fast =
          AffineNormRelu.forward(
              x,
              w,
              b,
              norm(kind, gamma, beta, statsFast),
              keep,
              Mode.TRAIN,
              new SplittableRandom(maskSeed),
              ws);
      AffineNormRelu.Grads gFast = AffineNormRelu.backward(dout, fast.cache(), true, ws);

      String at = dtype + " " + kind + " keep " + keep + " pass " + pass + ": ";
      assertClose(ref.out(), fast.out(), at + "out");
      assertClose(gRef.dx(), gFast.dx(), at + "dx");
      assertClose(gRef.dw(), gFast.dw(), at + "dw");
      assertClose(gRef.db(), gFast.db(), at + "db");
      if (!kind.equals("none")) {
        assertClose(gRef.dgamma(), gFast.dgamma(), at + "dgamma");
        assertClose(gRef.dbeta(), gFast.dbeta(), at + "dbeta");
      }
      if (kind.equals("batch")) {
        assertClose(statsRef[0], statsFast[0], at + "running mean");
        assertClose(statsRef[1], statsFast[1], at + "running var");
      }
      // Without dx (a network's first layer) the other gradients are the same.
      AffineNormRelu.Grads noDx = AffineNormRelu.backward(dout, fast.cache(), false, ws);
      assertNull(noDx.dx());
      assertClose(gRef.dw(), noDx.dw(), at + "dw without dx");
    }
  }

  static Stream<Arguments> convGeometries() {
    List<Arguments> cases = new ArrayList<>();
    for (DType dtype : DType.values()) {
      // ConvReluPoolTest's pool paths on an (3, 2, 8, 8) input with 4 filters 3×3, "same" padding…
      for (int[] pool : new int[][] {{2, 2, 2}, {4, 4, 4}, {2, 2, 1}, {2, 2, 3}, {3, 3, 1}}) {
        cases.add(
            Arguments.of(
                dtype, new int[] {3, 2, 8, 8}, new int[] {4, 2, 3, 3}, new ConvSpec(1, 1), pool));
      }
      // … its hand-composed case (5×5 filters, pad 2, 3×3 pool) and the convnet's own layer
      // (32 filters 7×7, pad 3, 2×2 pool) on two 32×32 images.
      cases.add(
          Arguments.of(
              dtype,
              new int[] {3, 3, 12, 12},
              new int[] {4, 3, 5, 5},
              new ConvSpec(1, 2),
              new int[] {3, 3, 3}));
      cases.add(
          Arguments.of(
              dtype,
              new int[] {2, 3, 32, 32},
              new int[] {32, 3, 7, 7},
              new ConvSpec(1, 3),
              new int[] {2, 2, 2}));
    }
    return cases.stream();
  }

  @ParameterizedTest
  @MethodSource("convGeometries")
  void convReluPoolEqualsItsAllocatingReference(
      DType dtype, int[] xShape, int[] wShape, ConvSpec conv, int[] poolDims) {
    PoolSpec pool = new PoolSpec(poolDims[0], poolDims[1], poolDims[2]);
    Workspace ws = Workspace.reusing();
    SplittableRandom data = new SplittableRandom(13);
    for (int pass = 0; pass < PASSES; pass++) {
      Tensor x = randn(data, dtype, 1, xShape);
      Tensor w = randn(data, dtype, 0.3, wShape);
      Tensor b = randn(data, dtype, 0.5, wShape[0]);
      Forward<ConvReluPoolCache> ref = ConvReluPool.forward(x, w, b, conv, pool);
      Tensor dout = randn(data, dtype, 1, ref.out().shape());
      ConvGrads gRef = ConvReluPool.backward(dout, ref.cache(), true);
      ConvGrads gRefNoDx = ConvReluPool.backward(dout, ref.cache(), false);

      ws.reset();
      Forward<ConvReluPoolCache> fast = ConvReluPool.forward(x, w, b, conv, pool, ws);
      ConvGrads gFast = ConvReluPool.backward(dout, fast.cache(), true, ws);
      String at = dtype + " pool " + pool + " pass " + pass + ": ";
      assertClose(ref.out(), fast.out(), at + "out");
      assertArrayEquals(ref.cache().argmax(), fast.cache().argmax(), at + "argmax");
      assertClose(gRef.dx(), gFast.dx(), at + "dx");
      assertClose(gRef.dw(), gFast.dw(), at + "dw");
      assertClose(gRef.db(), gFast.db(), at + "db");
      ConvGrads gFastNoDx = ConvReluPool.backward(dout, fast.cache(), false, ws);
      assertNull(gFastNoDx.dx());
      assertClose(gRefNoDx.dw(), gFastNoDx.dw(), at + "dw without dx");
      assertClose(gRefNoDx.db(), gFastNoDx.db(), at + "db without dx");
    }
  }

  static Stream<DType> dtypes() {
    return Stream.of(DType.values());
  }

  @ParameterizedTest
  @MethodSource("dtypes")
  void affineReluAndSoftmaxEqualTheirAllocatingReferences(DType dtype) {
    Workspace ws = Workspace.reusing();
    SplittableRandom data = new SplittableRandom(17);
    for (int pass = 0; pass < PASSES; pass++) {
      Tensor x = randn(data, dtype, 1, 8, 3, 4);
      Tensor w = randn(data, dtype, 0.3, 12, 5);
      Tensor b = randn(data, dtype, 1, 5);
      Tensor dout = randn(data, dtype, 1, 8, 5);
      int[] y = new int[8];
      for (int i = 0; i < y.length; i++) {
        y[i] = data.nextInt(5);
      }
      Forward<AffineRelu.Cache> ref = AffineRelu.forward(x, w, b);
      Affine.Grads gRef = AffineRelu.backward(dout, ref.cache());
      DataLoss lRef = SoftmaxLoss.compute(ref.out(), y);

      ws.reset();
      Forward<AffineRelu.Cache> fast = AffineRelu.forward(x, w, b, ws);
      Affine.Grads gFast = AffineRelu.backward(dout, fast.cache(), ws);
      DataLoss lFast = SoftmaxLoss.compute(fast.out(), y, ws);
      String at = dtype + " pass " + pass + ": ";
      assertClose(ref.out(), fast.out(), at + "affine-relu out");
      assertClose(gRef.dx(), gFast.dx(), at + "affine-relu dx");
      assertClose(gRef.dw(), gFast.dw(), at + "affine-relu dw");
      assertClose(gRef.db(), gFast.db(), at + "affine-relu db");
      assertEquals(lRef.loss(), lFast.loss(), 1e-12 * Math.abs(lRef.loss()), at + "softmax loss");
      assertClose(lRef.dscores(), lFast.dscores(), at + "softmax dscores");
    }
  }

  @ParameterizedTest
  @MethodSource("dtypes")
  void aReusingWorkspaceHandsBackTheSameBuffersAfterReset(DType dtype) {
    Workspace ws = Workspace.reusing();
    Tensor a = ws.tensor(dtype, 4, 3);
    float[] f = ws.floats(7);
    double[] d = ws.zeroDoubles(5);
    ws.reset();
    assertSame(a, ws.tensor(dtype, 4, 3));
    assertSame(f, ws.floats(7));
    d[2] = 3;
    assertSame(d, ws.zeroDoubles(5));
    assertEquals(0.0, d[2], "zeroDoubles clears a reused array");
    // A different request in a slot replaces its buffer.
    ws.reset();
    Tensor other = ws.tensor(dtype, 3, 4);
    assertArrayEquals(new int[] {3, 4}, other.shape());
    assertTrue(ws.bytesHeld() > 0);
    Workspace alloc = Workspace.allocating();
    assertTrue(alloc.tensor(dtype, 2) != alloc.tensor(dtype, 2), "allocating: fresh each time");
  }
}
