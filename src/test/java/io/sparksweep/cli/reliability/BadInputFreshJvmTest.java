package io.sparksweep.cli.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import io.sparksweep.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production command line in a fresh JVM, as {@code jobs/sparksweep} runs it: a bad grid and
 * bad data each end the process with status 2 and one {@code error:} line, and Spark never starts
 * (it would log its version and create the warehouse).
 */
@Tag("slow")
class BadInputFreshJvmTest {
  @TempDir Path tmp;

  private void assertRefused(List<String> args, String... expected) throws Exception {
    ChildJvm jvm = ChildJvm.start(tmp, "search", Main.class, List.of(), args);
    assertTrue(jvm.process.waitFor(2, TimeUnit.MINUTES), "the command did not end: " + jvm);
    String err =
        jvm.stderr()
            .lines()
            .filter(l -> !l.startsWith("WARNING: Using incubator modules"))
            .collect(java.util.stream.Collectors.joining("\n"));
    assertEquals(2, jvm.process.exitValue(), err + jvm.stdout());
    assertTrue(err.startsWith("error: "), err);
    for (String part : expected) {
      assertTrue(err.contains(part), "'" + part + "' in " + err);
    }
    assertFalse(err.contains("Spark") || jvm.stdout().contains("Spark "), "Spark started: " + err);
    assertFalse(Files.exists(tmp.resolve("warehouse")), "no warehouse was created");
  }

  @Test
  void aBadGridExitsWithStatus2BeforeSparkStarts() throws Exception {
    Files.writeString(tmp.resolve("grid.yaml"), "learning_rate: [1e-3, -1]\nnum_epoch: 2\n");
    assertRefused(
        List.of("search", "--grid", "grid.yaml", "--warehouse", "warehouse", "--runs-dir", "runs"),
        "grid.yaml:1:",
        "learning_rate[1]",
        "got -1",
        "grid.yaml:2:1",
        "did you mean 'num_epochs'?");
  }

  @Test
  void badDataExitsWithStatus2BeforeSparkStarts() throws Exception {
    Path data = Files.createDirectories(tmp.resolve("cifar-10-batches-bin"));
    Files.write(data.resolve("data_batch_1.bin"), new byte[3073 * 7]);
    assertRefused(
        List.of(
            "search",
            "--grid",
            ProjectFiles.path("conf/grids/default.yaml").toString(),
            "--data",
            data.toString(),
            "--warehouse",
            "warehouse",
            "--runs-dir",
            "runs"),
        "cifar-10-batches-bin: lacks data_batch_2.bin");
  }
}
