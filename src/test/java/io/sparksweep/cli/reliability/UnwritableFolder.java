package io.sparksweep.cli.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes an existing empty folder refuse new files for the current user, and undoes it on {@link
 * #close()}. Permissions stop an ordinary user but not root, so root gets, in this order of
 * preference, the immutable attribute ({@code chattr +i}) or a read-only bind mount of the folder
 * onto itself. Each way is verified by trying to create a file; the first that really refuses one
 * is kept. Only when none does (root on a file system without the attribute, in a container without
 * {@code CAP_SYS_ADMIN}) the test is aborted, naming what was tried.
 */
final class UnwritableFolder implements AutoCloseable {
  private final Path folder;
  private final String how;
  private final List<String> undo;

  private UnwritableFolder(Path folder, String how, List<String> undo) {
    this.folder = folder;
    this.how = how;
    this.undo = undo;
  }

  /** Makes {@code folder} unwritable, or aborts the calling test if no way works here. */
  static UnwritableFolder make(Path folder) throws IOException {
    List<String> tried = new ArrayList<>();
    if (folder.toFile().setWritable(false, false)) {
      if (refusesFiles(folder)) {
        return new UnwritableFolder(folder, "no write permission", List.of());
      }
      tried.add("chmod a-w (ignored: running as root)");
    } else {
      tried.add("chmod a-w (refused)");
    }
    if (run("chattr", "+i", folder.toString()) && refusesFiles(folder)) {
      return new UnwritableFolder(folder, "chattr +i", List.of("chattr", "-i", folder.toString()));
    }
    run("chattr", "-i", folder.toString());
    tried.add("chattr +i");
    String f = folder.toString();
    if (run("mount", "--bind", "-o", "ro", f, f) && refusesFiles(folder)) {
      return new UnwritableFolder(folder, "read-only bind mount", List.of("umount", f));
    }
    run("umount", f);
    tried.add("mount --bind -o ro");
    folder.toFile().setWritable(true, false);
    Assumptions.abort("no way to make a folder unwritable for this user here; tried " + tried);
    throw new AssertionError("unreachable");
  }

  private static boolean refusesFiles(Path folder) {
    try {
      Files.delete(Files.createTempFile(folder, "probe-", ".tmp"));
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  private static boolean run(String... command) {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0;
    } catch (IOException e) {
      return false; // the tool is not installed
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  @Override
  public void close() {
    if (!undo.isEmpty() && !run(undo.toArray(String[]::new))) {
      throw new IllegalStateException("could not undo " + how + " on " + folder + ": " + undo);
    }
    folder.toFile().setWritable(true, false);
  }

  @Override
  public String toString() {
    return how;
  }
}
