package io.sparksweep.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.apache.spark.SparkConf;

/**
 * The shared secret of a standalone cluster started by sparksweep ({@code
 * jobs/standalone-cluster.sh}, {@code docker/compose.yaml}, the tests' cluster): Spark's {@code
 * spark.authenticate} admits only processes that know it, so nobody else who can reach the master
 * can submit code.
 *
 * <p>The secret is 256 random bits as 64 hex digits, in a file only its owner can read (0600, in a
 * 0700 folder). Master and workers get it through Spark's {@code _SPARK_AUTH_SECRET} environment
 * variable (never a command line, which {@code ps} shows), executors get it from their worker the
 * same way. The driver needs it in its {@link SparkConf} as {@code spark.authenticate.secret}
 * (Spark 4.2 reads {@code spark.authenticate.secret.file} in Kubernetes mode only): {@link #apply}
 * reads the file and sets it, for {@code spark://} masters only (YARN and Kubernetes make their own
 * secret per application). Spark redacts the key ({@code spark.redaction.regex}) in its UI and
 * event logs; sparksweep never logs or records Spark settings.
 */
public final class ClusterSecret {
  /** Spark's switch for RPC authentication. */
  public static final String AUTHENTICATE = "spark.authenticate";

  /** Spark's setting holding the secret on the driver. */
  public static final String SECRET = "spark.authenticate.secret";

  /** The environment variable Spark's master, worker and executor JVMs read the secret from. */
  public static final String SECRET_ENV = "_SPARK_AUTH_SECRET";

  /** Bits of randomness in a generated secret. */
  public static final int BITS = 256;

  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  private ClusterSecret() {}

  /**
   * Writes a new secret ({@link #BITS} bits from {@link SecureRandom}, hex) to {@code file},
   * replacing any old one: the file is created 0600 before a byte is written, then moved into
   * place; a missing folder is created 0700.
   *
   * @param file where the secret goes
   * @return the file
   * @throws UncheckedIOException if it cannot be written
   */
  public static Path generate(Path file) {
    Objects.requireNonNull(file, "file");
    byte[] random = new byte[BITS / 8];
    new SecureRandom().nextBytes(random);
    Path dir = file.toAbsolutePath().getParent();
    try {
      boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
      if (posix) {
        if (!Files.isDirectory(dir)) { // a folder of its own: nobody else can even list it
          Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
          Files.setPosixFilePermissions(dir, OWNER_ONLY_DIR); // whatever the umask
        }
      } else {
        Files.createDirectories(dir);
      }
      Path tmp =
          posix
              ? Files.createTempFile(
                  dir, ".secret-", ".tmp", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE))
              : Files.createTempFile(dir, ".secret-", ".tmp");
      try {
        Files.writeString(tmp, HexFormat.of().formatHex(random) + "\n", StandardCharsets.US_ASCII);
        try {
          Files.move(
              tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the cluster secret " + file, e);
    }
  }

  /**
   * Reads a secret file, refusing one that others may read.
   *
   * @param file the file ({@code --secret-file}, {@code $SPARKSWEEP_SECRET_FILE})
   * @return the secret, without surrounding white space
   * @throws IllegalArgumentException naming the file, what is wrong and the fix; never the secret
   */
  public static String read(Path file) {
    Objects.requireNonNull(file, "file");
    String where = "secret file " + file;
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          where
              + ": no such file; start the cluster with jobs/standalone-cluster.sh (it writes one)"
              + " or point --secret-file / $SPARKSWEEP_SECRET_FILE at the cluster's secret");
    }
    try {
      if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
        Set<PosixFilePermission> perms =
            Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
        if (!OWNER_ONLY_FILE.containsAll(perms)) {
          throw new IllegalArgumentException(
              where
                  + ": readable by others (mode "
                  + PosixFilePermissions.toString(perms)
                  + "); allowed: owner-only, fix with: chmod 600 "
                  + file);
        }
      }
      String secret = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (secret.isEmpty()) {
        throw new IllegalArgumentException(where + ": empty; allowed: a non-empty secret");
      }
      if (secret.indexOf('\n') >= 0 || secret.indexOf('\r') >= 0) {
        throw new IllegalArgumentException(where + ": holds several lines; allowed: one line");
      }
      return secret;
    } catch (IOException e) {
      throw new IllegalArgumentException(where + ": cannot be read (" + e.getClass() + ")", e);
    }
  }

  /**
   * Gives the driver a standalone cluster's secret: for a {@code spark://} master, reads {@code
   * secretFile} (when given) into {@code spark.authenticate.secret} and turns {@code
   * spark.authenticate} on, unless the settings already hold a secret or turn authentication off
   * explicitly. Then checks that a {@code spark://} master with authentication on has a secret, so
   * a missing one is one clear message before Spark starts rather than Spark's stack trace.
   *
   * @param conf the driver's settings, master resolved
   * @param secretFile the cluster's secret file, or null
   * @throws IllegalArgumentException if the file is unusable or a secret is missing
   */
  public static void apply(SparkConf conf, Path secretFile) {
    String master = conf.get("spark.master", "");
    if (!master.toLowerCase(Locale.ROOT).startsWith("spark://")) {
      return;
    }
    boolean explicitlyOff = conf.contains(AUTHENTICATE) && !conf.getBoolean(AUTHENTICATE, false);
    if (secretFile != null && !explicitlyOff && !conf.contains(SECRET)) {
      conf.set(SECRET, read(secretFile));
      conf.set(AUTHENTICATE, "true");
    }
    if (conf.getBoolean(AUTHENTICATE, false) && !conf.contains(SECRET)) {
      throw new IllegalArgumentException(
          "--master "
              + master
              + ": spark.authenticate is on but no secret is given; allowed: the cluster's secret"
              + " file with --secret-file FILE or $SPARKSWEEP_SECRET_FILE (jobs/sparksweep finds"
              + " the one of jobs/standalone-cluster.sh), or --conf spark.authenticate=false for a"
              + " cluster without authentication");
    }
  }
}
