package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The Sobol sequence against SciPy's, and the digital shift's stratification. */
class SobolTest {
  /**
   * {@code scipy.stats.qmc.Sobol(d=16, scramble=False, bits=32).random(1024)} (SciPy 1.17.1, Joe
   * and Kuo's direction numbers), rows 1, 2, 3, 5, 7, 13, 100, 511, 1000 and 1023, times 2^32.
   */
  private static final long[][] SCIPY = {
    {
      1,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L,
      2147483648L
    },
    {
      2,
      3221225472L,
      1073741824L,
      1073741824L,
      1073741824L,
      3221225472L,
      3221225472L,
      1073741824L,
      3221225472L,
      3221225472L,
      3221225472L,
      3221225472L,
      3221225472L,
      1073741824L,
      1073741824L,
      3221225472L,
      1073741824L
    },
    {
      3,
      1073741824L,
      3221225472L,
      3221225472L,
      3221225472L,
      1073741824L,
      1073741824L,
      3221225472L,
      1073741824L,
      1073741824L,
      1073741824L,
      1073741824L,
      1073741824L,
      3221225472L,
      3221225472L,
      1073741824L,
      3221225472L
    },
    {
      5,
      3758096384L,
      3758096384L,
      536870912L,
      1610612736L,
      3758096384L,
      2684354560L,
      3758096384L,
      1610612736L,
      1610612736L,
      536870912L,
      1610612736L,
      3758096384L,
      3758096384L,
      536870912L,
      3758096384L,
      1610612736L
    },
    {
      7,
      536870912L,
      2684354560L,
      1610612736L,
      536870912L,
      536870912L,
      1610612736L,
      2684354560L,
      2684354560L,
      2684354560L,
      3758096384L,
      2684354560L,
      536870912L,
      2684354560L,
      1610612736L,
      536870912L,
      536870912L
    },
    {
      13,
      3489660928L,
      2952790016L,
      3489660928L,
      268435456L,
      1879048192L,
      4026531840L,
      2415919104L,
      2415919104L,
      2415919104L,
      1879048192L,
      3489660928L,
      4026531840L,
      268435456L,
      3489660928L,
      805306368L,
      2415919104L
    },
    {
      100,
      1778384896L,
      1107296256L,
      3321888768L,
      3120562176L,
      3791650816L,
      3187671040L,
      100663296L,
      2046820352L,
      2717908992L,
      2986344448L,
      1979711488L,
      2919235584L,
      2046820352L,
      3657433088L,
      1375731712L,
      2113929216L
    },
    {
      511,
      8388608L,
      2155872256L,
      1753219072L,
      3632267264L,
      1518338048L,
      3766484992L,
      3196059648L,
      1988100096L,
      947912704L,
      864026624L,
      1468006400L,
      3565158400L,
      260046848L,
      4051697664L,
      511705088L,
      2776629248L
    },
    {
      1000,
      943718400L,
      415236096L,
      2227175424L,
      2906652672L,
      1203765248L,
      3896508416L,
      197132288L,
      3862953984L,
      2151677952L,
      297795584L,
      364904448L,
      1094713344L,
      692060160L,
      1648361472L,
      616562688L,
      1589641216L
    },
    {
      1023,
      4194304L,
      3233808384L,
      2629828608L,
      624951296L,
      801112064L,
      1883242496L,
      599785472L,
      2654994432L,
      1480589312L,
      3653238784L,
      2915041280L,
      155189248L,
      557842432L,
      2856321024L,
      1556086784L,
      1992294400L
    },
  };

  @Test
  void theUnshiftedSequenceIsScipys() {
    Sobol sobol = new Sobol(16, new int[16]);
    assertArrayEquals(new double[16], sobol.point(0));
    for (long[] row : SCIPY) {
      double[] expected = new double[16];
      for (int d = 0; d < 16; d++) {
        expected[d] = row[d + 1] * 0x1p-32;
      }
      assertArrayEquals(expected, sobol.point(row[0]), "point " + row[0]);
    }
  }

  @Test
  void theShiftedSequenceStillPutsOnePointInEachIntervalOfEveryCoordinate() {
    Sobol sobol = new Sobol(15, 42L);
    for (int k = 0; k <= 10; k++) {
      int n = 1 << k;
      for (int d = 0; d < 15; d++) {
        int[] perInterval = new int[n];
        for (int i = 0; i < n; i++) {
          perInterval[(int) Math.floor(sobol.point(i)[d] * n)]++;
        }
        int[] ones = new int[n];
        Arrays.fill(ones, 1);
        assertArrayEquals(ones, perInterval, "2^" + k + " points, coordinate " + d);
      }
    }
  }

  @Test
  void theShiftComesFromTheSeed() {
    assertArrayEquals(new Sobol(3, 5L).point(17), new Sobol(3, 5L).point(17));
    assertNotEquals(new Sobol(3, 5L).point(17)[0], new Sobol(3, 6L).point(17)[0]);
  }

  @Test
  void dimensionsAndIndicesOutsideTheTableAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Sobol(17, 1L));
    assertThrows(IllegalArgumentException.class, () -> new Sobol(0, 1L));
    assertThrows(IllegalArgumentException.class, () -> new Sobol(2, 1L).point(-1));
    assertEquals(2, new Sobol(2, 1L).dimensions());
  }
}
