package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdaptiveRunSlotsTest {
  @Test
  void theSettingOverridesTheDefaultParallelism() {
    assertEquals(3, AdaptiveRun.slots((String) null, 3));
    assertEquals(1, AdaptiveRun.slots((String) null, 0), "at least one slot");
    assertEquals(8, AdaptiveRun.slots(" 8 ", 2));
  }

  @Test
  void aSlotCountThatIsNotAPositiveIntegerIsRefusedByName() {
    for (String bad : new String[] {"0", "-2", "two", "1.5", ""}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> AdaptiveRun.slots(bad, 2), bad);
      assertTrue(
          e.getMessage().startsWith("spark.sparksweep.slots is '" + bad.trim() + "'"),
          e.getMessage());
      assertTrue(e.getMessage().contains("positive integer"), e.getMessage());
    }
  }
}
