package io.sparksweep.search.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The order-statistic treap against counting by hand, with ties and NaNs. */
class RankedSetTest {
  @Test
  void ranksEqualACountOfBetterEntries() {
    SplittableRandom rng = new SplittableRandom(4);
    RankedSet set = new RankedSet();
    List<double[]> all = new ArrayList<>();
    for (int t = 0; t < 3000; t++) {
      double m = rng.nextInt(10) == 0 ? Double.NaN : rng.nextInt(50) / 50.0;
      set.insert(m, t);
      all.add(new double[] {m, t});
      if (t % 97 == 0 || t > 2990) {
        for (int q = 0; q < 30; q++) {
          double qm = rng.nextInt(12) == 0 ? Double.NaN : rng.nextInt(52) / 50.0;
          int qt = rng.nextInt(3100);
          int better = 0;
          for (double[] e : all) {
            if (BaseScheduler.compare(e[0], (int) e[1], qm, qt) < 0) {
              better++;
            }
          }
          assertEquals(better, set.rankOf(qm, qt), "after " + (t + 1) + " inserts");
        }
      }
    }
    assertEquals(3000, set.size());
  }
}
