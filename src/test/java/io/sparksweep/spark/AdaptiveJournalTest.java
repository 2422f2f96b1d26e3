package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.EpochRecord;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.search.schedule.Decision;
import io.sparksweep.search.schedule.LogEntry;
import io.sparksweep.search.schedule.Segment;
import io.sparksweep.spark.AdaptiveJournal.Event;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The adaptive journal's lines read back as the events that were written, doubles exactly. */
class AdaptiveJournalTest {
  @Test
  void everyEventReadsBackEqual() {
    Segment seg = new Segment(4, 1, 2, 3, 9);
    List<Event> events =
        List.of(
            new AdaptiveJournal.Logged(new LogEntry.Assigned(seg)),
            new AdaptiveJournal.Logged(new LogEntry.Reported(4, 2, 0.1 + 0.2)),
            new AdaptiveJournal.Logged(new LogEntry.Reported(5, 0, Double.NaN)),
            new AdaptiveJournal.Logged(
                new LogEntry.Decided(new Decision(4, 1, 2, 9, 1.0 / 3, Decision.Outcome.PROMOTED))),
            new AdaptiveJournal.SegmentDone(
                new SegmentResult(
                    seg,
                    TrialStatus.OK,
                    0.4375,
                    Math.PI / 7,
                    9,
                    List.of(
                        new EpochRecord(4, 2.302585092994046, 0.1, 0.125),
                        new EpochRecord(5, Double.POSITIVE_INFINITY, 1e-300, Double.MIN_VALUE)),
                    null,
                    12.5,
                    "1@10.0.0.7",
                    1_767_000_000_123L),
                new AdaptiveJournal.Completed(0.5, Double.NaN, 0.75)),
            new AdaptiveJournal.SegmentDone(
                SegmentResult.failed(seg, "IOException: \"quoted\"\nnew line", 0.25, "driver"),
                null),
            new AdaptiveJournal.Decided(
                new Decision(5, 0, 0, 1, Double.NaN, Decision.Outcome.STOPPED), 1_767_000_000_999L),
            new AdaptiveJournal.Finished(
                5, Decision.Outcome.STOPPED, TrialStatus.DIVERGED, 1, 0, Double.NaN, 0.2));
    StringBuilder text = new StringBuilder();
    for (Event e : events) {
      String line = AdaptiveJournal.line(e);
      assertTrue(!line.contains("\n"), "one line: " + line);
      text.append(line).append('\n');
    }
    List<Event> back = AdaptiveJournal.parse(text.toString(), "test");
    assertEquals(events.size(), back.size());
    for (int i = 0; i < events.size(); i++) {
      // SegmentResult.failed stamps the current time: compare what was written, field by field.
      assertEquals(AdaptiveJournal.line(events.get(i)), AdaptiveJournal.line(back.get(i)));
    }
    assertEquals(events.subList(0, 5), back.subList(0, 5), "records equal (NaN equals NaN)");
    assertEquals(events.subList(6, 8), back.subList(6, 8));
  }

  @Test
  void aDamagedLineIsNamed() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AdaptiveJournal.parse("{\"e\":\"assigned\",\"trial\":1}\n", "batch-7"));
    assertTrue(e.getMessage().startsWith("batch-7:1: not a journal event"), e.getMessage());
  }
}
