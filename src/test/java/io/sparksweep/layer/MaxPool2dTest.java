package io.sparksweep.layer;

import static io.sparksweep.layer.ConvTestSupport.assertFloat32Matches;
import static io.sparksweep.layer.ConvTestSupport.assertRejected;
import static io.sparksweep.layer.ConvTestSupport.assertRelError;
import static io.sparksweep.layer.ConvTestSupport.randn;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sparksweep.gradcheck.GradientCheck;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class MaxPool2dTest {

  static Stream<MaxPool2d> implementations() {
    return Stream.of(NaiveMaxPool2d.INSTANCE, FastMaxPool2d.INSTANCE);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void forwardMatchesTheNotebooksCorrectOut(MaxPool2d pool) {
    Tensor x = Tensor.linspace(DType.FLOAT64, -0.3, 0.4, 2, 3, 4, 4);
    Tensor out = pool.forward(x, new PoolSpec(2, 2, 2)).out();
    double[] correct = {
      -0.26315789, -0.24842105, -0.20421053, -0.18947368,
      -0.14526316, -0.13052632, -0.08631579, -0.07157895,
      -0.02736842, -0.01263158, 0.03157895, 0.04631579,
      0.09052632, 0.10526316, 0.14947368, 0.16421053,
      0.20842105, 0.22315789, 0.26736842, 0.28210526,
      0.32631579, 0.34105263, 0.38526316, 0.4
    };
    assertArrayEquals(new int[] {2, 3, 2, 2}, out.shape());
    assertRelError(out, Tensor.of(DType.FLOAT64, correct, 2, 3, 2, 2), 1e-7, "pool forward");
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void backwardPassesTheNotebooksGradientCheck(MaxPool2d pool) {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = randn(rng, 3, 2, 8, 8);
    Tensor dout = randn(rng, 3, 2, 4, 4);
    PoolSpec spec = new PoolSpec(2, 2, 2);
    Tensor dxNum = GradientCheck.numericalGradientArray(v -> pool.forward(v, spec).out(), x, dout);
    Tensor dx = pool.backward(dout, pool.forward(x, spec).cache());
    // Notebook: "Your error should be on the order of e-12."
    assertRelError(dx, dxNum, 1e-10, "dx");
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void overlappingWindowsPassTheGradientCheck(MaxPool2d pool) {
    SplittableRandom rng = new SplittableRandom(17);
    Tensor x = randn(rng, 2, 2, 7, 8);
    PoolSpec spec = new PoolSpec(3, 2, 2);
    Tensor dout = randn(rng, 2, 2, 3, 4);
    Tensor dxNum = GradientCheck.numericalGradientArray(v -> pool.forward(v, spec).out(), x, dout);
    assertRelError(pool.backward(dout, pool.forward(x, spec).cache()), dxNum, 1e-10, "dx");
  }

  static Stream<Arguments> parityCases() {
    return Stream.of(
        // tiles (reshape) path, the notebook's fast-layer check first
        Arguments.of(new int[] {100, 3, 32, 32}, new PoolSpec(2, 2, 2), true),
        Arguments.of(new int[] {2, 3, 9, 6}, new PoolSpec(3, 3, 3), true),
        Arguments.of(new int[] {2, 3, 5, 5}, new PoolSpec(1, 1, 1), true),
        // general path: overlapping, non-square, whole-input windows
        Arguments.of(new int[] {2, 3, 9, 9}, new PoolSpec(3, 3, 2), false),
        Arguments.of(new int[] {2, 2, 8, 7}, new PoolSpec(2, 3, 1), false),
        Arguments.of(new int[] {2, 3, 8, 8}, new PoolSpec(2, 2, 1), false),
        Arguments.of(new int[] {2, 3, 5, 4}, new PoolSpec(5, 4, 1), false),
        Arguments.of(new int[] {2, 3, 8, 8}, new PoolSpec(2, 2, 3), false));
  }

  @ParameterizedTest
  @MethodSource("parityCases")
  void fastMatchesNaiveExactlyOnBothPaths(int[] shape, PoolSpec spec, boolean tiles) {
    assertEquals(tiles, FastMaxPool2d.tiles(shape[2], shape[3], spec), "path taken");
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = randn(rng, shape);
    Forward<PoolCache> naive = NaiveMaxPool2d.INSTANCE.forward(x, spec);
    Forward<PoolCache> fast = FastMaxPool2d.INSTANCE.forward(x, spec);
    assertArrayEquals(naive.out().toDoubleArray(), fast.out().toDoubleArray(), 0.0);
    Tensor dout = randn(rng, naive.out().shape());
    Tensor dxNaive = NaiveMaxPool2d.INSTANCE.backward(dout, naive.cache());
    assertArrayEquals(
        dxNaive.toDoubleArray(),
        FastMaxPool2d.INSTANCE.backward(dout, fast.cache()).toDoubleArray(),
        0.0);
  }

  @ParameterizedTest
  @MethodSource("parityCases")
  void tiesRouteToTheFirstMaximumInBothImplementations(int[] shape, PoolSpec spec, boolean t) {
    // Values in {0, 1, 2}: most windows hold tied maxima.
    SplittableRandom rng = new SplittableRandom(3);
    Tensor x = Tensor.zeros(DType.FLOAT64, shape);
    for (int i = 0; i < x.size(); i++) {
      x.setFlat(i, rng.nextInt(3));
    }
    Forward<PoolCache> naive = NaiveMaxPool2d.INSTANCE.forward(x, spec);
    Forward<PoolCache> fast = FastMaxPool2d.INSTANCE.forward(x, spec);
    Tensor dout = randn(rng, naive.out().shape());
    assertArrayEquals(
        NaiveMaxPool2d.INSTANCE.backward(dout, naive.cache()).toDoubleArray(),
        FastMaxPool2d.INSTANCE.backward(dout, fast.cache()).toDoubleArray(),
        0.0);
  }

  @ParameterizedTest
  @EnumSource(DType.class)
  void signedZerosInfinitiesAndNaNsSelectAsInTheNaiveLoop(DType dtype) {
    // The 2×2 tiles kernel compares through the sign of a difference; its corner cases (−0.0 vs
    // +0.0, equal infinities, NaNs anywhere in a window) must select what "v > best" selects.
    double[] special = {
      0.0,
      -0.0,
      1.0,
      -1.0,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY,
      Double.NaN,
      3e38,
      -3e38,
      Float.MIN_VALUE,
      -Float.MIN_VALUE
    };
    SplittableRandom rng = new SplittableRandom(11);
    Tensor x = Tensor.zeros(dtype, 4, 3, 8, 8);
    for (int i = 0; i < x.size(); i++) {
      x.setFlat(i, special[rng.nextInt(special.length)]);
    }
    for (PoolSpec spec : new PoolSpec[] {new PoolSpec(2, 2, 2), new PoolSpec(4, 4, 4)}) {
      Forward<PoolCache> naive = NaiveMaxPool2d.INSTANCE.forward(x, spec);
      Forward<PoolCache> fast = FastMaxPool2d.INSTANCE.forward(x, spec);
      assertArrayEquals(naive.cache().argmax(), fast.cache().argmax(), spec.toString());
      assertArrayEquals(naive.out().toDoubleArray(), fast.out().toDoubleArray(), 0.0);
    }
  }

  /** Random values, values in {0, 1, 2} (tied maxima), or signed zeros, infinities and NaNs. */
  private static float[] float32Planes(int kind, int size, SplittableRandom rng) {
    float[] special = {
      0f, -0f, 1f, -1f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 3e38f, -3e38f
    };
    float[] x = new float[size];
    for (int i = 0; i < size; i++) {
      x[i] =
          switch (kind) {
            case 0 -> (float) rng.nextGaussian();
            case 1 -> rng.nextInt(3);
            default -> special[rng.nextInt(special.length)];
          };
    }
    return x;
  }

  @ParameterizedTest
  @ValueSource(ints = {16, 20, 32, 34, 66, 6})
  void float32TilesOnVectorsSelectBitForBitAsTheNaiveLoop(int width) {
    // Groups of VectorPool2x2.WINDOWS windows (8 on AVX2, 16 on AVX-512) per row on vectors: widths
    // 16 and 32 whole groups (32 only with 16 lanes), 20, 34 and 66 groups and a scalar tail, 6 the
    // scalar loop only. With and without the fused relu.
    assumeTrue(FastMaxPool2d.VECTOR, "no 256-bit Vector API here");
    SplittableRandom rng = new SplittableRandom(width);
    int planes = 5;
    int h = 6;
    int size = planes * h * width;
    int pooled = size / 4;
    for (int kind = 0; kind < 3; kind++) {
      float[] x = float32Planes(kind, size, rng);
      for (boolean relu : new boolean[] {false, true}) {
        float[] input = x.clone();
        if (relu) {
          for (int i = 0; i < size; i++) {
            input[i] = Math.max(input[i], 0f);
          }
        }
        double[] in64 = new double[size];
        for (int i = 0; i < size; i++) {
          in64[i] = input[i];
        }
        Forward<PoolCache> naive =
            NaiveMaxPool2d.INSTANCE.forward(
                Tensor.of(DType.FLOAT32, in64, 1, planes, h, width), new PoolSpec(2, 2, 2));
        for (boolean vector : new boolean[] {false, true}) {
          float[] a = x.clone();
          float[] out = new float[pooled];
          int[] argmax = new int[pooled];
          FastMaxPool2d.tiles2(a, 0, out, argmax, 0, planes, h, width, vector, relu);
          String at = "kind " + kind + (relu ? " relu" : "") + (vector ? " vector" : " scalar");
          assertArrayEquals(naive.cache().argmax(), argmax, at + ": argmax");
          for (int i = 0; i < pooled; i++) {
            assertEquals(
                Float.floatToRawIntBits((float) naive.out().getFlat(i)),
                Float.floatToRawIntBits(out[i]),
                at + ": out[" + i + "]");
          }
          for (int i = 0; i < size; i++) {
            assertEquals(
                Float.floatToRawIntBits(input[i]),
                Float.floatToRawIntBits(a[i]),
                at + ": the input after the pass, [" + i + "]");
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void aTiedWindowSendsItsGradientToItsFirstMaximumInRowMajorOrder(MaxPool2d pool) {
    Tensor x = Tensor.of(DType.FLOAT64, new double[] {1, 5, 5, 2}, 1, 1, 2, 2);
    Tensor dout = Tensor.of(DType.FLOAT64, new double[] {3}, 1, 1, 1, 1);
    Tensor dx = pool.backward(dout, pool.forward(x, new PoolSpec(2, 2, 2)).cache());
    assertArrayEquals(new double[] {0, 3, 0, 0}, dx.toDoubleArray(), 0.0);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void float32MatchesFloat64(MaxPool2d pool) {
    SplittableRandom rng = new SplittableRandom(8);
    for (PoolSpec spec : new PoolSpec[] {new PoolSpec(2, 2, 2), new PoolSpec(3, 3, 1)}) {
      Tensor x = randn(rng, 2, 3, 8, 8);
      Forward<PoolCache> f64 = pool.forward(x, spec);
      Forward<PoolCache> f32 = pool.forward(x.to(DType.FLOAT32), spec);
      assertFloat32Matches(f64.out(), f32.out(), "out " + spec);
      Tensor dout = randn(rng, f64.out().shape());
      assertFloat32Matches(
          pool.backward(dout, f64.cache()),
          pool.backward(dout.to(DType.FLOAT32), f32.cache()),
          "dx " + spec);
    }
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void badArgumentsFailAtOnceNamingTheArgument(MaxPool2d pool) {
    Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1, 4, 4);
    assertRejected(
        () -> pool.forward(x, new PoolSpec(5, 2, 1)),
        "pool height = 5",
        "(1, 1, 4, 4)",
        "at most 4");
    assertRejected(
        () -> pool.forward(x, new PoolSpec(3, 3, 2)), "does not tile", "(1, 1, 4, 4)", "stride 2");
    assertRejected(
        () -> pool.forward(Tensor.zeros(DType.FLOAT64, 4, 4), new PoolSpec(2, 2, 2)),
        "x",
        "(4, 4)");
    Forward<PoolCache> f = pool.forward(x, new PoolSpec(2, 2, 2));
    assertRejected(
        () -> pool.backward(Tensor.zeros(DType.FLOAT64, 1, 1, 4, 4), f.cache()),
        "dout",
        "(1, 1, 4, 4)",
        "(1, 1, 2, 2)");
  }

  @Test
  void poolSpecRejectsBadValues() {
    assertRejected(() -> new PoolSpec(0, 2, 2), "height = 0");
    assertRejected(() -> new PoolSpec(2, -1, 2), "width = -1");
    assertRejected(() -> new PoolSpec(2, 2, 0), "stride = 0");
  }
}
