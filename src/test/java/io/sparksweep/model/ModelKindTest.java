package io.sparksweep.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelKindTest {
  @Test
  void idsAreTheSpellingsOfGridFilesAndTables() {
    // Trial keys hash these spellings (TrialSpecKeyTest pins a whole canonical string).
    assertEquals("fc", ModelKind.FC.id());
    assertEquals("cnn", ModelKind.CNN.id());
    assertEquals(List.of("fc", "cnn"), ModelKind.ids());
  }

  @Test
  void parseIgnoresCaseAndBlanks() {
    assertEquals(ModelKind.CNN, ModelKind.parse(" CNN "));
    assertEquals(ModelKind.FC, ModelKind.parse("fc"));
  }

  @Test
  void parseNamesTheAllowedValues() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ModelKind.parse("rnn"));
    assertTrue(
        e.getMessage().contains("'rnn'") && e.getMessage().contains("fc, cnn"), e.getMessage());
  }
}
