package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatTest {
  @ParameterizedTest
  @CsvSource({
    "100, 100",
    "0, 0",
    "-3, -3",
    "0.001, 0.001",
    "0.025, 0.025",
    "0.9, 0.9",
    "1.0E-4, 1e-4",
    "0.00031622776601683794, 3.16e-4",
    "2.5E-5, 2.5e-5",
    "0.123456, 0.1235",
    "1.0E8, 1e8",
    "49000, 49000"
  })
  void compactNumbersAreShortAndLocaleFree(double x, String expected) {
    assertEquals(expected, Format.compact(x));
  }

  @Test
  void numbersAreDecimalsOnly() {
    assertTrue(Format.isNumber("1.0E-4"));
    assertTrue(Format.isNumber("100"));
    assertTrue(Format.isNumber("-.5"));
    assertFalse(Format.isNumber("batchnorm"));
    assertFalse(Format.isNumber("[100,100]"));
    assertFalse(Format.isNumber("0x10"));
    assertFalse(Format.isNumber("1f"));
    assertFalse(Format.isNumber("NaN"));
  }

  @Test
  void canonicalValuesIdentifyEqualNumbers() {
    assertEquals(Format.canonical("0.001"), Format.canonical("1.0E-3"));
    assertEquals("adam", Format.canonical("adam"));
  }

  @Test
  void htmlEscapesTheFiveXmlCharactersAndControls() {
    assertEquals(
        "&lt;b a=&quot;1&quot;&gt;x &amp; y&#39;s&lt;/b&gt;",
        Format.html("<b a=\"1\">x & y's</b>"));
    assertEquals("a\uFFFDb\tc\nd", Format.html("a\u0000b\tc\nd"));
  }

  @Test
  void missingValuesShowADash() {
    assertEquals(Format.MISSING, Format.accuracy(Double.NaN));
    assertEquals("0.5000", Format.accuracy(0.5));
    assertEquals("12.3", Format.seconds(12.34));
    assertEquals("", Format.sortKey(Double.NaN));
  }
}
