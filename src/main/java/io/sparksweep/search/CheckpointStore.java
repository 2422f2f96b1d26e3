package io.sparksweep.search;

import io.sparksweep.train.Checkpoint;
import java.io.IOException;
import java.util.Locale;

/**
 * Where segments keep their {@link Checkpoint}s, readable by every executor and the driver: a local
 * folder in tests and local mode ({@link LocalCheckpointStore}), the warehouse's Hadoop file system
 * on a cluster. One checkpoint per (trial, epoch), named {@link #name}; saving one that exists
 * replaces it (a retried segment writes the same bytes), atomically: a reader sees the old file or
 * the new one, never a part.
 */
public interface CheckpointStore {
  /**
   * Saves the checkpoint of {@code trial} at the end of {@code epoch}.
   *
   * @throws IOException if it cannot be written
   */
  void save(TrialSpec trial, int epoch, Checkpoint checkpoint) throws IOException;

  /**
   * The checkpoint {@link #save} wrote.
   *
   * @throws IOException if there is none or it cannot be read
   */
  Checkpoint load(TrialSpec trial, int epoch) throws IOException;

  /**
   * The relative path every store uses: {@code <trial key>-r<repeat>/epoch-<epoch, 4 digits>.npz}
   * (a numpy archive, {@link io.sparksweep.train.CheckpointFile}).
   */
  static String name(TrialSpec trial, int epoch) {
    return String.format(Locale.ROOT, "%s-r%d/epoch-%04d.npz", trial.key(), trial.repeat(), epoch);
  }
}
