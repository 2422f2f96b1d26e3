package io.sparksweep.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Keeps a second driver off a run while one works on it, on any Hadoop file system (file:, hdfs:,
 * s3a:), between machines: a lease that expires unless its holder renews it.
 *
 * <p>A run folder holds lease files {@code _lease.<generation>}; the highest generation is the
 * lease. Its text names the holder (a random owner id, host, pid) and its expiry time. A driver
 * acquires the run by <em>exclusively creating</em> the next generation's file (HDFS and the local
 * file system guarantee that of two creators only one succeeds), which it may do only when there is
 * no lease yet or the current one has expired or was released. It renews the lease (rewrites its
 * file with a later expiry) every {@code ttl/3} from a daemon thread, and releases it on {@link
 * #close} by writing it as released. A driver killed with {@code kill -9} stops renewing, so its
 * lease expires {@code ttl} after its last renewal and any machine can then take the run over.
 *
 * <ul>
 *   <li>Two drivers racing for a free or expired run both try to create the same generation: one
 *       wins, the other is told the run is taken.
 *   <li>A holder that stalled past its expiry (e.g. a long GC pause) and was taken over learns it
 *       on its next renewal (a higher generation exists) and {@link #check} then throws, so it
 *       stops before writing more.
 *   <li>Renewals replace the file atomically (temporary file, then rename), so readers never see a
 *       half-written lease; one whose creator died mid-create expires 60 s after the file's
 *       modification time.
 *   <li>Expiry compares the holder's clock (written in the file) with the reader's: machines'
 *       clocks must agree to well within {@code ttl} (NTP does).
 * </ul>
 */
public final class Lease implements AutoCloseable {
  private static final Logger LOG = LogManager.getLogger(Lease.class);

  /** Prefix of the lease files inside a run folder. */
  public static final String FILE_PREFIX = "_lease.";

  /** Default time to live without renewal. */
  public static final Duration DEFAULT_TTL = Duration.ofSeconds(60);

  private static final Pattern EXPIRES = Pattern.compile("expires_millis=(-?\\d+)");
  private static final Pattern OWNER = Pattern.compile("owner=(\\S+)");

  private final FileSystem fs;
  private final Path dir;
  private final long generation;
  private final String owner;
  private final String describedOwner;
  private final Duration ttl;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile String lost;
  private final Thread renewer;

  private Lease(
      FileSystem fs,
      Path dir,
      long generation,
      String owner,
      String describedOwner,
      Duration ttl,
      boolean renew) {
    this.fs = fs;
    this.dir = dir;
    this.generation = generation;
    this.owner = owner;
    this.describedOwner = describedOwner;
    this.ttl = ttl;
    if (renew) {
      renewer = new Thread(this::renewLoop, "sparksweep-lease-" + dir.getName());
      renewer.setDaemon(true);
      renewer.start();
    } else {
      renewer = null;
    }
  }

  /**
   * Acquires the lease of a run folder, creating the folder if needed, and starts renewing it.
   *
   * @param fs the folder's file system
   * @param dir the run's folder
   * @param runId the run, for messages
   * @param ttl how long the lease lives without renewal (&gt; 0)
   * @return the held lease
   * @throws IllegalArgumentException if another driver holds an unexpired lease, naming it
   * @throws UncheckedIOException if the file system fails
   */
  public static Lease acquire(FileSystem fs, Path dir, String runId, Duration ttl) {
    return acquire(fs, dir, runId, ttl, true);
  }

  /** As {@link #acquire(FileSystem, Path, String, Duration)}; {@code renew} false for tests. */
  static Lease acquire(FileSystem fs, Path dir, String runId, Duration ttl, boolean renew) {
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(dir, "dir");
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease ttl is " + ttl + ", expected > 0");
    }
    String owner = UUID.randomUUID().toString();
    String described = owner + " host=" + hostName() + " pid=" + ProcessHandle.current().pid();
    try {
      fs.mkdirs(dir);
      for (int attempt = 0; attempt < 5; attempt++) {
        Current current = current(fs, dir);
        long next = 0;
        if (current != null) {
          long now = System.currentTimeMillis();
          if (current.expiresMillis() > now) {
            throw new IllegalArgumentException(
                "run '"
                    + runId
                    + "' is being run by another search ("
                    + current.holder()
                    + ", lease "
                    + current.path()
                    + " valid until "
                    + Instant.ofEpochMilli(current.expiresMillis())
                    + "); expected a run that no search is working on: if that driver is dead,"
                    + " resume again after its lease expires");
          }
          next = current.generation() + 1;
        }
        Path file = new Path(dir, FILE_PREFIX + next);
        byte[] text = text(described, System.currentTimeMillis() + ttl.toMillis(), ttl);
        if (createExclusive(fs, file, text)) {
          if (current != null) {
            deleteOlder(fs, dir, next);
          }
          LOG.info("acquired lease {} ({})", file, described);
          return new Lease(fs, dir, next, owner, described, ttl, renew);
        }
        // Another driver created that generation first; look again (it is likely alive).
      }
      throw new IllegalArgumentException(
          "run '"
              + runId
              + "' is being taken over by another search at the same time; expected a run that no"
              + " search is working on");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot acquire the lease of " + dir, e);
    }
  }

  /** The folder's current lease (highest generation), or null. */
  record Current(long generation, Path path, String holder, long expiresMillis) {}

  /** Reads the folder's current lease, or null when there is none. */
  static Current current(FileSystem fs, Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return null;
    }
    FileStatus best = null;
    long bestGen = -1;
    for (FileStatus s : fs.listStatus(dir)) {
      long g = generationOf(s.getPath().getName());
      if (g > bestGen) {
        bestGen = g;
        best = s;
      }
    }
    if (best == null) {
      return null;
    }
    String text;
    try {
      text = read(fs, best.getPath());
    } catch (IOException e) {
      text = "";
    }
    Matcher m = EXPIRES.matcher(text);
    Matcher o = OWNER.matcher(text);
    long expires;
    String holder;
    if (text.startsWith("released")) {
      expires = Long.MIN_VALUE;
      holder = "released";
    } else if (m.find() && o.find()) {
      expires = Long.parseLong(m.group(1));
      holder = text.lines().findFirst().orElse("").trim();
    } else {
      // Being written, or its writer died mid-write: expires ttl after the file's last change.
      expires = best.getModificationTime() + maxTtl(text);
      holder = "a lease being written";
    }
    return new Current(bestGen, best.getPath(), holder, expires);
  }

  private static long maxTtl(String text) {
    Matcher t = Pattern.compile("ttl_millis=(\\d+)").matcher(text);
    return t.find() ? Long.parseLong(t.group(1)) : DEFAULT_TTL.toMillis();
  }

  private static long generationOf(String name) {
    if (!name.startsWith(FILE_PREFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(FILE_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static byte[] text(String described, long expiresMillis, Duration ttl) {
    return String.format(
            Locale.ROOT,
            "owner=%s%nexpires_millis=%d%nexpires=%s%nttl_millis=%d%n",
            described,
            expiresMillis,
            Instant.ofEpochMilli(expiresMillis),
            ttl.toMillis())
        .getBytes(StandardCharsets.UTF_8);
  }

  private static String read(FileSystem fs, Path file) throws IOException {
    try (InputStream in = fs.open(file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Creates {@code file} with {@code bytes} unless it exists; true if this call created it. Atomic
   * against other processes and machines: on the local file system through {@code O_EXCL} ({@link
   * StandardOpenOption#CREATE_NEW}), elsewhere through {@code create(overwrite=false)}, which
   * HDFS's name node decides atomically.
   */
  static boolean createExclusive(FileSystem fs, Path file, byte[] bytes) throws IOException {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(file).toUri());
      try {
        Files.write(local, bytes, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(bytes);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file) && !owns(fs, file, bytes)) {
        return false; // e.g. HDFS's AlreadyBeingCreatedException: another creator won
      }
      throw e;
    }
  }

  private static boolean owns(FileSystem fs, Path file, byte[] bytes) {
    try {
      return read(fs, file).equals(new String(bytes, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return false;
    }
  }

  private static void deleteOlder(FileSystem fs, Path dir, long generation) {
    try {
      for (FileStatus s : fs.listStatus(dir)) {
        long g = generationOf(s.getPath().getName());
        if (g >= 0 && g < generation) {
          fs.delete(s.getPath(), false);
        }
      }
    } catch (IOException e) {
      LOG.debug("cannot delete old leases of {}: {}", dir, e.toString());
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return ManagementFactory.getRuntimeMXBean().getName();
    }
  }

  /** This lease's generation: 0 for the run's first driver, one more for each takeover. */
  public long generation() {
    return generation;
  }

  /** This lease's file. */
  public Path file() {
    return new Path(dir, FILE_PREFIX + generation);
  }

  /** The holder's description: owner id, host and pid. */
  public String holder() {
    return describedOwner;
  }

  /**
   * Renews the lease now: rewrites its file with expiry {@code now + ttl}, after checking that no
   * other driver took the run over.
   *
   * @throws IllegalStateException if the lease was lost
   */
  public synchronized void renew() {
    check();
    try {
      Current c = current(fs, dir);
      if (c == null || c.generation() != generation || !c.holder().contains(owner)) {
        lose(
            "run folder "
                + dir
                + " was taken over by "
                + (c == null ? "nobody (its lease vanished)" : c.holder())
                + " while this driver held it");
        check();
      }
      rewrite(text(describedOwner, System.currentTimeMillis() + ttl.toMillis(), ttl));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot renew the lease " + file(), e);
    }
  }

  /**
   * Throws if this driver no longer holds the run (another took it over after this lease expired).
   * Called before every write of the run's results.
   *
   * @throws IllegalStateException naming the new holder
   */
  public void check() {
    String why = lost;
    if (why != null) {
      throw new IllegalStateException(why + "; stopping so that two drivers never write one run");
    }
  }

  private void lose(String why) {
    if (lost == null) {
      lost = why;
      LOG.error("lease lost: {}", why);
    }
  }

  private void renewLoop() {
    long period = Math.max(50, ttl.toMillis() / 3);
    while (!closed.get()) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      if (closed.get()) {
        return;
      }
      try {
        renew();
      } catch (IllegalStateException e) {
        return; // lost: check() reports it
      } catch (RuntimeException e) {
        LOG.warn("cannot renew the lease {}: {}", file(), e.toString());
      }
    }
  }

  /**
   * Replaces the lease file's text atomically (temporary file, then a rename over it), so a reader
   * never sees a half-written lease, even if this driver dies while renewing.
   */
  private void rewrite(byte[] text) throws IOException {
    Path tmp = new Path(dir, "." + file().getName() + "." + UUID.randomUUID() + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(text);
    }
    replace(fs, tmp, file());
  }

  /**
   * Renames {@code tmp} onto {@code target}, atomically replacing it: the local file system's
   * rename replaces; HDFS's refuses, so there {@link FileContext}'s {@code OVERWRITE} rename (one
   * name-node operation) is used.
   */
  static void replace(FileSystem fs, Path tmp, Path target) throws IOException {
    if (fs.rename(tmp, target)) {
      return;
    }
    if (!fs.exists(tmp)) {
      throw new IOException("cannot rename " + tmp + " to " + target + ": " + tmp + " vanished");
    }
    try {
      FileContext.getFileContext(fs.getUri(), fs.getConf())
          .rename(tmp, target, Options.Rename.OVERWRITE);
    } catch (IOException | UnsupportedOperationException e) {
      fs.delete(target, false);
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target, e);
      }
    }
  }

  /** Stops renewing and marks the lease released, so another driver may take the run at once. */
  @Override
  public synchronized void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (renewer != null) {
      renewer.interrupt();
    }
    if (lost != null) {
      return;
    }
    try {
      rewrite(("released by " + describedOwner + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      LOG.warn("cannot release the lease {}: {}", file(), e.toString());
    }
  }
}
