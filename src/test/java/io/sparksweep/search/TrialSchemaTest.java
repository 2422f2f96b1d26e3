package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.model.ModelKind;
import io.sparksweep.model.Normalization;
import io.sparksweep.optim.UpdateRule;
import java.lang.reflect.RecordComponent;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one trial schema: declarations agree with {@link TrialSpec}, and columns round-trip. */
class TrialSchemaTest {
  private static String camel(String snake) {
    StringBuilder b = new StringBuilder();
    boolean up = false;
    for (char c : snake.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        b.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return b.toString();
  }

  @Test
  void everyAxisIsATrialSpecComponentInTheSameOrderWithItsType() {
    RecordComponent[] c = TrialSpec.class.getRecordComponents();
    GridAxis[] axes = GridAxis.values();
    assertEquals(TrialSpec.IDENTITY_COMPONENTS + axes.length, c.length);
    for (GridAxis a : axes) {
      RecordComponent rc = c[TrialSpec.IDENTITY_COMPONENTS + a.ordinal()];
      assertEquals(camel(a.id()), rc.getName(), a.id());
      Class<?> t = rc.getType();
      switch (a.kind()) {
        case INT -> assertEquals(int.class, t, a.id());
        case REAL -> assertEquals(double.class, t, a.id());
        case INT_LIST -> assertEquals(List.class, t, a.id());
        case CHOICE -> assertTrue(t == String.class || t.isEnum(), a.id());
      }
    }
  }

  static TrialSpec sample() {
    return new TrialSpec(
        "",
        0,
        0,
        0L,
        ModelKind.CNN,
        List.of(500),
        16,
        5,
        UpdateRule.RMSPROP,
        Math.pow(10, -3.5),
        5e-2,
        1.0,
        Normalization.NONE,
        1e-3,
        50,
        3,
        0.95,
        1000);
  }

  @Test
  void columnsRoundTripToTheSameSpecAndResult() {
    TrialSpec spec = sample().withKeyAndSeed(3, 1, 493);
    TrialResult r =
        new TrialResult(
            spec,
            TrialStatus.DIVERGED,
            "loss became NaN",
            2,
            0.25,
            Double.NaN,
            Double.NaN,
            0.3,
            2,
            1.5,
            "1@host",
            1_700_000_000_123L,
            0,
            List.of(new EpochRecord(1, 2.3, 0.2, 0.25)),
            null);
    Map<String, Object> row = new HashMap<>();
    for (TrialSchema.Column<TrialResult> c : TrialSchema.TRIAL_COLUMNS) {
      row.put(c.name(), c.value().apply(r));
    }
    assertEquals("cnn", row.get("model"));
    assertEquals("rmsprop", row.get("update_rule"));
    assertEquals(List.of(500), row.get("hidden_dims"));
    assertEquals(GridAxis.MODEL.defaultValue(), ModelKind.FC);
    assertEquals(null, row.get("val_acc")); // NaN is SQL NULL
    assertEquals(null, row.get("finished_at")); // 0 millis is NULL
    TrialSpec back = TrialSchema.spec(row::get);
    assertEquals(spec, back);
    assertEquals(spec.key(), TrialSpec.keyOf(back.canonicalString()));
    TrialResult rb = TrialSchema.result(back, row::get, r.epochs());
    assertEquals(r.toString(), rb.toString());
  }

  @Test
  void columnNamesAreTheDeclaredOnesOnce() {
    List<String> names = TrialSchema.TRIAL_COLUMNS.stream().map(TrialSchema.Column::name).toList();
    assertEquals(names.size(), names.stream().distinct().count());
    assertEquals(List.of("trial_key", "trial_index", "repeat", "seed"), names.subList(0, 4));
    assertEquals(GridAxis.ids(), names.subList(4, 4 + GridAxis.values().length));
    assertEquals("finished_at", names.get(names.size() - 1));
  }

  @Test
  void aMissingOrMistypedHyperparameterIsRefused() {
    Map<GridAxis, Object> values = sample().values();
    values.remove(GridAxis.REG);
    assertThrows(IllegalArgumentException.class, () -> TrialSpec.of("", 0, 0, 0, values));
    values.put(GridAxis.REG, "a string");
    assertThrows(IllegalArgumentException.class, () -> TrialSpec.of("", 0, 0, 0, values));
  }
}
