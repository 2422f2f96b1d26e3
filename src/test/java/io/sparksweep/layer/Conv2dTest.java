package io.sparksweep.layer;

import static io.sparksweep.layer.ConvTestSupport.assertFloat32Matches;
import static io.sparksweep.layer.ConvTestSupport.assertRejected;
import static io.sparksweep.layer.ConvTestSupport.assertRelError;
import static io.sparksweep.layer.ConvTestSupport.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.gradcheck.GradientCheck;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Im2Col;
import io.sparksweep.tensor.Tensor;
import io.sparksweep.tensor.VectorIm2Col;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class Conv2dTest {

  static Stream<Conv2d> implementations() {
    return Stream.of(NaiveConv2d.INSTANCE, Im2ColConv2d.INSTANCE);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void forwardMatchesTheNotebooksCorrectOut(Conv2d conv) {
    Tensor x = Tensor.linspace(DType.FLOAT64, -0.1, 0.5, 2, 3, 4, 4);
    Tensor w = Tensor.linspace(DType.FLOAT64, -0.2, 0.3, 3, 3, 4, 4);
    Tensor b = Tensor.linspace(DType.FLOAT64, -0.1, 0.2, 3);
    Tensor out = conv.forward(x, w, b, new ConvSpec(2, 1)).out();
    double[] correct = {
      -0.08759809, -0.10987781, -0.18387192, -0.2109216,
      0.21027089, 0.21661097, 0.22847626, 0.23004637,
      0.50813986, 0.54309974, 0.64082444, 0.67101435,
      -0.98053589, -1.03143541, -1.19128892, -1.24695841,
      0.69108355, 0.66880383, 0.59480972, 0.56776003,
      2.36270298, 2.36904306, 2.38090835, 2.38247847
    };
    assertArrayEquals(new int[] {2, 3, 2, 2}, out.shape());
    assertRelError(out, Tensor.of(DType.FLOAT64, correct, 2, 3, 2, 2), 1e-7, "conv forward");
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void backwardPassesTheNotebooksGradientCheck(Conv2d conv) {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = randn(rng, 4, 3, 5, 5);
    Tensor w = randn(rng, 2, 3, 3, 3);
    Tensor b = randn(rng, 2);
    Tensor dout = randn(rng, 4, 2, 5, 5);
    ConvSpec spec = new ConvSpec(1, 1);

    Tensor dxNum =
        GradientCheck.numericalGradientArray(v -> conv.forward(v, w, b, spec).out(), x, dout);
    Tensor dwNum =
        GradientCheck.numericalGradientArray(v -> conv.forward(x, v, b, spec).out(), w, dout);
    Tensor dbNum =
        GradientCheck.numericalGradientArray(v -> conv.forward(x, w, v, spec).out(), b, dout);
    ConvGrads g = conv.backward(dout, conv.forward(x, w, b, spec).cache());
    // Notebook: "Your errors should be around e-8 or less."
    assertRelError(g.dx(), dxNum, 1e-7, "dx");
    assertRelError(g.dw(), dwNum, 1e-7, "dw");
    assertRelError(g.db(), dbNum, 1e-7, "db");
  }

  static Stream<Arguments> parityCases() {
    return Stream.of(
        // the notebook's fast-layer check
        Arguments.of(new int[] {100, 3, 31, 31}, new int[] {25, 3, 3, 3}, new ConvSpec(2, 1)),
        Arguments.of(new int[] {2, 3, 7, 7}, new int[] {4, 3, 3, 3}, new ConvSpec(1, 0)),
        Arguments.of(new int[] {3, 2, 9, 6}, new int[] {5, 2, 3, 2}, new ConvSpec(1, 2)),
        Arguments.of(new int[] {2, 3, 10, 7}, new int[] {4, 3, 5, 2}, new ConvSpec(3, 2)),
        Arguments.of(new int[] {2, 5, 4, 6}, new int[] {3, 5, 1, 1}, new ConvSpec(1, 0)),
        Arguments.of(new int[] {2, 3, 5, 5}, new int[] {2, 3, 1, 1}, new ConvSpec(2, 0)),
        Arguments.of(new int[] {2, 3, 32, 32}, new int[] {32, 3, 7, 7}, new ConvSpec(1, 3)),
        Arguments.of(new int[] {2, 3, 4, 4}, new int[] {5, 3, 4, 4}, new ConvSpec(1, 0)),
        Arguments.of(new int[] {1, 2, 3, 3}, new int[] {2, 2, 2, 2}, new ConvSpec(1, 3)),
        // W' = 32 and 64: whole micro-tiles of the implicit forward on AVX-512, with 8 + 3 filters.
        Arguments.of(new int[] {2, 2, 32, 32}, new int[] {11, 2, 3, 3}, new ConvSpec(1, 1)),
        Arguments.of(new int[] {1, 1, 8, 64}, new int[] {3, 1, 3, 3}, new ConvSpec(1, 1)));
  }

  @ParameterizedTest
  @MethodSource("parityCases")
  void im2colMatchesNaiveForwardAndBackward(int[] xShape, int[] wShape, ConvSpec spec) {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = randn(rng, xShape);
    Tensor w = randn(rng, wShape);
    Tensor b = randn(rng, wShape[0]);
    Forward<ConvCache> naive = NaiveConv2d.INSTANCE.forward(x, w, b, spec);
    Forward<ConvCache> fast = Im2ColConv2d.INSTANCE.forward(x, w, b, spec);
    assertRelError(fast.out(), naive.out(), 1e-9, "out");

    Tensor dout = randn(rng, naive.out().shape());
    ConvGrads gn = NaiveConv2d.INSTANCE.backward(dout, naive.cache());
    ConvGrads gf = Im2ColConv2d.INSTANCE.backward(dout, fast.cache());
    assertRelError(gf.dx(), gn.dx(), 1e-9, "dx");
    assertRelError(gf.dw(), gn.dw(), 1e-9, "dw");
    assertRelError(gf.db(), gn.db(), 1e-9, "db");
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void float32MatchesFloat64(Conv2d conv) {
    SplittableRandom rng = new SplittableRandom(5);
    Tensor x = randn(rng, 3, 3, 12, 10);
    Tensor w = randn(rng, 6, 3, 5, 3);
    Tensor b = randn(rng, 6);
    ConvSpec spec = new ConvSpec(1, 2);
    Forward<ConvCache> f64 = conv.forward(x, w, b, spec);
    Forward<ConvCache> f32 =
        conv.forward(x.to(DType.FLOAT32), w.to(DType.FLOAT32), b.to(DType.FLOAT32), spec);
    assertFloat32Matches(f64.out(), f32.out(), "out");
    Tensor dout = randn(rng, f64.out().shape());
    ConvGrads g64 = conv.backward(dout, f64.cache());
    ConvGrads g32 = conv.backward(dout.to(DType.FLOAT32), f32.cache());
    assertFloat32Matches(g64.dx(), g32.dx(), "dx");
    assertFloat32Matches(g64.dw(), g32.dw(), "dw");
    assertFloat32Matches(g64.db(), g32.db(), "db");
  }

  @ParameterizedTest
  @MethodSource("parityCases")
  void im2colFloat32MatchesFloat64OnEveryGeometry(int[] xShape, int[] wShape, ConvSpec spec) {
    // The float32 kernels are separate loops (and sgemm): exercise every path they have.
    SplittableRandom rng = new SplittableRandom(31);
    Tensor x = randn(rng, xShape);
    Tensor w = randn(rng, wShape);
    Tensor b = randn(rng, wShape[0]);
    Conv2d conv = Im2ColConv2d.INSTANCE;
    Forward<ConvCache> f64 = conv.forward(x, w, b, spec);
    Forward<ConvCache> f32 =
        conv.forward(x.to(DType.FLOAT32), w.to(DType.FLOAT32), b.to(DType.FLOAT32), spec);
    assertFloat32Matches(f64.out(), f32.out(), "out");
    Tensor dout = randn(rng, f64.out().shape());
    ConvGrads g64 = conv.backward(dout, f64.cache());
    ConvGrads g32 = conv.backward(dout.to(DType.FLOAT32), f32.cache());
    assertFloat32Matches(g64.dx(), g32.dx(), "dx");
    assertFloat32Matches(g64.dw(), g32.dw(), "dw");
    assertFloat32Matches(g64.db(), g32.db(), "db");
  }

  @ParameterizedTest
  @MethodSource("parityCases")
  void float32ForwardInBandsOfOutputRowsEqualsTheNaiveConvolution(
      int[] xShape, int[] wShape, ConvSpec spec) {
    // Bands of 1, 2, 3 and 5 output rows (and a last, shorter band), against the float64 naive
    // convolution of the same float32 inputs and against the whole-image product.
    SplittableRandom rng = new SplittableRandom(37);
    Tensor x = randn(rng, xShape).to(DType.FLOAT32);
    Tensor w = randn(rng, wShape).to(DType.FLOAT32);
    Tensor b = randn(rng, wShape[0]).to(DType.FLOAT32);
    Tensor expected =
        NaiveConv2d.INSTANCE
            .forward(x.to(DType.FLOAT64), w.to(DType.FLOAT64), b.to(DType.FLOAT64), spec)
            .out();
    Im2Col.Geometry g = ConvChecks.convForward(x, w, b, spec);
    int f = wShape[0];
    int p = g.outPixels();
    float[] cols = new float[g.patchSize() * p];
    float[] whole = new float[xShape[0] * f * p];
    for (int img = 0; img < xShape[0]; img++) {
      Im2ColConv2d.forwardImage(
          g,
          f,
          x.f32(),
          img * g.imageSize(),
          w.f32(),
          b.f32(),
          whole,
          img * f * p,
          cols,
          1 << 20,
          null,
          null);
    }
    for (int rows : new int[] {1, 2, 3, 5}) {
      float[] out = new float[whole.length];
      Arrays.fill(out, Float.NaN); // every element must be written
      for (int img = 0; img < xShape[0]; img++) {
        Im2ColConv2d.forwardImage(
            g,
            f,
            x.f32(),
            img * g.imageSize(),
            w.f32(),
            b.f32(),
            out,
            img * f * p,
            cols,
            rows,
            null,
            null);
      }
      if (ConvReluPool.VECTOR && g.stride() == 1 && !g.isIdentity()) {
        // The columns copied from the zero-padded image are the same columns: the same output,
        // bit for bit; read in place by the implicit forward, the same sums in another order.
        float[] padded = new float[whole.length];
        Arrays.fill(padded, Float.NaN);
        float[] xp = new float[VectorIm2Col.paddedSize(g)];
        int[] xpOffsets = new int[g.patchSize()];
        VectorIm2Col.rowOffsets(g, xpOffsets);
        float[] colsPadded = new float[cols.length + VectorIm2Col.SLACK];
        Arrays.fill(colsPadded, Float.NaN);
        for (int img = 0; img < xShape[0]; img++) {
          VectorIm2Col.pad(g, x.f32(), img * g.imageSize(), xp);
          Im2ColConv2d.forwardImage(
              g,
              f,
              x.f32(),
              img * g.imageSize(),
              w.f32(),
              b.f32(),
              padded,
              img * f * p,
              colsPadded,
              rows,
              xp,
              xpOffsets);
        }
        if (VectorIm2Col.implicit(g)) {
          Tensor implicit = Tensor.of(DType.FLOAT32, toDoubles(padded), expected.shape());
          double ei = ConvTestSupport.normRelError(implicit, expected);
          assertTrue(ei <= 1e-5, "implicit forward: normwise relative error " + ei + " > 1e-5");
          double di =
              ConvTestSupport.normRelError(
                  implicit, Tensor.of(DType.FLOAT32, toDoubles(out), expected.shape()));
          assertTrue(di <= 1e-6, "implicit forward against the bands: " + di + " > 1e-6");
        } else {
          assertArrayEquals(out, padded, 0f, rows + "-row bands from the padded image");
        }
      }
      Tensor banded = Tensor.of(DType.FLOAT32, toDoubles(out), expected.shape());
      double e = ConvTestSupport.normRelError(banded, expected);
      assertTrue(e <= 1e-5, rows + "-row bands: normwise relative error " + e + " > 1e-5");
      double d =
          ConvTestSupport.normRelError(
              banded, Tensor.of(DType.FLOAT32, toDoubles(whole), expected.shape()));
      assertTrue(d <= 1e-6, rows + "-row bands against the whole image: " + d + " > 1e-6");
    }
  }

  private static double[] toDoubles(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void backwardWithoutDxGivesTheSameWeightGradients(Conv2d conv) {
    SplittableRandom rng = new SplittableRandom(9);
    Tensor x = randn(rng, 2, 3, 6, 6);
    Tensor w = randn(rng, 4, 3, 3, 3);
    Tensor b = randn(rng, 4);
    Forward<ConvCache> f = conv.forward(x, w, b, new ConvSpec(1, 1));
    Tensor dout = randn(rng, f.out().shape());
    ConvGrads all = conv.backward(dout, f.cache());
    ConvGrads weightsOnly = conv.backward(dout, f.cache(), false);
    assertNull(weightsOnly.dx());
    assertArrayEquals(all.dw().toDoubleArray(), weightsOnly.dw().toDoubleArray(), 0.0);
    assertArrayEquals(all.db().toDoubleArray(), weightsOnly.db().toDoubleArray(), 0.0);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void badArgumentsFailAtOnceNamingTheArgument(Conv2d conv) {
    Tensor x = Tensor.zeros(DType.FLOAT64, 2, 3, 5, 5);
    Tensor w = Tensor.zeros(DType.FLOAT64, 4, 3, 3, 3);
    Tensor b = Tensor.zeros(DType.FLOAT64, 4);
    ConvSpec spec = new ConvSpec(1, 1);
    assertRejected(
        () -> conv.forward(x, Tensor.zeros(DType.FLOAT64, 4, 2, 3, 3), b, spec),
        "w",
        "(4, 2, 3, 3)",
        "C = 2",
        "C = 3",
        "(2, 3, 5, 5)");
    assertRejected(
        () -> conv.forward(x, w, Tensor.zeros(DType.FLOAT64, 3), spec), "b", "(3,)", "(4,)");
    assertRejected(
        () -> conv.forward(Tensor.zeros(DType.FLOAT64, 3, 5, 5), w, b, spec), "x", "(3, 5, 5)");
    assertRejected(
        () -> conv.forward(x, w, b, new ConvSpec(3, 0)),
        "non-integral output height",
        "(2, 3, 5, 5)",
        "(4, 3, 3, 3)",
        "stride=3");
    assertRejected(
        () -> conv.forward(x, Tensor.zeros(DType.FLOAT64, 4, 3, 9, 3), b, spec),
        "HH = 9",
        "height");
    assertRejected(() -> conv.forward(x.to(DType.FLOAT32), w, b, spec), "w", "FLOAT64", "FLOAT32");
    Forward<ConvCache> f = conv.forward(x, w, b, spec);
    assertRejected(
        () -> conv.backward(Tensor.zeros(DType.FLOAT64, 2, 4, 4, 5), f.cache()),
        "dout",
        "(2, 4, 4, 5)",
        "(2, 4, 5, 5)");
  }

  @Test
  void convSpecRejectsBadValues() {
    assertRejected(() -> new ConvSpec(0, 1), "stride = 0");
    assertRejected(() -> new ConvSpec(1, -1), "pad = -1");
    assertRejected(() -> ConvSpec.same(4), "filterSize = 4");
    assertArrayEquals(
        new int[] {1, 3}, new int[] {ConvSpec.same(7).stride(), ConvSpec.same(7).pad()});
  }
}
