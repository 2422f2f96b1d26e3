package io.sparksweep.cli.reliability;

import io.sparksweep.spark.MiniDfs;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;

/**
 * {@link KillResumeContract} with the warehouse (and its runs) on a real HDFS: a MiniDFSCluster in
 * this JVM, which the child drivers reach through its {@code hdfs://127.0.0.1:<port>} URI.
 */
@Tag("slow")
class KillResumeOnHdfsTest extends KillResumeContract {
  private MiniDfs dfs;

  @Override
  String warehouse(Path tmp) {
    dfs = MiniDfs.start(tmp.resolve("dfs"));
    return dfs.uri("/sparksweep/warehouse");
  }

  @Override
  void stopFileSystem() {
    if (dfs != null) {
      dfs.close();
    }
  }
}
