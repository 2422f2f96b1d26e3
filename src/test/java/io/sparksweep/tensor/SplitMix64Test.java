package io.sparksweep.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** SplitMix64 against the JDK's SplittableRandom, draw for draw, and its state round trip. */
class SplitMix64Test {
  private static final int[] BOUNDS = {
    1, 2, 3, 7, 10, 64, 100, 1000, 49_000, 1 << 30, Integer.MAX_VALUE
  };

  @Test
  void drawsEqualSplittableRandomForEverySeed() {
    for (long seed : new long[] {0, 1, -1, 42, 0x9e3779b97f4a7c15L, Long.MIN_VALUE}) {
      SplittableRandom ref = new SplittableRandom(seed);
      SplitMix64 ours = new SplitMix64(seed);
      for (int i = 0; i < 2000; i++) {
        assertEquals(ref.nextLong(), ours.nextLong(), "nextLong " + i);
        assertEquals(ref.nextInt(), ours.nextInt(), "nextInt " + i);
        int bound = BOUNDS[i % BOUNDS.length];
        assertEquals(ref.nextInt(bound), ours.nextInt(bound), "nextInt(" + bound + ") " + i);
        assertEquals(ref.nextDouble(), ours.nextDouble(), "nextDouble " + i);
        assertEquals(ref.nextGaussian(), ours.nextGaussian(), "nextGaussian " + i);
        assertEquals(ref.nextFloat(), ours.nextFloat(), "nextFloat " + i);
      }
    }
  }

  @Test
  void splitsEqualSplittableRandomSplits() {
    SplittableRandom ref = new SplittableRandom(7);
    SplitMix64 ours = new SplitMix64(7);
    for (int depth = 0; depth < 5; depth++) {
      SplittableRandom refChild = ref.split();
      SplitMix64 child = ours.split();
      for (int i = 0; i < 100; i++) {
        assertEquals(refChild.nextInt(997), child.nextInt(997));
      }
      assertEquals(ref.nextLong(), ours.nextLong());
      ref = refChild.split();
      ours = child.split();
    }
  }

  @Test
  void restoredStateContinuesTheSameStream() {
    SplitMix64 g = new SplitMix64(3).split();
    for (int i = 0; i < 37; i++) {
      g.nextInt(10);
    }
    SplitMix64.State saved = g.state();
    long[] expected = new long[50];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = g.nextLong();
    }
    SplitMix64 fromValue = SplitMix64.of(SplitMix64.State.parse(saved.toString()));
    SplitMix64 restored = new SplitMix64(99);
    restored.restore(saved);
    for (long e : expected) {
      assertEquals(e, fromValue.nextLong());
      assertEquals(e, restored.nextLong());
    }
  }

  @Test
  void stateTextIsValidated() {
    assertEquals(
        new SplitMix64.State(-1L, 0x9e3779b97f4a7c15L),
        SplitMix64.State.parse("ffffffffffffffff 9e3779b97f4a7c15"));
    assertThrows(IllegalArgumentException.class, () -> SplitMix64.State.parse("12 zz"));
    assertThrows(IllegalArgumentException.class, () -> SplitMix64.State.parse("12"));
    assertThrows(IllegalArgumentException.class, () -> new SplitMix64.State(1, 2));
  }
}
