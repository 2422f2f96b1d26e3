package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.ProjectFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code openblas_env} of {@code jobs/_lib.sh}, which every launcher runs: the OpenBLAS core type
 * it exports for a CPU (a {@code /proc/cpuinfo} of the test's own), and that a user's choice wins.
 */
class OpenBlasEnvTest {
  private static final String ZEN4 =
      "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 17\n"
          + "flags\t\t: fpu sse avx2 avx512f avx512dq avx512_bf16\n";
  private static final String ZEN3 =
      "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 25\nmodel\t\t: 1\n"
          + "flags\t\t: fpu sse avx2 fma\n";
  private static final String ZEN2 =
      "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: 23\nmodel\t\t: 49\n"
          + "flags\t\t: fpu sse avx2 avx512f\n";
  private static final String XEON =
      "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 106\n"
          + "flags\t\t: fpu sse avx2 avx512f avx512dq\n";

  @TempDir Path tmp;

  @Test
  void zen4GetsTheHaswellKernelsAndOtherCpusOpenBlasOwnChoice() throws Exception {
    assertEquals("Haswell", coreType(ZEN4, Map.of()));
    assertEquals("unset", coreType(ZEN3, Map.of()));
    assertEquals("unset", coreType(ZEN2, Map.of()));
    assertEquals("unset", coreType(XEON, Map.of()));
  }

  @Test
  void aUserChoiceWins() throws Exception {
    assertEquals("SkylakeX", coreType(ZEN4, Map.of("OPENBLAS_CORETYPE", "SkylakeX")));
    assertEquals("unset", coreType(ZEN4, Map.of("SPARKSWEEP_OPENBLAS_CORETYPE", "auto")));
    assertEquals("Zen", coreType(XEON, Map.of("SPARKSWEEP_OPENBLAS_CORETYPE", "Zen")));
    // An empty value would make OpenBLAS fall back to its Prescott kernels: it is replaced.
    assertEquals("Haswell", coreType(ZEN4, Map.of("OPENBLAS_CORETYPE", "")));
  }

  @Test
  void anUnknownCoreNameIsRefusedInOneLine() throws Exception {
    Path info = Files.writeString(tmp.resolve("cpuinfo"), ZEN4);
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-c", "source jobs/_lib.sh; openblas_env; echo reached")
            .directory(ProjectFiles.root().toFile())
            .redirectErrorStream(true);
    pb.environment().remove("OPENBLAS_CORETYPE");
    pb.environment().put("SPARKSWEEP_CPUINFO", info.toString());
    pb.environment().put("SPARKSWEEP_OPENBLAS_CORETYPE", "Haswel");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not return");
    assertEquals(1, p.exitValue(), out);
    assertTrue(
        out.contains("SPARKSWEEP_OPENBLAS_CORETYPE='Haswel' is not an OpenBLAS x86-64 core name"),
        out);
    assertEquals(1, out.strip().lines().count(), out);
    // A known name in any case is taken as given.
    assertEquals("haswell", coreType(XEON, Map.of("SPARKSWEEP_OPENBLAS_CORETYPE", "haswell")));
  }

  @Test
  void theThreadCountDefaultsToOneAndAGivenOneIsKept() throws Exception {
    assertEquals("1", run(XEON, Map.of(), "$OPENBLAS_NUM_THREADS"));
    assertEquals("4", run(XEON, Map.of("OPENBLAS_NUM_THREADS", "4"), "$OPENBLAS_NUM_THREADS"));
  }

  private String coreType(String cpuinfo, Map<String, String> env) throws Exception {
    return run(cpuinfo, env, "${OPENBLAS_CORETYPE-unset}");
  }

  private String run(String cpuinfo, Map<String, String> env, String echoed)
      throws IOException, InterruptedException {
    Path info = Files.writeString(tmp.resolve("cpuinfo"), cpuinfo);
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash", "-c", "source jobs/_lib.sh; openblas_env; echo \"" + echoed + "\"")
            .directory(ProjectFiles.root().toFile())
            .redirectErrorStream(true);
    pb.environment().remove("OPENBLAS_CORETYPE");
    pb.environment().remove("OPENBLAS_NUM_THREADS");
    pb.environment().remove("SPARKSWEEP_OPENBLAS_CORETYPE");
    pb.environment().put("SPARKSWEEP_CPUINFO", info.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "bash did not return");
    assertEquals(0, p.exitValue(), out);
    return out.strip();
  }
}
