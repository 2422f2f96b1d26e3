package io.sparksweep.spark;

import io.delta.storage.LogStore;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * A writer JVM for {@link ConcurrentCommitsTest}: {@code STORE_CLASS DIR TAG N GO_FILE} prints
 * {@code READY}, waits for {@code GO_FILE}, then tries to write {@code DIR/<v>.json} (one line,
 * {@code TAG}) for v = 0 … N−1 through the log store {@code STORE_CLASS} without overwrite, and
 * prints {@code WON v1,v2,…}: the versions whose write it was told succeeded.
 */
public final class LogStoreWriterMain {
  private LogStoreWriterMain() {}

  /** See the class comment. */
  public static void main(String[] args) throws Exception {
    Configuration conf = new Configuration();
    LogStore store =
        (LogStore) Class.forName(args[0]).getConstructor(Configuration.class).newInstance(conf);
    String dir = args[1];
    String tag = args[2];
    int n = Integer.parseInt(args[3]);
    java.nio.file.Path go = java.nio.file.Path.of(args[4]);
    store.write(new Path(dir, "warmup-" + tag + ".json"), List.of(tag).iterator(), false, conf);
    System.out.println("READY");
    System.out.flush();
    while (!Files.exists(go)) {
      Thread.onSpinWait();
    }
    List<String> won = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      Iterator<String> line = List.of(tag).iterator();
      try {
        store.write(new Path(dir, v + ".json"), line, false, conf);
        won.add(Integer.toString(v));
      } catch (FileAlreadyExistsException e) {
        // the other JVM has this version
      }
    }
    System.out.println("WON " + String.join(",", won));
    System.out.flush();
  }
}
