package io.sparksweep.search;

import io.sparksweep.train.Checkpoint;
import io.sparksweep.train.CheckpointFile;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A {@link CheckpointStore} in a folder of the local file system: {@code <root>/}{@link
 * CheckpointStore#name}. Writes go to a temporary file in the same folder, then move into place
 * atomically.
 */
public final class LocalCheckpointStore implements CheckpointStore {
  private final Path root;

  /**
   * @param root the folder (created when the first checkpoint is saved)
   */
  public LocalCheckpointStore(Path root) {
    this.root = root;
  }

  /** The file of a trial's checkpoint at {@code epoch}. */
  public Path path(TrialSpec trial, int epoch) {
    return root.resolve(CheckpointStore.name(trial, epoch));
  }

  @Override
  public void save(TrialSpec trial, int epoch, Checkpoint checkpoint) throws IOException {
    Path target = path(trial, epoch);
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), ".epoch-", ".npz.tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        CheckpointFile.write(checkpoint, out);
      }
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Checkpoint load(TrialSpec trial, int epoch) throws IOException {
    try (InputStream in = Files.newInputStream(path(trial, epoch))) {
      return CheckpointFile.read(in);
    }
  }

  @Override
  public String toString() {
    return "LocalCheckpointStore[" + root + "]";
  }
}
