package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** numpy parity of the grid ranges; expected values printed by numpy 2.4 ({@code .tolist()}). */
class RangesTest {
  @Test
  void logspaceOfIntegerExponentsIsExactPowersOfTen() {
    // np.logspace(-4, 0, 5)
    assertArrayEquals(new double[] {1e-4, 1e-3, 1e-2, 1e-1, 1.0}, Ranges.logspace(-4, 0, 5));
  }

  @Test
  void logspaceMatchesNumpy() {
    // np.logspace(-4, 0, 20).tolist()
    double[] numpy = {
      0.0001, 0.0001623776739188721, 0.00026366508987303583, 0.00042813323987193956,
      0.0006951927961775605, 0.0011288378916846883, 0.0018329807108324356, 0.002976351441631319,
      0.004832930238571752, 0.007847599703514606, 0.012742749857031334, 0.0206913808111479,
      0.03359818286283781, 0.05455594781168514, 0.08858667904100823, 0.14384498882876628,
      0.23357214690901212, 0.3792690190732246, 0.615848211066026, 1.0
    };
    double[] ours = Ranges.logspace(-4, 0, 20);
    assertEquals(numpy.length, ours.length);
    for (int i = 0; i < numpy.length; i++) {
      // within 2 ulps: numpy's pow is glibc's, ours is fdlibm's
      assertEquals(numpy[i], ours[i], 2 * Math.ulp(numpy[i]), "value " + i);
    }
  }

  @Test
  void linspaceMatchesNumpy() {
    // np.linspace(0.1, 1, 4).tolist()
    assertArrayEquals(new double[] {0.1, 0.4, 0.7, 1.0}, Ranges.linspace(0.1, 1, 4));
    assertArrayEquals(new double[] {2.0}, Ranges.linspace(2, 5, 1));
    assertArrayEquals(new double[] {3.0, 3.0}, Ranges.linspace(3, 3, 2));
  }

  @Test
  void pow10OfHalfIntegerMatchesPython() {
    assertEquals(0.00031622776601683794, Ranges.pow10(-3.5)); // Python 10**(-3.5)
  }
}
