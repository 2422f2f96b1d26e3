package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.GridSpec;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.schedule.SchedulerConfig;
import io.sparksweep.search.schedule.SchedulerType;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code search --dry-run} of a scheduled search: its rungs and epochs, hand-computed. */
class DryRunPlanTest {
  @Test
  void shaPlanForEta3AndR27() {
    String plan = DryRun.plan(SchedulerConfig.of(SchedulerType.SHA, 1, 27), 27);
    assertEquals(
        "scheduler sha: reduction_factor 3, epochs 1 to 27, 1 bracket, 27 configurations\n"
            + "  bracket 0: rung 0 27 × 1 · rung 1 9 × 3 · rung 2 3 × 9 · rung 3 1 × 27"
            + " (81 epochs)\n"
            // 27·1 + 9·2 + 3·6 + 1·18 = 81 of 27·27 = 729.
            + "  epochs: 81 planned vs 729 at full budget (27 × 27): 11.1%\n",
        plan.replace(System.lineSeparator(), "\n"));
  }

  @Test
  void hyperbandPlanForR81() {
    String plan = DryRun.plan(SchedulerConfig.of(SchedulerType.HYPERBAND, 1, 81), 143);
    List<String> lines = plan.lines().toList();
    assertEquals(7, lines.size(), plan);
    assertTrue(lines.get(0).endsWith("5 brackets, 143 configurations"), plan);
    // 81·1 + 27·2 + 9·6 + 3·18 + 1·54 = 297
    assertEquals(
        "  bracket 0: rung 0 81 × 1 · rung 1 27 × 3 · rung 2 9 × 9 · rung 3 3 × 27 · rung 4 1 × 81"
            + " (297 epochs)",
        lines.get(1));
    // 34·3 + 11·6 + 3·18 + 1·54 = 276; 15·9 + 5·18 + 1·54 = 279; 8·27 + 2·54 = 324; 5·81 = 405
    assertTrue(lines.get(2).endsWith("(276 epochs)"), plan);
    assertTrue(lines.get(3).endsWith("(279 epochs)"), plan);
    assertEquals("  bracket 3: rung 0 8 × 27 · rung 1 2 × 81 (324 epochs)", lines.get(4));
    assertEquals("  bracket 4: rung 0 5 × 81 (405 epochs)", lines.get(5));
    // 297 + 276 + 279 + 324 + 405 = 1581 of 143·81 = 11583: 13.6 %.
    assertEquals("  epochs: 1581 planned vs 11583 at full budget (143 × 81): 13.6%", lines.get(6));
  }

  @Test
  void ashaPlanIsApproximate() {
    String plan = DryRun.plan(SchedulerConfig.of(SchedulerType.ASHA, 1, 9), 10);
    // ⌊10/3⌋ = 3, ⌊10/9⌋ = 1: 10·1 + 3·2 + 1·6 = 22 of 90.
    assertTrue(plan.contains("rung 0 ≈10 × 1 · rung 1 ≈3 × 3 · rung 2 ≈1 × 9 (≈22 epochs)"), plan);
    assertTrue(plan.contains("≈22 planned vs 90 at full budget (10 × 9): 24.4%"), plan);
  }

  @Test
  void theDryRunOfAScheduledFilePrintsThePlanAndAPlainOneDoesNot() {
    GridSpec g =
        GridSpec.parse(
            "sampler: random\nlearning_rate: {loguniform: [1e-4, 1e-2]}\n"
                + "scheduler: {type: hyperband, max_resource: 9}\n",
            "hb.yaml");
    List<TrialSpec> trials = g.expand(false);
    StringWriter w = new StringWriter();
    DryRun.print(new PrintWriter(w), Path.of("hb.yaml"), trials, g.scheduler());
    String out = w.toString();
    assertTrue(out.contains("scheduler hyperband: reduction_factor 3, epochs 1 to 9"), out);
    assertTrue(out.contains("hb.yaml: 17 trials (dry run"), out);
    StringWriter plain = new StringWriter();
    DryRun.print(new PrintWriter(plain), Path.of("hb.yaml"), trials);
    assertFalse(plain.toString().contains("scheduler"), plain.toString());
  }
}
