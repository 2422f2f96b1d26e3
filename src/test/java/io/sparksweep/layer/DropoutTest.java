package io.sparksweep.layer;

import static io.sparksweep.gradcheck.GradientCheck.numericalGradientArray;
import static io.sparksweep.gradcheck.GradientCheck.relError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DropoutTest {
  private static final DType F64 = DType.FLOAT64;

  private static double fractionZero(Tensor t) {
    int zeros = 0;
    for (int i = 0; i < t.size(); i++) {
      if (t.getFlat(i) == 0) {
        zeros++;
      }
    }
    return (double) zeros / t.size();
  }

  /** Dropout notebook cell 12: x = randn(500, 500) + 10, p ∈ {0.25, 0.4, 0.7}. */
  @ParameterizedTest
  @ValueSource(doubles = {0.25, 0.4, 0.7})
  void trainDropsOneMinusKeepAndPreservesTheMean(double keep) {
    Tensor x = Tensor.randn(F64, new SplittableRandom(493), 1.0, 500, 500).addScalarInPlace(10);
    Tensor out = Dropout.forward(x, keep, Mode.TRAIN, new SplittableRandom(1)).out();
    Tensor outTest = Dropout.forward(x, keep, Mode.TEST, null).out();
    // 250,000 Bernoulli draws: the zero fraction's std is below 0.001.
    assertEquals(1 - keep, fractionZero(out), 0.005);
    // The output mean's std is 10·sqrt((1 − p)/p / 250000) ≤ 0.035 (p = 0.25).
    assertEquals(x.mean(), out.mean(), 0.15);
    assertEquals(0.0, fractionZero(outTest));
    assertEquals(x.mean(), outTest.mean(), 0.0);
    // Kept elements are scaled by exactly 1/p.
    for (int i = 0; i < x.size(); i++) {
      double o = out.getFlat(i);
      assertTrue(o == 0 || Math.abs(o - x.getFlat(i) / keep) <= 1e-12 * Math.abs(o));
    }
  }

  @Test
  void testModeAndKeepOneAreTheIdentity() {
    Tensor x = Tensor.randn(F64, new SplittableRandom(3), 1.0, 20, 30);
    Forward<Dropout.Cache> test = Dropout.forward(x, 0.3, Mode.TEST, new SplittableRandom(1));
    assertArrayEquals(x.toDoubleArray(), test.out().toDoubleArray(), 0.0);
    Forward<Dropout.Cache> keepAll = Dropout.forward(x, 1.0, Mode.TRAIN, null);
    assertArrayEquals(x.toDoubleArray(), keepAll.out().toDoubleArray(), 0.0);
    Tensor dout = Tensor.randn(F64, new SplittableRandom(4), 1.0, 20, 30);
    assertSame(dout, Dropout.backward(dout, keepAll.cache()));
    assertSame(dout, Dropout.backward(dout, test.cache()));
  }

  @Test
  void sameSeedSameMaskOtherSeedOtherMask() {
    Tensor x = Tensor.full(F64, 1.0, 40, 50);
    double[] a =
        Dropout.forward(x, 0.5, Mode.TRAIN, new SplittableRandom(42)).out().toDoubleArray();
    double[] b =
        Dropout.forward(x, 0.5, Mode.TRAIN, new SplittableRandom(42)).out().toDoubleArray();
    double[] c =
        Dropout.forward(x, 0.5, Mode.TRAIN, new SplittableRandom(43)).out().toDoubleArray();
    assertArrayEquals(a, b, 0.0);
    assertFalse(Arrays.equals(a, c));
  }

  /** Dropout notebook cell 14: p = 0.2 with a fixed seed; error around 1e-10 or less. */
  @Test
  void backwardMatchesNumericalGradientWithAFixedMask() {
    SplittableRandom rng = new SplittableRandom(493);
    Tensor x = Tensor.randn(F64, rng, 1.0, 10, 10).addScalarInPlace(10);
    Tensor dout = Tensor.randn(F64, rng, 1.0, 10, 10);
    Forward<Dropout.Cache> f = Dropout.forward(x, 0.2, Mode.TRAIN, new SplittableRandom(123));
    Tensor dx = Dropout.backward(dout, f.cache());
    // Reseed on every evaluation so the numeric gradient sees the same mask.
    Tensor dxNum =
        numericalGradientArray(
            v -> Dropout.forward(v, 0.2, Mode.TRAIN, new SplittableRandom(123)).out(), x, dout);
    assertTrue(relError(dxNum, dx) < 1e-9, "dx " + relError(dxNum, dx));
    assertTrue(fractionZero(dx) > 0.5, "the mask should drop most of dx at p = 0.2");
  }

  @ParameterizedTest
  @ValueSource(doubles = {0.0, -0.1, 1.5, Double.NaN})
  void keepProbabilityOutsideZeroOneIsRejected(double keep) {
    Tensor x = Tensor.zeros(F64, 2, 2);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dropout.forward(x, keep, Mode.TRAIN, new SplittableRandom(1)));
    assertTrue(
        e.getMessage().contains("keepProbability") && e.getMessage().contains(String.valueOf(keep)),
        e.getMessage());
  }

  @Test
  void trainModeNeedsAGenerator() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Dropout.forward(Tensor.zeros(F64, 2, 2), 0.5, Mode.TRAIN, null));
    assertTrue(e.getMessage().contains("rng"));
  }
}
