package io.sparksweep.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a second driver off a run while one works on it: an exclusive OS file lock on {@code
 * <runDir>/.lock}. The operating system drops the lock when the process dies, even by {@code kill
 * -9}, so a crashed run can always be resumed; a live one cannot be resumed twice at once.
 */
final class RunLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private RunLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks a run folder (creating it if needed).
   *
   * @param runDir the run's folder
   * @param runId the run's id, for the message
   * @throws IllegalArgumentException if another search holds the run
   */
  static RunLock acquire(Path runDir, String runId) {
    Path file = runDir.resolve(".lock");
    FileChannel channel = null;
    try {
      Files.createDirectories(runDir);
      channel =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // held by this JVM
      }
      if (lock == null) {
        String holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        channel.close();
        throw new IllegalArgumentException(
            "run '"
                + runId
                + "' is being run by another search"
                + (holder.isEmpty() ? "" : " (" + holder + ")")
                + "; expected a run that no search is working on ("
                + file
                + " is locked)");
      }
      channel.truncate(0);
      channel.write(
          java.nio.ByteBuffer.wrap(
              ("pid " + ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
      return new RunLock(channel, lock);
    } catch (IOException e) {
      try {
        if (channel != null) {
          channel.close();
        }
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw new UncheckedIOException("cannot lock the run folder " + runDir, e);
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
