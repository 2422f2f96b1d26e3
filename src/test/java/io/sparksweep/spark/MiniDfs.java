package io.sparksweep.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * An in-process HDFS for tests (Hadoop's {@code MiniDFSCluster}: one name node, one data node),
 * listening on random ports of 127.0.0.1, its blocks in a temporary folder. Start one per test
 * class ({@code @BeforeAll}) and {@link #close} it after; other JVMs (child drivers) reach it
 * through {@link #uri}.
 */
public final class MiniDfs implements AutoCloseable {
  private final MiniDFSCluster cluster;

  private MiniDfs(MiniDFSCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Starts a cluster keeping its files under {@code dir}.
   *
   * @param dir an empty temporary folder
   */
  public static MiniDfs start(Path dir) {
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.toAbsolutePath().toString());
    conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
    conf.set("dfs.namenode.http-address", "127.0.0.1:0");
    conf.set("dfs.namenode.https-address", "127.0.0.1:0");
    conf.set("dfs.datanode.address", "127.0.0.1:0");
    conf.set("dfs.datanode.http.address", "127.0.0.1:0");
    conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
    conf.setBoolean("dfs.permissions.enabled", false);
    conf.setInt("dfs.replication", 1);
    try {
      MiniDFSCluster c =
          new MiniDFSCluster.Builder(conf)
              .numDataNodes(1)
              .nameNodePort(0)
              .nameNodeHttpPort(0)
              .checkDataNodeAddrConfig(true)
              .format(true)
              .build();
      c.waitActive();
      return new MiniDfs(c);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a MiniDFSCluster in " + dir, e);
    }
  }

  /** {@code hdfs://127.0.0.1:<port>} followed by {@code path} (which starts with {@code /}). */
  public String uri(String path) {
    return "hdfs://127.0.0.1:" + cluster.getNameNodePort() + path;
  }

  /** Hadoop settings that reach this cluster. */
  public Configuration conf() {
    return new Configuration(cluster.getConfiguration(0));
  }

  @Override
  public void close() {
    cluster.shutdown(true);
  }
}
