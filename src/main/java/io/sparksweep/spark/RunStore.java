package io.sparksweep.spark;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The runs' state on a Hadoop file system ({@code file:}, {@code hdfs:}, {@code s3a:} alike), so
 * that a run outlives its driver's machine: by default {@code <warehouse>/runs}.
 *
 * <pre>
 * &lt;runs&gt;/&lt;run_id&gt;/run.json                      the manifest ({@link RunManifest})
 * &lt;runs&gt;/&lt;run_id&gt;/_lease.&lt;generation&gt;           who works on the run ({@link Lease})
 * &lt;runs&gt;/&lt;run_id&gt;/models/&lt;trial&gt;.npz              top-k models, written by executors
 * &lt;runs&gt;/&lt;run_id&gt;/checkpoints/&lt;trial&gt;/&lt;segment&gt;  training checkpoints (byte streams)
 * </pre>
 *
 * <p>Every file is written under a temporary name and renamed into place, so a reader (or a driver
 * resuming after a crash) sees a whole file or none; where the file system's rename cannot replace
 * (HDFS), {@link FileContext}'s atomic {@code OVERWRITE} rename is used. Temporary files start with
 * {@code .} and end with {@code .tmp}; {@link #deleteTemporary} removes those a crash left.
 *
 * <p>Instances are cheap (Hadoop caches file systems per JVM); executors open their own from the
 * runs URI and the driver's Hadoop settings.
 */
public final class RunStore {
  /** Models folder inside a run folder. */
  public static final String MODELS = "models";

  /** Checkpoints folder inside a run folder. */
  public static final String CHECKPOINTS = "checkpoints";

  /** An adaptive run's journal folder inside a run folder (see {@link #writeJournal}). */
  public static final String JOURNAL = "journal";

  /** Name of the runs folder inside the warehouse. */
  public static final String DEFAULT_RUNS = "runs";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._=,+-]*");

  private final String uri;
  private final FileSystem fs;
  private final Path root;

  private RunStore(Configuration conf, String uri) throws IOException {
    this.uri = uri;
    this.root = new Path(uri);
    FileSystem f = root.getFileSystem(conf);
    // The raw local file system: no .crc side files, and O_EXCL creates (Lease).
    this.fs = f instanceof LocalFileSystem local ? local.getRaw() : f;
  }

  /**
   * Opens the runs folder at {@code location}.
   *
   * @param conf Hadoop settings (the session's {@code hadoopConfiguration()})
   * @param location a URI ({@code hdfs://nn:8020/w/runs}) or a local path
   * @throws IllegalArgumentException if no file system serves the URI's scheme
   */
  public static RunStore open(Configuration conf, String location) {
    Objects.requireNonNull(conf, "conf");
    String u = Sessions.warehouseUri(location);
    try {
      return new RunStore(conf, u);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "runs folder " + location + ": no file system for it (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Opens the runs folder at {@code location} with Hadoop's default settings (the {@code
   * core-site.xml}/{@code hdfs-site.xml} on the class path): for the CLI, before Spark starts.
   */
  public static RunStore open(String location) {
    return open(new Configuration(), location);
  }

  /** The default runs folder of a warehouse: {@code <warehouse>/runs}. */
  public static String defaultLocation(String warehouse) {
    return Sessions.warehouseUri(warehouse) + "/" + DEFAULT_RUNS;
  }

  /** The runs folder as a URI. */
  public String uri() {
    return uri;
  }

  /** The file system holding the runs. */
  FileSystem fileSystem() {
    return fs;
  }

  /** A run's folder as a URI. */
  public String runUri(String runId) {
    return runDir(runId).toString();
  }

  Path runDir(String runId) {
    checkName("run id", runId);
    return new Path(root, runId);
  }

  private static String checkName(String what, String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          what + " is '" + name + "', expected letters, digits and . _ = , + - (no '/')");
    }
    return name;
  }

  // ---------------------------------------------------------------- manifest

  /** The manifest's URI. */
  public String manifestUri(String runId) {
    return new Path(runDir(runId), RunManifest.FILE_NAME).toString();
  }

  /** Whether run {@code runId} was started here (its manifest exists). */
  public boolean hasManifest(String runId) {
    try {
      return fs.isFile(new Path(runDir(runId), RunManifest.FILE_NAME));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for " + manifestUri(runId), e);
    }
  }

  /** Whether a run folder {@code runId} exists at all (claimed, perhaps without a manifest). */
  public boolean hasRun(String runId) {
    try {
      return fs.exists(runDir(runId));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for " + runUri(runId), e);
    }
  }

  /** Writes the run's manifest atomically (temporary file, then rename over any old one). */
  public void writeManifest(RunManifest manifest) {
    Path target = new Path(runDir(manifest.runId()), RunManifest.FILE_NAME);
    try {
      writeAtomically(target, manifest.toJson().getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the run manifest " + target, e);
    }
  }

  /**
   * Reads the manifest of run {@code runId}.
   *
   * @throws IllegalArgumentException if there is no such run or its manifest is damaged, naming the
   *     file, the field and what was expected
   */
  public RunManifest readManifest(String runId) {
    String file = manifestUri(runId);
    String text;
    try (InputStream in = fs.open(new Path(runDir(runId), RunManifest.FILE_NAME))) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (java.io.FileNotFoundException e) {
      throw new IllegalArgumentException(
          file
              + ": no such file, so there is no run '"
              + runId
              + "' under "
              + uri
              + "; allowed: the id of a run started by 'sparksweep search' with this --runs-dir");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot be read (" + e + ")", e);
    }
    return RunManifest.parse(text, file, runId);
  }

  // ---------------------------------------------------------------- lease

  /**
   * Claims a new run: creates its folder's first lease exclusively, so of two searches started with
   * the same run id one wins.
   *
   * @return the lease, or null if the run id was already used here
   */
  public Lease claim(String runId, Duration ttl) {
    Path dir = runDir(runId);
    try {
      if (fs.exists(dir) && fs.listStatus(dir).length > 0) {
        return null;
      }
      fs.mkdirs(dir);
      if (Lease.current(fs, dir) != null) {
        return null;
      }
      Lease lease = Lease.acquire(fs, dir, runId, ttl);
      if (lease.file().getName().equals(Lease.FILE_PREFIX + 0) && !hasManifest(runId)) {
        return lease;
      }
      lease.close();
      return null;
    } catch (IllegalArgumentException e) {
      return null; // another search claimed it an instant earlier
    } catch (IOException e) {
      throw new UncheckedIOException("cannot claim the run folder " + dir, e);
    }
  }

  /**
   * Acquires the lease of an existing run (to resume it).
   *
   * @throws IllegalArgumentException if another driver holds it
   */
  public Lease lease(String runId, Duration ttl) {
    return Lease.acquire(fs, runDir(runId), runId, ttl);
  }

  // ---------------------------------------------------------------- models

  /** The file name of a trial's model: {@code <trial>.npz}. */
  public static String modelName(String trial) {
    return checkName("trial", trial) + ".npz";
  }

  /** A trial's model URI (whether or not it exists). */
  public String modelUri(String runId, String trial) {
    return modelPath(runId, trial).toString();
  }

  private Path modelPath(String runId, String trial) {
    return new Path(new Path(runDir(runId), MODELS), modelName(trial));
  }

  /**
   * Writes a trial's model atomically. Two attempts of one trial may race: both write the same
   * bytes (a trial is deterministic), and the last rename wins.
   *
   * @return the model's URI
   */
  public String writeModel(String runId, String trial, byte[] npz) throws IOException {
    Path target = modelPath(runId, trial);
    writeAtomically(target, npz);
    return target.toString();
  }

  /** Whether the trial's model file exists. */
  public boolean hasModel(String runId, String trial) {
    try {
      return fs.isFile(modelPath(runId, trial));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for " + modelUri(runId, trial), e);
    }
  }

  /** Deletes a trial's model file if it exists. */
  public void deleteModel(String runId, String trial) throws IOException {
    fs.delete(modelPath(runId, trial), false);
  }

  /** The trials that have a model file, by name without {@code .npz}. */
  public List<String> modelTrials(String runId) throws IOException {
    List<String> out = new ArrayList<>();
    Path dir = new Path(runDir(runId), MODELS);
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (n.endsWith(".npz") && !n.startsWith(".")) {
        out.add(n.substring(0, n.length() - ".npz".length()));
      }
    }
    return out;
  }

  /**
   * Publishes (or with null removes) the rank a result must beat to enter the run's top-k, read by
   * executors before they write a model ({@link ModelSink}).
   */
  void writeThreshold(String runId, ModelSink.Threshold t) throws IOException {
    Path p = new Path(new Path(runDir(runId), MODELS), "_threshold");
    if (t == null) {
      fs.delete(p, false);
      return;
    }
    String text =
        Double.doubleToLongBits(t.bestValAcc()) + " " + t.index() + " " + t.repeat() + "\n";
    writeAtomically(p, text.getBytes(StandardCharsets.UTF_8));
  }

  /** The published threshold of a run, or null when there is none (or it cannot be read). */
  ModelSink.Threshold readThreshold(String runId) {
    Path p = new Path(new Path(runDir(runId), MODELS), "_threshold");
    try (InputStream in = fs.open(p)) {
      String[] f = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim().split(" ", -1);
      return new ModelSink.Threshold(
          Double.longBitsToDouble(Long.parseLong(f[0])),
          Integer.parseInt(f[1]),
          Integer.parseInt(f[2]));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Reads a whole file by URI ({@code file:}, {@code hdfs:}, …) or local path, with Hadoop's
   * default settings (e.g. a model's {@code model_path}).
   *
   * @throws java.io.FileNotFoundException if there is no such file
   * @throws IOException if it cannot be read
   */
  public static byte[] readUri(String location) throws IOException {
    try (InputStream in = openUri(new Configuration(), location)) {
      return in.readAllBytes();
    }
  }

  /** Whether a file exists at a URI or local path (false if its file system cannot be reached). */
  public static boolean isFile(String location) {
    try {
      Path p = new Path(Sessions.warehouseUri(location));
      return p.getFileSystem(new Configuration()).isFile(p);
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * Opens a model file by URI ({@code file:}, {@code hdfs:}, … or a local path).
   *
   * @throws IOException if it cannot be read
   */
  public static InputStream openUri(Configuration conf, String location) throws IOException {
    Path p = new Path(Sessions.warehouseUri(location));
    return p.getFileSystem(conf).open(p);
  }

  // ---------------------------------------------------------------- checkpoints

  private Path checkpointPath(String runId, String trial, String segment) {
    return new Path(
        new Path(new Path(runDir(runId), CHECKPOINTS), checkName("trial", trial)),
        checkName("segment", segment));
  }

  /**
   * A stream that writes a trial's checkpoint; the checkpoint appears (atomically, replacing an
   * older one of the same segment) only when the stream is closed. Not closing it (a crash) leaves
   * no checkpoint, only a temporary file.
   *
   * @param runId the run
   * @param trial the trial, e.g. its key (with {@code -r<repeat>})
   * @param segment e.g. {@code rung-2} or {@code epoch-0004}
   */
  public OutputStream createCheckpoint(String runId, String trial, String segment)
      throws IOException {
    Path target = checkpointPath(runId, trial, segment);
    Path tmp = temporary(target);
    OutputStream out = fs.create(tmp, true);
    return new FilterOutputStream(out) {
      private boolean closed;

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        super.close();
        replace(tmp, target);
      }
    };
  }

  /**
   * Opens a trial's checkpoint, or returns null when there is none.
   *
   * @param runId the run
   * @param trial the trial
   * @param segment the segment name given to {@link #createCheckpoint}
   */
  public InputStream openCheckpoint(String runId, String trial, String segment) throws IOException {
    Path p = checkpointPath(runId, trial, segment);
    try {
      return fs.open(p);
    } catch (java.io.FileNotFoundException e) {
      return null;
    }
  }

  /** A trial's checkpoint segments, sorted by name. */
  public List<String> checkpointSegments(String runId, String trial) throws IOException {
    Path dir = new Path(new Path(runDir(runId), CHECKPOINTS), checkName("trial", trial));
    List<String> out = new ArrayList<>();
    if (fs.exists(dir)) {
      for (FileStatus s : fs.listStatus(dir)) {
        String n = s.getPath().getName();
        if (!n.startsWith(".")) {
          out.add(n);
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Deletes a trial's checkpoints (e.g. once it finished). */
  public void deleteCheckpoints(String runId, String trial) throws IOException {
    fs.delete(new Path(new Path(runDir(runId), CHECKPOINTS), checkName("trial", trial)), true);
  }

  // ---------------------------------------------------------------- journal

  private Path journalPath(String runId, long batch) {
    return new Path(
        new Path(runDir(runId), JOURNAL), String.format(Locale.ROOT, "batch-%019d.jsonl", batch));
  }

  /**
   * Writes one batch of an adaptive run's journal ({@code journal/batch-<batch, 19 digits>.jsonl}),
   * atomically: a reader sees the whole file or none.
   */
  public void writeJournal(String runId, long batch, byte[] bytes) throws IOException {
    writeAtomically(journalPath(runId, batch), bytes);
  }

  /** The batch numbers of a run's journal files, in increasing order. */
  public List<Long> journalBatches(String runId) throws IOException {
    Path dir = new Path(runDir(runId), JOURNAL);
    List<Long> out = new ArrayList<>();
    if (!fs.exists(dir)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (n.startsWith("batch-") && n.endsWith(".jsonl")) {
        out.add(Long.parseLong(n.substring("batch-".length(), n.length() - ".jsonl".length())));
      }
    }
    out.sort(null);
    return out;
  }

  /** One batch of a run's journal, as written. */
  public byte[] readJournal(String runId, long batch) throws IOException {
    try (InputStream in = fs.open(journalPath(runId, batch))) {
      return in.readAllBytes();
    }
  }

  // ---------------------------------------------------------------- files

  /** Deletes the temporary files a crash left in a run's models folder. */
  public void deleteTemporary(String runId) throws IOException {
    Path dir = new Path(runDir(runId), MODELS);
    if (!fs.exists(dir)) {
      return;
    }
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (n.startsWith(".") && n.endsWith(".tmp")) {
        fs.delete(s.getPath(), false);
      }
    }
  }

  private static Path temporary(Path target) {
    return new Path(target.getParent(), "." + target.getName() + "." + UUID.randomUUID() + ".tmp");
  }

  private void writeAtomically(Path target, byte[] bytes) throws IOException {
    Path tmp = temporary(target);
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(bytes);
    }
    ChaosPoints.reach("file-written " + target.getName());
    replace(tmp, target);
  }

  /** Renames {@code tmp} to {@code target}, replacing it atomically where it exists. */
  private void replace(Path tmp, Path target) throws IOException {
    Lease.replace(fs, tmp, target);
  }
}
