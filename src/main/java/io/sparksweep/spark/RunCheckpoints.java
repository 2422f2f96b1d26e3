package io.sparksweep.spark;

import io.sparksweep.search.CheckpointStore;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.train.Checkpoint;
import io.sparksweep.train.CheckpointFile;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.util.Locale;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.SerializableConfiguration;

/**
 * The {@link CheckpointStore} of a run on the warehouse's Hadoop file system ({@code file:}, {@code
 * hdfs:}, {@code s3a:}): {@code <runs>/<run>/checkpoints/<trial key>-r<repeat>/epoch-<4
 * digits>.npz} ({@link CheckpointStore#name}), through {@link RunStore#createCheckpoint}, which
 * writes a temporary file and renames it into place, so a reader (any executor, the driver) sees
 * the whole checkpoint or none. Serializable: the executors open the store themselves from the runs
 * URI and the driver's broadcast Hadoop settings.
 */
final class RunCheckpoints implements CheckpointStore, Serializable {
  private static final long serialVersionUID = 1L;

  private final String runsUri;
  private final String runId;
  private final Broadcast<SerializableConfiguration> conf;

  /**
   * @param runsUri the runs folder ({@link RunStore#uri()})
   * @param runId the run
   * @param conf the driver's Hadoop settings
   */
  RunCheckpoints(String runsUri, String runId, Broadcast<SerializableConfiguration> conf) {
    this.runsUri = runsUri;
    this.runId = runId;
    this.conf = conf;
  }

  private RunStore store() {
    return RunStore.open(conf.value().value(), runsUri);
  }

  /** {@code <trial key>-r<repeat>}: the trial's checkpoint folder. */
  static String trial(TrialSpec spec) {
    return spec.key() + "-r" + spec.repeat();
  }

  /** {@code epoch-<4 digits>.npz}. */
  static String segment(int epoch) {
    return String.format(Locale.ROOT, "epoch-%04d.npz", epoch);
  }

  @Override
  public void save(TrialSpec trial, int epoch, Checkpoint checkpoint) throws IOException {
    ChaosPoints.reach("checkpoint-write " + trial(trial) + " " + epoch);
    // Serialised first: the stream publishes what it holds when closed, also after an exception.
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    CheckpointFile.write(checkpoint, bytes);
    try (OutputStream out = store().createCheckpoint(runId, trial(trial), segment(epoch))) {
      bytes.writeTo(out);
    }
  }

  @Override
  public Checkpoint load(TrialSpec trial, int epoch) throws IOException {
    try (InputStream in = store().openCheckpoint(runId, trial(trial), segment(epoch))) {
      if (in == null) {
        throw new FileNotFoundException(
            "no checkpoint of trial " + trial(trial) + " at epoch " + epoch + " in run " + runId);
      }
      return CheckpointFile.read(in);
    }
  }

  @Override
  public String toString() {
    return "RunCheckpoints[" + runsUri + "/" + runId + "]";
  }
}
