package io.sparksweep.spark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.apache.commons.crypto.stream.CryptoInputStream;
import org.apache.commons.crypto.stream.CryptoOutputStream;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.plugin.DriverPlugin;
import org.apache.spark.api.plugin.ExecutorPlugin;
import org.apache.spark.api.plugin.PluginContext;
import org.apache.spark.api.plugin.SparkPlugin;
import scala.Tuple2;

/**
 * Compiles the JVM's AES-CTR path before the broadcast needs it (a {@link SparkPlugin}, set by
 * {@link Sessions} when {@code spark.network.crypto.enabled} is on and the master is not local).
 *
 * <p>With RPC encryption on, every byte of the broadcast CIFAR-10 (≈180 MB) is encrypted by the
 * sender and decrypted by each executor through commons-crypto's streams over the JDK's AES
 * (commons-crypto 1.1 cannot bind OpenSSL 3). A fresh executor receives it while its JIT is busy
 * with Spark's own start-up code: in JFR recordings of 2-core clusters the decryption ran in
 * interpreted and C1 code for 6–7 s, where the same 180 MB take ≈0.3 s compiled. So at start-up,
 * while the executor (and the driver) still wait for work, a daemon thread pushes {@value
 * #BYTES_DEFAULT} bytes through the same streams, with a random key, so the hot methods ({@code
 * CryptoInputStream.decrypt}, {@code JceCipher.update}, {@code CounterMode.implCrypt}) are compiled
 * when the first block arrives. It never fails the process: an error is logged and the thread ends.
 */
public final class CryptoWarmup implements SparkPlugin {
  /** Bytes encrypted and decrypted at start-up. */
  public static final long BYTES_DEFAULT = 48L << 20;

  /** The setting that turns RPC encryption on (Spark's). */
  static final String CRYPTO_ENABLED = "spark.network.crypto.enabled";

  /** Spark's cipher setting; the warm-up only knows its CTR default. */
  static final String CRYPTO_CIPHER = "spark.network.crypto.cipher";

  private static final String CTR = "AES/CTR/NoPadding";
  private static final String CONFIG_PREFIX = "spark.network.crypto.config.";
  private static final int CHUNK = 1 << 16;
  private static final Logger LOG = LogManager.getLogger(CryptoWarmup.class);

  private static final CountDownLatch DONE = new CountDownLatch(1);
  private static final AtomicLong WARMED = new AtomicLong(-1);

  /** Whether this configuration encrypts RPC traffic with AES-CTR, the cipher warmed here. */
  static boolean wanted(SparkConf conf) {
    return conf.getBoolean(CRYPTO_ENABLED, false) && conf.get(CRYPTO_CIPHER, CTR).equals(CTR);
  }

  @Override
  public DriverPlugin driverPlugin() {
    return new DriverPlugin() {
      @Override
      public Map<String, String> init(SparkContext sc, PluginContext context) {
        startIfWanted(context.conf());
        return Map.of();
      }
    };
  }

  @Override
  public ExecutorPlugin executorPlugin() {
    return new ExecutorPlugin() {
      @Override
      public void init(PluginContext context, Map<String, String> extraConf) {
        startIfWanted(context.conf());
      }
    };
  }

  private static synchronized void startIfWanted(SparkConf conf) {
    if (!wanted(conf) || WARMED.get() != -1) {
      return;
    }
    WARMED.set(0);
    Properties props = cryptoProperties(conf);
    int keyBytes = conf.getInt("spark.network.crypto.keyLength", 128) / 8;
    Thread thread =
        new Thread(
            () -> {
              try {
                long started = System.nanoTime();
                WARMED.set(roundTrip(props, keyBytes, BYTES_DEFAULT));
                LOG.info(
                    "AES-CTR warmed up: {} MB in {} ms",
                    BYTES_DEFAULT >> 20,
                    (System.nanoTime() - started) / 1_000_000);
              } catch (IOException | GeneralSecurityException | RuntimeException e) {
                LOG.warn("AES-CTR warm-up failed (the broadcast is only slower): {}", e.toString());
              } finally {
                DONE.countDown();
              }
            },
            "sparksweep-crypto-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for this JVM's warm-up and returns the bytes it verified, 0 if it failed, or -1 if none
   * was started (crypto off, or the plugin not loaded).
   */
  public static long await(long timeout, TimeUnit unit) throws InterruptedException {
    if (WARMED.get() == -1) {
      return -1;
    }
    DONE.await(timeout, unit);
    return WARMED.get();
  }

  /** Spark's commons-crypto settings ({@code spark.network.crypto.config.X → commons.crypto.X}). */
  static Properties cryptoProperties(SparkConf conf) {
    Properties props = new Properties();
    for (Tuple2<String, String> e : conf.getAllWithPrefix(CONFIG_PREFIX)) {
      props.setProperty("commons.crypto." + e._1(), e._2());
    }
    return props;
  }

  /**
   * Encrypts {@code bytes} of random data in 64 KB pieces through a {@link CryptoOutputStream} and
   * decrypts them through a {@link CryptoInputStream} reading a channel (as Spark's CTR transport
   * cipher does), checking every piece.
   *
   * @return the bytes that made the round trip
   * @throws GeneralSecurityException if a decrypted piece differs from its plaintext
   */
  static long roundTrip(Properties props, int keyBytes, long bytes)
      throws IOException, GeneralSecurityException {
    SecureRandom random = new SecureRandom();
    byte[] key = new byte[keyBytes];
    byte[] iv = new byte[16];
    random.nextBytes(key);
    random.nextBytes(iv);
    byte[] plain = new byte[CHUNK];
    random.nextBytes(plain);
    SecretKeySpec spec = new SecretKeySpec(key, "AES");
    ByteArrayOutputStream sink = new ByteArrayOutputStream(2 * CHUNK);
    Feed feed = new Feed();
    byte[] back = new byte[CHUNK];
    long done = 0;
    try (CryptoOutputStream out =
            new CryptoOutputStream(
                CTR, props, Channels.newChannel(sink), spec, new IvParameterSpec(iv));
        CryptoInputStream in =
            new CryptoInputStream(CTR, props, feed, spec, new IvParameterSpec(iv))) {
      while (done < bytes) {
        out.write(plain, 0, CHUNK);
        out.flush();
        feed.next = ByteBuffer.wrap(sink.toByteArray());
        sink.reset();
        int got = 0;
        while (got < CHUNK) {
          int n = in.read(back, got, CHUNK - got);
          if (n <= 0) {
            throw new IOException("the decrypting stream ended after " + (done + got) + " bytes");
          }
          got += n;
        }
        if (!Arrays.equals(plain, back)) {
          throw new GeneralSecurityException("AES-CTR round trip differs at byte " + done);
        }
        done += CHUNK;
      }
    }
    return done;
  }

  /** A channel that hands out its current buffer, then has nothing until given the next. */
  private static final class Feed implements ReadableByteChannel {
    private ByteBuffer next = ByteBuffer.allocate(0);

    @Override
    public int read(ByteBuffer dst) {
      int n = Math.min(dst.remaining(), next.remaining());
      if (n == 0) {
        return 0; // nothing yet, never the end
      }
      ByteBuffer slice = next.slice();
      slice.limit(n);
      dst.put(slice);
      next.position(next.position() + n);
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }
}
