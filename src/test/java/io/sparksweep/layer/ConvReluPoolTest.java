package io.sparksweep.layer;

import static io.sparksweep.layer.ConvTestSupport.assertFloat32Matches;
import static io.sparksweep.layer.ConvTestSupport.assertRejected;
import static io.sparksweep.layer.ConvTestSupport.assertRelError;
import static io.sparksweep.layer.ConvTestSupport.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparksweep.gradcheck.GradientCheck;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.Workspace;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The conv sandwiches: {@link ConvRelu} and {@link ConvReluPool}. */
class ConvReluPoolTest {
  private static final ConvSpec SAME = new ConvSpec(1, 1);
  private static final PoolSpec POOL = new PoolSpec(2, 2, 2);

  @Test
  void convReluPoolPassesTheNotebooksGradientCheck() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = randn(rng, 2, 3, 16, 16);
    Tensor w = randn(rng, 3, 3, 3, 3);
    Tensor b = randn(rng, 3);
    Tensor dout = randn(rng, 2, 3, 8, 8);
    Forward<ConvReluPoolCache> f = ConvReluPool.forward(x, w, b, SAME, POOL);
    ConvGrads g = ConvReluPool.backward(dout, f.cache());
    Tensor dxNum =
        GradientCheck.numericalGradientArray(
            v -> ConvReluPool.forward(v, w, b, SAME, POOL).out(), x, dout);
    Tensor dwNum =
        GradientCheck.numericalGradientArray(
            v -> ConvReluPool.forward(x, v, b, SAME, POOL).out(), w, dout);
    Tensor dbNum =
        GradientCheck.numericalGradientArray(
            v -> ConvReluPool.forward(x, w, v, SAME, POOL).out(), b, dout);
    // Notebook: "around e-8 or less" (it printed up to 3.3e-7 for db).
    assertRelError(g.dx(), dxNum, 1e-6, "dx");
    assertRelError(g.dw(), dwNum, 1e-6, "dw");
    assertRelError(g.db(), dbNum, 1e-6, "db");
  }

  @Test
  void convReluPassesTheNotebooksGradientCheck() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = randn(rng, 2, 3, 8, 8);
    Tensor w = randn(rng, 3, 3, 3, 3);
    Tensor b = randn(rng, 3);
    Tensor dout = randn(rng, 2, 3, 8, 8);
    ConvGrads g = ConvRelu.backward(dout, ConvRelu.forward(x, w, b, SAME).cache());
    Tensor dxNum =
        GradientCheck.numericalGradientArray(v -> ConvRelu.forward(v, w, b, SAME).out(), x, dout);
    Tensor dwNum =
        GradientCheck.numericalGradientArray(v -> ConvRelu.forward(x, v, b, SAME).out(), w, dout);
    Tensor dbNum =
        GradientCheck.numericalGradientArray(v -> ConvRelu.forward(x, w, v, SAME).out(), b, dout);
    // Notebook: "Relative errors should be around e-8 or less."
    assertRelError(g.dx(), dxNum, 1e-7, "dx");
    assertRelError(g.dw(), dwNum, 1e-7, "dw");
    assertRelError(g.db(), dbNum, 1e-7, "db");
  }

  @Test
  void convReluPoolEqualsTheReferenceLayersComposedByHand() {
    SplittableRandom rng = new SplittableRandom(21);
    Tensor x = randn(rng, 3, 3, 12, 12);
    Tensor w = randn(rng, 4, 3, 5, 5);
    Tensor b = randn(rng, 4);
    ConvSpec conv = new ConvSpec(1, 2);
    PoolSpec pool = new PoolSpec(3, 3, 3);
    Forward<ConvCache> c = NaiveConv2d.INSTANCE.forward(x, w, b, conv);
    Tensor a = c.out().maximum(0);
    Forward<PoolCache> p = NaiveMaxPool2d.INSTANCE.forward(a, pool);

    Forward<ConvReluPoolCache> f = ConvReluPool.forward(x, w, b, conv, pool);
    assertRelError(f.out(), p.out(), 1e-9, "out");

    Tensor dout = randn(rng, p.out().shape());
    Tensor da = NaiveMaxPool2d.INSTANCE.backward(dout, p.cache());
    for (int i = 0; i < da.size(); i++) {
      if (!(c.out().getFlat(i) > 0)) {
        da.setFlat(i, 0);
      }
    }
    ConvGrads expected = NaiveConv2d.INSTANCE.backward(da, c.cache());
    ConvGrads g = ConvReluPool.backward(dout, f.cache());
    assertRelError(g.dx(), expected.dx(), 1e-9, "dx");
    assertRelError(g.dw(), expected.dw(), 1e-9, "dw");
    assertRelError(g.db(), expected.db(), 1e-9, "db");
    assertNull(ConvReluPool.backward(dout, f.cache(), false).dx());
  }

  @ParameterizedTest
  @ValueSource(strings = {"2,2,2", "4,4,4", "2,2,1", "2,2,3", "3,3,1"})
  void fusedPathEqualsTheReferenceLayersOnEveryPoolPath(String poolSpec) {
    String[] v = poolSpec.split(",");
    PoolSpec pool =
        new PoolSpec(Integer.parseInt(v[0]), Integer.parseInt(v[1]), Integer.parseInt(v[2]));
    SplittableRandom rng = new SplittableRandom(23);
    Tensor x = randn(rng, 3, 2, 8, 8);
    Tensor w = randn(rng, 4, 2, 3, 3);
    Tensor b = randn(rng, 4);
    Forward<ConvCache> c = NaiveConv2d.INSTANCE.forward(x, w, b, SAME);
    Forward<PoolCache> p = NaiveMaxPool2d.INSTANCE.forward(c.out().maximum(0), pool);
    Tensor dout = randn(rng, p.out().shape());
    Tensor da = NaiveMaxPool2d.INSTANCE.backward(dout, p.cache());
    for (int i = 0; i < da.size(); i++) {
      if (!(c.out().getFlat(i) > 0)) {
        da.setFlat(i, 0);
      }
    }
    ConvGrads expected = NaiveConv2d.INSTANCE.backward(da, c.cache());
    for (DType dtype : DType.values()) {
      double tol = dtype == DType.FLOAT64 ? 1e-9 : 1e-4;
      Forward<ConvReluPoolCache> f =
          ConvReluPool.forward(x.to(dtype), w.to(dtype), b.to(dtype), SAME, pool);
      assertRelError(f.out().to(DType.FLOAT64), p.out(), tol, dtype + " out");
      ConvGrads g = ConvReluPool.backward(dout.to(dtype), f.cache());
      assertRelError(g.dx().to(DType.FLOAT64), expected.dx(), tol, dtype + " dx");
      assertRelError(g.dw().to(DType.FLOAT64), expected.dw(), tol, dtype + " dw");
      assertRelError(g.db().to(DType.FLOAT64), expected.db(), tol, dtype + " db");
      ConvGrads noDx = ConvReluPool.backward(dout.to(dtype), f.cache(), false);
      assertNull(noDx.dx());
      if (dtype == DType.FLOAT64 || !ConvReluPool.VECTOR) {
        // The same routing and product as with dx.
        assertArrayEquals(g.dw().toDoubleArray(), noDx.dw().toDoubleArray(), 0.0, "dw without dx");
        assertArrayEquals(g.db().toDoubleArray(), noDx.db().toDoubleArray(), 0.0, "db without dx");
      } else {
        // Float32 without dx sums the routed gradients' receptive fields instead.
        assertRelError(noDx.dw().to(DType.FLOAT64), expected.dw(), tol, dtype + " routed dw");
        assertRelError(noDx.db().to(DType.FLOAT64), expected.db(), tol, dtype + " routed db");
      }
    }
  }

  /** N, C, H, W, F, HH (= WW), conv stride, conv pad, pool height, width, stride. */
  static Stream<Arguments> routedCases() {
    return Stream.of(
        Arguments.of(2, 3, 32, 32, 4, 7, 1, 3, 2, 2, 2), // the convnet's geometry
        Arguments.of(3, 2, 8, 8, 4, 3, 1, 1, 2, 2, 2),
        Arguments.of(3, 2, 8, 8, 4, 3, 1, 1, 4, 4, 4),
        Arguments.of(3, 2, 8, 8, 4, 3, 1, 1, 2, 2, 1), // overlapping windows
        Arguments.of(3, 2, 8, 8, 4, 3, 1, 1, 2, 2, 3),
        Arguments.of(3, 2, 8, 8, 4, 3, 1, 1, 3, 3, 1),
        Arguments.of(2, 1, 9, 9, 3, 5, 2, 2, 2, 2, 1), // conv stride 2: 5×5 output
        Arguments.of(2, 4, 6, 10, 5, 1, 1, 0, 2, 2, 2), // 1×1 filters
        Arguments.of(1, 3, 7, 34, 6, 3, 1, 1, 1, 2, 2)); // 1×2 windows, 17 per row
  }

  @ParameterizedTest
  @MethodSource("routedCases")
  void routedWeightGradientEqualsTheReferenceLayers(
      int n, int c, int h, int w, int f, int k, int stride, int pad, int ph, int pw, int ps) {
    // Float32 dw and db without dx, on the routed path and on the dense one, against the naive
    // float64 layers composed by hand on the same float32 inputs. A negative bias kills some
    // windows (relu output 0), which the routed path skips.
    SplittableRandom rng = new SplittableRandom(n * 100 + k * 10 + ps);
    ConvSpec conv = new ConvSpec(stride, pad);
    PoolSpec pool = new PoolSpec(ph, pw, ps);
    Tensor x = randn(rng, n, c, h, w).to(DType.FLOAT32);
    Tensor wt = randn(rng, f, c, k, k).to(DType.FLOAT32);
    Tensor b = randn(rng, f).to(DType.FLOAT32);
    b.setFlat(0, -4.0); // filter 0 mostly dead
    Forward<ConvCache> cv =
        NaiveConv2d.INSTANCE.forward(
            x.to(DType.FLOAT64), wt.to(DType.FLOAT64), b.to(DType.FLOAT64), conv);
    Forward<PoolCache> p = NaiveMaxPool2d.INSTANCE.forward(cv.out().maximum(0), pool);
    Tensor dout = randn(rng, p.out().shape());
    Tensor da = NaiveMaxPool2d.INSTANCE.backward(dout, p.cache());
    for (int i = 0; i < da.size(); i++) {
      if (!(cv.out().getFlat(i) > 0)) {
        da.setFlat(i, 0);
      }
    }
    ConvGrads expected = NaiveConv2d.INSTANCE.backward(da, cv.cache());
    int dead = 0;
    for (int i = 0; i < p.out().size(); i++) {
      dead += p.out().getFlat(i) > 0 ? 0 : 1;
    }
    assertTrue(dead > 0, "some windows should be dead");

    Forward<ConvReluPoolCache> fw = ConvReluPool.forward(x, wt, b, conv, pool);
    Tensor d32 = dout.to(DType.FLOAT32);
    for (boolean routed : new boolean[] {true, false}) {
      if (routed && !ConvReluPool.VECTOR) {
        continue;
      }
      ConvGrads g = ConvReluPool.backward(d32, fw.cache(), false, Workspace.reusing(), routed);
      assertNull(g.dx());
      String at = routed ? "routed " : "dense ";
      assertNormRelError(g.dw().to(DType.FLOAT64), expected.dw(), at + "dw");
      assertNormRelError(g.db().to(DType.FLOAT64), expected.db(), at + "db");
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 20, 16, 34})
  void float32FusedPathEqualsTheReferenceLayersAtVectorWidths(int width) {
    // Conv outputs `width` wide: 8, 10, 16 or 17 pooled windows per row, i.e. whole groups of 8 on
    // vectors with and without a scalar tail. The reference runs in float64 on the same float32
    // inputs; normwise relative error (elementwise it says nothing about values near zero).
    SplittableRandom rng = new SplittableRandom(width);
    Tensor x = randn(rng, 3, 3, 6, width).to(DType.FLOAT32);
    Tensor w = randn(rng, 5, 3, 3, 3).to(DType.FLOAT32);
    Tensor b = randn(rng, 5).to(DType.FLOAT32);
    Tensor x64 = x.to(DType.FLOAT64);
    Forward<ConvCache> c =
        NaiveConv2d.INSTANCE.forward(x64, w.to(DType.FLOAT64), b.to(DType.FLOAT64), SAME);
    Tensor a = c.out().maximum(0);
    Forward<PoolCache> p = NaiveMaxPool2d.INSTANCE.forward(a, POOL);
    Tensor dout = randn(rng, p.out().shape());
    Tensor da = NaiveMaxPool2d.INSTANCE.backward(dout, p.cache());
    for (int i = 0; i < da.size(); i++) {
      if (!(c.out().getFlat(i) > 0)) {
        da.setFlat(i, 0);
      }
    }
    ConvGrads expected = NaiveConv2d.INSTANCE.backward(da, c.cache());

    Forward<ConvReluPoolCache> f = ConvReluPool.forward(x, w, b, SAME, POOL);
    assertNormRelError(f.out().to(DType.FLOAT64), p.out(), "out");
    // Each argmax lies in its own window and selects a maximum of the float64 relu output `a`
    // there, up to float32 rounding (the fused pass's conv may order its sums differently, so a
    // near-tie may go either way).
    int[] argmax = f.cache().argmax();
    int outW = width / 2;
    double tol = 1e-5 * a.maxAbs();
    for (int o = 0; o < argmax.length; o++) {
      int plane = o / (3 * outW);
      int top = plane * 6 * width + (o % (3 * outW)) / outW * 2 * width + o % outW * 2;
      int j = argmax[o];
      assertTrue(
          j == top || j == top + 1 || j == top + width || j == top + width + 1,
          "argmax[" + o + "] = " + j + " outside its window at " + top);
      double best =
          Math.max(
              Math.max(a.getFlat(top), a.getFlat(top + 1)),
              Math.max(a.getFlat(top + width), a.getFlat(top + width + 1)));
      assertEquals(best, a.getFlat(j), tol, "argmax[" + o + "] selects a maximum");
      assertEquals(a.getFlat(j), f.out().getFlat(o), tol, "out[" + o + "]");
    }
    assertTrue(f.cache().out() == f.out(), "the cache keeps the output");
    ConvGrads g = ConvReluPool.backward(dout.to(DType.FLOAT32), f.cache());
    assertNormRelError(g.dx().to(DType.FLOAT64), expected.dx(), "dx");
    assertNormRelError(g.dw().to(DType.FLOAT64), expected.dw(), "dw");
    assertNormRelError(g.db().to(DType.FLOAT64), expected.db(), "db");
  }

  @ParameterizedTest
  @ValueSource(ints = {32, 20, 16, 34, 66, 6})
  void float32RoutingOnVectorsEqualsTheScalarLoop(int width) {
    assumeTrue(FastMaxPool2d.VECTOR, "no 256-bit Vector API here");
    SplittableRandom rng = new SplittableRandom(width);
    int f = 4;
    int h = 6;
    int n = 2;
    int plane = h * width;
    int pooled = plane / 4;
    // A relu output with many zeros and ties (values in {0, 0, 1, 2}) and some random values:
    // windows of zeros (closed gates), tied windows, single maxima.
    float[] a = new float[n * f * plane];
    for (int i = 0; i < a.length; i++) {
      a[i] =
          rng.nextInt(4) == 0
              ? (float) Math.abs(rng.nextGaussian())
              : Math.max(rng.nextInt(4) - 1, 0);
    }
    float[] out = new float[n * f * pooled];
    int[] argmax = new int[out.length];
    FastMaxPool2d.tiles2(a, 0, out, argmax, 0, n * f, h, width, false, false);
    float[] dout = new float[out.length];
    for (int i = 0; i < dout.length; i++) {
      dout[i] = (float) rng.nextGaussian();
    }
    for (int img = 0; img < n; img++) {
      float[] daScalar = new float[f * plane];
      float[] daVector = new float[f * plane];
      java.util.Arrays.fill(daVector, Float.NaN);
      double[] dbScalar = new double[f];
      double[] dbVector = new double[f];
      int outOff = img * f * pooled;
      int aOff = img * f * plane;
      ConvReluPool.scatter(
          dout, out, argmax, outOff, f, pooled, aOff, true, width, daScalar, dbScalar, false);
      ConvReluPool.scatter(
          dout, out, argmax, outOff, f, pooled, aOff, true, width, daVector, dbVector, true);
      for (int i = 0; i < daScalar.length; i++) {
        assertEquals(
            Float.floatToRawIntBits(daScalar[i]),
            Float.floatToRawIntBits(daVector[i]),
            "image " + img + ": da[" + i + "]");
      }
      for (int jf = 0; jf < f; jf++) {
        double scale = 0;
        for (int o = outOff + jf * pooled; o < outOff + (jf + 1) * pooled; o++) {
          scale += Math.abs(dout[o]);
        }
        // Each group of 8 windows is summed in float, then added in double.
        assertEquals(dbScalar[jf], dbVector[jf], 1e-6 * scale, "image " + img + ": db[" + jf + "]");
      }
    }
  }

  private static void assertNormRelError(Tensor actual, Tensor expected, String what) {
    double e = ConvTestSupport.normRelError(actual, expected);
    assertTrue(e <= 1e-5, what + ": normwise relative error " + e + " > 1e-5");
  }

  @Test
  void float32MatchesFloat64() {
    SplittableRandom rng = new SplittableRandom(22);
    Tensor x = randn(rng, 2, 3, 8, 8);
    Tensor w = randn(rng, 4, 3, 3, 3);
    Tensor b = randn(rng, 4);
    Tensor x32 = x.to(DType.FLOAT32);
    Tensor w32 = w.to(DType.FLOAT32);
    Tensor b32 = b.to(DType.FLOAT32);

    Forward<ConvReluPoolCache> p64 = ConvReluPool.forward(x, w, b, SAME, POOL);
    Forward<ConvReluPoolCache> p32 = ConvReluPool.forward(x32, w32, b32, SAME, POOL);
    assertFloat32Matches(p64.out(), p32.out(), "conv-relu-pool out");
    Tensor dout = randn(rng, p64.out().shape());
    ConvGrads g64 = ConvReluPool.backward(dout, p64.cache());
    ConvGrads g32 = ConvReluPool.backward(dout.to(DType.FLOAT32), p32.cache());
    assertFloat32Matches(g64.dx(), g32.dx(), "conv-relu-pool dx");
    assertFloat32Matches(g64.dw(), g32.dw(), "conv-relu-pool dw");
    assertFloat32Matches(g64.db(), g32.db(), "conv-relu-pool db");

    Forward<ConvReluCache> r64 = ConvRelu.forward(x, w, b, SAME);
    Forward<ConvReluCache> r32 = ConvRelu.forward(x32, w32, b32, SAME);
    assertFloat32Matches(r64.out(), r32.out(), "conv-relu out");
    Tensor dr = randn(rng, r64.out().shape());
    ConvGrads h64 = ConvRelu.backward(dr, r64.cache());
    ConvGrads h32 = ConvRelu.backward(dr.to(DType.FLOAT32), r32.cache());
    assertFloat32Matches(h64.dx(), h32.dx(), "conv-relu dx");
    assertFloat32Matches(h64.dw(), h32.dw(), "conv-relu dw");
    assertFloat32Matches(h64.db(), h32.db(), "conv-relu db");
  }

  @Test
  void reluGateOpensExactlyForPositiveActivations() {
    float[] gates32 = {0f, Float.MIN_VALUE, 1e-30f, 2.5f, Float.MAX_VALUE, Float.POSITIVE_INFINITY};
    double[] gates64 = {0.0, Double.MIN_VALUE, 1e-300, 2.5, Double.MAX_VALUE};
    for (float g : gates32) {
      assertEquals(g > 0 ? -3.5f : 0f, ConvRelu.gate(-3.5f, g), 0f, "float gate " + g);
    }
    for (double g : gates64) {
      assertEquals(g > 0 ? 7.25 : 0.0, ConvRelu.gate(7.25, g), 0.0, "double gate " + g);
    }
    Tensor a = Tensor.of(DType.FLOAT32, new double[] {-2, -0.0, 0, 3}, 4);
    ConvRelu.reluInPlace(a);
    assertArrayEquals(new double[] {0, 0, 0, 3}, a.toDoubleArray(), 0.0);
    assertEquals(0, Double.doubleToRawLongBits(a.getFlat(1)), "relu(-0.0) must be +0.0");
  }

  @Test
  void badArgumentsFailBeforeAnyWork() {
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3, 5, 5);
    Tensor w = Tensor.zeros(DType.FLOAT64, 4, 3, 3, 3);
    Tensor b = Tensor.zeros(DType.FLOAT64, 4);
    assertRejected(
        () -> ConvReluPool.forward(x, w, b, SAME, POOL),
        "does not tile",
        "the conv output",
        "(2, 4, 5, 5)");
    assertRejected(
        () -> ConvReluPool.forward(x, Tensor.zeros(DType.FLOAT64, 4, 2, 3, 3), b, SAME, POOL),
        "w",
        "C = 2",
        "C = 3");
    assertRejected(
        () -> ConvRelu.forward(x, w, Tensor.zeros(DType.FLOAT64, 5), SAME), "b", "(5,)", "(4,)");
  }
}
