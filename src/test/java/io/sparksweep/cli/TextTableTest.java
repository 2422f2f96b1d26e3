package io.sparksweep.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextTableTest {
  @Test
  void numbersKeepSixSignificantDigitsWithoutTrailingZeros() {
    assertEquals("0.523457", TextTable.number(0.52345678));
    assertEquals("0.5", TextTable.number(0.5));
    assertEquals("0.001", TextTable.number(1e-3));
    assertEquals("1.2e-05", TextTable.number(1.2e-5));
    assertEquals("1e-07", TextTable.number(1e-7));
    assertEquals("123457", TextTable.number(123456.7));
    assertEquals("0", TextTable.number(0.0));
    assertEquals("NaN", TextTable.number(Double.NaN));
  }

  @Test
  void cellsFormatNullsArraysAndTimestamps() {
    assertEquals("", TextTable.cell(null));
    assertEquals("[100, 50]", TextTable.cell(List.of(100, 50)));
    assertEquals(
        "[1, 2]",
        TextTable.cell(scala.jdk.javaapi.CollectionConverters.asScala(List.of(1, 2)).toSeq()));
    Instant t = Instant.parse("2026-01-15T09:30:12.500Z");
    assertEquals("2026-01-15T09:30:12.500Z", TextTable.cell(Timestamp.from(t)));
    assertEquals("7", TextTable.cell(7L));
  }

  @Test
  void tableAlignsTextLeftAndNumbersRight() {
    String table =
        TextTable.render(
            List.of("key", "acc"), List.of(List.of("a", "0.5"), List.of("bbbb", "0.125")));
    assertEquals(
        """
        key     acc
        ----  -----
        a       0.5
        bbbb  0.125
        """,
        table);
  }

  @Test
  void csvQuotesOnlyWhenNeeded() {
    assertEquals(
        "a,\"b,c\",\"say \"\"hi\"\"\",,0.1",
        TextTable.csv(Arrays.asList("a", "b,c", "say \"hi\"", null, 0.1)));
  }

  @Test
  void durationsReadAsClockTimes() {
    assertEquals("0:05", TextTable.duration(Duration.ofSeconds(5)));
    assertEquals("12:00", TextTable.duration(Duration.ofMinutes(12)));
    assertEquals("2:03:04", TextTable.duration(Duration.ofSeconds(2 * 3600 + 3 * 60 + 4)));
    assertEquals("?", TextTable.duration(null));
  }
}
