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

  @Test
  void sessionsAddTheWarmupForClusterMastersWithEncryptionOnly() {
    SparkConf cluster =
        Sessions.builder()
            .master("spark://127.0.0.1:1")
            .config("spark.authenticate", "false")
            .config("spark.network.crypto.enabled", "true")
            .sparkConf();
    assertEquals(WARMUP, cluster.get("spark.plugins"));
    SparkConf local =
        Sessions.builder()
            .master("local[2]")
            .config("spark.network.crypto.enabled", "true")
            .sparkConf();
    assertFalse(local.contains("spark.plugins"), "nothing crosses a network in local mode");
    SparkConf clear =
        Sessions.builder()
            .master("spark://127.0.0.1:1")
            .config("spark.authenticate", "false")
            .sparkConf();
    assertFalse(clear.contains("spark.plugins"), "no encryption, nothing to warm");
    SparkConf theirs =
        Sessions.builder()
            .master("spark://127.0.0.1:1")
            .config("spark.authenticate", "false")
            .config("spark.network.crypto.enabled", "true")
            .config("spark.plugins", "org.example.TheirPlugin")
            .sparkConf();
    assertEquals("org.example.TheirPlugin," + WARMUP, theirs.get("spark.plugins"));
    SparkConf again =
        Sessions.builder()
            .master("spark://127.0.0.1:1")
            .config("spark.authenticate", "false")
            .config("spark.network.crypto.enabled", "true")
            .config("spark.plugins", WARMUP + ", org.example.TheirPlugin")
            .sparkConf();
    assertEquals(WARMUP + ", org.example.TheirPlugin", again.get("spark.plugins"), "listed once");
  }
}
