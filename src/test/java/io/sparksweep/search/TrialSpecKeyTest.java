package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Keys and seeds of {@link TrialSpec}. Golden keys and seeds were computed with Python's hashlib
 * from the canonical strings written out by hand from the documented rule, and are recomputed here
 * with {@link MessageDigest}, independently of TrialSpec's own helpers.
 */
class TrialSpecKeyTest {
  static final String DEFAULT_CANONICAL =
      "model=fc;hidden_dims=[100,100];num_filters=0;filter_size=0;update_rule=adam;"
          + "learning_rate=0.001;weight_scale=0.01;dropout_keep_ratio=1;normalization=none;reg=0;"
          + "batch_size=100;num_epochs=10;lr_decay=1;num_train=49000";

  static TrialSpec defaultPoint() {
    return new TrialSpec(
        "",
        0,
        0,
        0L,
        ModelKind.FC,
        List.of(100, 100),
        0,
        0,
        UpdateRule.ADAM,
        1e-3,
        1e-2,
        1.0,
        Normalization.NONE,
        0.0,
        100,
        10,
        1.0,
        49000);
  }

  /** First 16 hex digits of SHA-256, computed here without TrialSpec. */
  static String sha256Key(String s) throws Exception {
    byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d).substring(0, 16);
  }

  /** The documented seed rule, computed here without TrialSpec. */
  static long sha256Seed(long runSeed, String key, int repeat) throws Exception {
    byte[] d =
        MessageDigest.getInstance("SHA-256")
            .digest((runSeed + ":" + key + ":" + repeat).getBytes(StandardCharsets.UTF_8));
    return new java.math.BigInteger(1, java.util.Arrays.copyOf(d, 8)).longValue() & Long.MAX_VALUE;
  }

  @Test
  void canonicalStringFollowsTheDocumentedFormat() {
    assertEquals(DEFAULT_CANONICAL, defaultPoint().canonicalString());
  }

  @Test
  void keyIsTheSha256PrefixOfTheCanonicalString() throws Exception {
    assertEquals("3f74cd1a437a1423", TrialSpec.keyOf(DEFAULT_CANONICAL)); // Python hashlib
    assertEquals(sha256Key(DEFAULT_CANONICAL), TrialSpec.keyOf(DEFAULT_CANONICAL));
  }

  @Test
  void seedIsTheDocumentedHashOfRunSeedKeyAndRepeat() throws Exception {
    // Python: int.from_bytes(sha256(f"{run}:{key}:{r}".encode()).digest()[:8], 'big') & (2**63-1)
    assertEquals(4110362107330897506L, TrialSpec.deriveSeed(493, "3f74cd1a437a1423", 0));
    assertEquals(309683850884226272L, TrialSpec.deriveSeed(493, "3f74cd1a437a1423", 1));
    assertEquals(7345384867261890172L, TrialSpec.deriveSeed(0, "3f74cd1a437a1423", 0));
    assertEquals(5625160232911470685L, TrialSpec.deriveSeed(-7, "3f74cd1a437a1423", 0));
    assertEquals(sha256Seed(12345, "abc", 3), TrialSpec.deriveSeed(12345, "abc", 3));
  }

  @Test
  void withKeyAndSeedFillsInTheIdentity() {
    TrialSpec t = defaultPoint().withKeyAndSeed(7, 1, 493);
    assertEquals("3f74cd1a437a1423", t.key());
    assertEquals(7, t.index());
    assertEquals(1, t.repeat());
    assertEquals(309683850884226272L, t.seed());
    assertEquals(defaultPoint().canonicalString(), t.canonicalString());
  }

  @Test
  void equalDoublesWrittenDifferentlyHaveOneCanonicalForm() {
    assertEquals("0.001", TrialSpec.canonicalNumber(Double.parseDouble("1e-3")));
    assertEquals("0.001", TrialSpec.canonicalNumber(Double.parseDouble("0.0010")));
    assertEquals("1", TrialSpec.canonicalNumber(1.0));
    assertEquals("0", TrialSpec.canonicalNumber(-0.0));
    assertEquals("100", TrialSpec.canonicalNumber(1e2));
    assertEquals("0.1", TrialSpec.canonicalNumber(0.1));
    assertEquals("0.00031622776601683794", TrialSpec.canonicalNumber(Math.pow(10, -3.5)));
    assertEquals("0.3333333333333333", TrialSpec.canonicalNumber(1.0 / 3)); // Python repr
    assertEquals("0.000000001", TrialSpec.canonicalNumber(1e-9));
  }

  @Test
  void canonicalNumberReadsBackAsTheSameDouble() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(1);
    for (int i = 0; i < 2000; i++) {
      double x = Math.exp(random.nextDouble(-20, 5));
      String s = TrialSpec.canonicalNumber(x);
      assertEquals(x, Double.parseDouble(s), s);
    }
  }

  @Test
  void keyIgnoresIndexRepeatAndSeed() {
    TrialSpec a = defaultPoint().withKeyAndSeed(0, 0, 1);
    TrialSpec b = defaultPoint().withKeyAndSeed(5, 3, 99);
    assertEquals(a.key(), b.key());
    assertNotEquals(a.seed(), b.seed());
  }
}
