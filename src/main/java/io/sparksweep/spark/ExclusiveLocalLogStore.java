package io.sparksweep.spark;

import io.delta.storage.HadoopFileSystemLogStore;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The Delta log store of sparksweep's {@code file:} tables, for Spark's Delta and for Kernel alike
 * ({@link #configure}): a commit file is published with a hard link, which the operating system
 * creates atomically and only if the name is free, so two processes that commit the same version of
 * one table get one winner and one {@link java.nio.file.FileAlreadyExistsException} (Delta's signal
 * to retry on top of the new version).
 *
 * <p>Delta's own {@code LocalLogStore} excludes concurrent writers within one JVM only (a monitor,
 * then an exists check, then a rename that replaces the target); Hadoop's local file system also
 * renames a file and its {@code .crc} separately. Two searches committing to one local warehouse
 * from two JVMs could therefore both write version N: one commit's rows lost, or a data file with
 * the other's checksum. HDFS's log store renames without overwrite and needs none of this.
 */
public final class ExclusiveLocalLogStore extends HadoopFileSystemLogStore {
  /** The Hadoop setting Delta Kernel reads for the log store of {@code file:} paths. */
  public static final String KERNEL_KEY = "io.delta.kernel.logStore.file.impl";

  /** The Spark setting Spark's Delta reads for the log store of {@code file:} paths. */
  public static final String SPARK_KEY = "spark.delta.logStore.file.impl";

  /**
   * @param conf the Hadoop configuration (Delta's constructor contract)
   */
  public ExclusiveLocalLogStore(Configuration conf) {
    super(conf);
  }

  /** Makes Kernel use this store for {@code file:} tables in {@code conf}, unless one is set. */
  public static Configuration configure(Configuration conf) {
    if (conf.get(KERNEL_KEY) == null) {
      conf.set(KERNEL_KEY, ExclusiveLocalLogStore.class.getName());
    }
    return conf;
  }

  @Override
  public void write(Path path, Iterator<String> actions, Boolean overwrite, Configuration conf)
      throws IOException {
    if (Boolean.TRUE.equals(overwrite)) {
      synchronized (this) {
        writeWithRename(path, actions, true, conf);
      }
      return;
    }
    java.nio.file.Path target = local(path, conf);
    java.nio.file.Path dir = target.getParent();
    Files.createDirectories(dir);
    java.nio.file.Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE);
          OutputStream out = java.nio.channels.Channels.newOutputStream(channel)) {
        while (actions.hasNext()) {
          out.write((actions.next() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.flush();
        channel.force(true); // the commit is durable before it is visible
      }
      Files.createLink(target, tmp); // atomic; FileAlreadyExistsException if the version is taken
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  @Override
  public Boolean isPartialWriteVisible(Path path, Configuration conf) {
    return false;
  }

  private static java.nio.file.Path local(Path path, Configuration conf) throws IOException {
    Path qualified = path.getFileSystem(conf).makeQualified(path);
    if (!"file".equals(qualified.toUri().getScheme())) {
      throw new IOException(
          ExclusiveLocalLogStore.class.getSimpleName()
              + " writes local files only, not "
              + qualified
              + " (configure it for the file scheme)");
    }
    return java.nio.file.Path.of(qualified.toUri());
  }
}
