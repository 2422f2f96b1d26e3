package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class CryptoWarmupTest {
  private static final String WARMUP = CryptoWarmup.class.getName();

  private static SparkConf crypto(boolean on) {
    return new SparkConf(false).set("spark.network.crypto.enabled", Boolean.toString(on));
  }

  @Test
  void warmsOnlyTheCtrCipherAndOnlyWhenEncryptionIsOn() {
    assertTrue(CryptoWarmup.wanted(crypto(true)), "CTR is Spark's default cipher");
    assertTrue(
        CryptoWarmup.wanted(crypto(true).set("spark.network.crypto.cipher", "AES/CTR/NoPadding")));
    assertFalse(CryptoWarmup.wanted(crypto(false)));
    assertFalse(CryptoWarmup.wanted(new SparkConf(false)), "encryption is off by default");
    assertFalse(
        CryptoWarmup.wanted(crypto(true).set("spark.network.crypto.cipher", "AES/GCM/NoPadding")),
        "GCM goes through Tink, not these streams");
  }

  @Test
  void theRoundTripDecryptsEveryPieceItEncrypted() throws Exception {
    Properties jce = new Properties();
    jce.setProperty("commons.crypto.cipher.classes", "org.apache.commons.crypto.cipher.JceCipher");
    assertEquals(3L << 16, CryptoWarmup.roundTrip(jce, 16, 3L << 16));
    assertEquals(2L << 16, CryptoWarmup.roundTrip(jce, 32, 100_000), "whole 64 KB pieces, AES-256");
    assertEquals(
        1L << 16,
        CryptoWarmup.roundTrip(new Properties(), 16, 1),
        "commons-crypto's default: OpenSSL if it binds, else the JDK");
  }

  @Test
  void anUnusableCipherIsAnErrorNotASilentNoOp() {
    Properties none = new Properties();
    none.setProperty("commons.crypto.cipher.classes", "no.such.Cipher");
    assertThrows(Exception.class, () -> CryptoWarmup.roundTrip(none, 16, 1 << 16));
  }

  @Test
  void sparksCryptoSettingsBecomeCommonsCryptoProperties() {
    Properties props =
        CryptoWarmup.cryptoProperties(
            crypto(true)
                .set("spark.network.crypto.config.cipher.classes", "org.example.C")
                .set("spark.network.crypto.keyLength", "256"));
    assertEquals("org.example.C", props.getProperty("commons.crypto.cipher.classes"));
    assertEquals(1, props.size(), props.toString());
  }

  /** The settings a session gets for {@code master} with these explicit ones. */
  private static SparkConf session(String master, String... keyValues) {
    Sessions.Builder builder = Sessions.builder().master(master);
    for (int i = 0; i < keyValues.length; i += 2) {
      builder.config(keyValues[i], keyValues[i + 1]);
    }
    return builder.sparkConf();
  }

  @Test
  void sessionsAddTheWarmupForClusterMastersWithEncryptionOnly() {
    String cluster = "spark://127.0.0.1:1";
    String[] encrypted = {"spark.authenticate", "false", "spark.network.crypto.enabled", "true"};
    assertEquals(WARMUP, session(cluster, encrypted).get("spark.plugins"));
    assertFalse(
        session("local[2]", "spark.network.crypto.enabled", "true").contains("spark.plugins"),
        "nothing crosses a network in local mode");
    assertFalse(
        session(cluster, "spark.authenticate", "false").contains("spark.plugins"),
        "no encryption, nothing to warm");
    assertEquals(
        "org.example.TheirPlugin," + WARMUP,
        session(cluster, with(encrypted, "spark.plugins", "org.example.TheirPlugin"))
            .get("spark.plugins"));
    assertEquals(
        WARMUP + ", org.example.TheirPlugin",
        session(cluster, with(encrypted, "spark.plugins", WARMUP + ", org.example.TheirPlugin"))
            .get("spark.plugins"),
        "listed once");
  }

  private static String[] with(String[] keyValues, String key, String value) {
    String[] all = java.util.Arrays.copyOf(keyValues, keyValues.length + 2);
    all[keyValues.length] = key;
    all[keyValues.length + 1] = value;
    return all;
  }
}
