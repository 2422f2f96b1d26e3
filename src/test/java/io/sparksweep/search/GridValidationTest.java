package io.sparksweep.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each kind of bad grid file is refused before anything runs, with file, line:column, field, the
 * bad value and what is allowed; all problems of a file come in one exception.
 */
class GridValidationTest {
  static GridException refuse(String yaml) {
    return assertThrows(GridException.class, () -> GridSpec.parse(yaml, "bad.yaml"));
  }

  static GridProblem only(String yaml) {
    GridException e = refuse(yaml);
    assertEquals(1, e.problems().size(), e.getMessage());
    return e.problems().get(0);
  }

  static void assertProblem(
      GridProblem p, int line, int column, String field, String messagePart, String value) {
    String s = p.toString();
    assertEquals("bad.yaml", p.file(), s);
    assertEquals(line, p.line(), s);
    assertEquals(column, p.column(), s);
    assertEquals(field, p.field(), s);
    assertTrue(p.message().contains(messagePart), s);
    assertEquals(value, p.value(), s);
    assertTrue(p.allowed() != null && !p.allowed().isEmpty(), s);
  }

  @Test
  void problemRendersFileLineColumnFieldValueAndAllowed() {
    GridProblem p = only("num_epochs: 3\nlearning_rate: -1e-3\n");
    assertEquals(
        "bad.yaml:2:16: learning_rate: out of range (got -1e-3; allowed: a number > 0, a list of"
            + " them, {logspace: [start, stop, num]}, {linspace: [start, stop, num]} or {pow10:"
            + " exponent})",
        p.toString());
  }

  @Test
  void invalidYamlIsReportedWithItsPosition() {
    GridProblem p = only("learning_rate: [1e-3, 2e-3\nnum_epochs: 1\n");
    assertEquals("(yaml)", p.field());
    assertEquals(2, p.line());
    assertTrue(p.message().startsWith("not valid YAML"), p.toString());
    assertEquals("'num_epochs: 1'", p.value());
  }

  @Test
  void unknownKeySuggestsTheClosestKey() {
    GridProblem p = only("seed: 1\nlerning_rate: 1e-3\n");
    assertProblem(p, 2, 1, "lerning_rate", "did you mean 'learning_rate'?", "'lerning_rate'");
    assertTrue(p.allowed().contains("learning_rate"));
  }

  @Test
  void unknownKeyFarFromEveryKeyGetsNoSuggestion() {
    GridProblem p = only("colour: blue\n");
    assertProblem(p, 1, 1, "colour", "unknown key", "'colour'");
    assertTrue(!p.message().contains("did you mean"), p.toString());
  }

  @Test
  void unknownNamesSuggestTheClosestValue() {
    assertProblem(
        only("normalization: batchnrom\n"),
        1,
        16,
        "normalization",
        "did you mean 'batchnorm'?",
        "'batchnrom'");
    GridProblem rule = only("update_rule: [adam, rmsprp]\n");
    assertProblem(rule, 1, 21, "update_rule[1]", "did you mean 'rmsprop'?", "'rmsprp'");
    assertTrue(rule.allowed().contains("sgd_momentum"), rule.toString());
    GridProblem model = only("model: mlp\n");
    assertProblem(model, 1, 8, "model", "unknown model", "'mlp'");
    assertTrue(model.allowed().startsWith("fc, cnn"), model.toString());
  }

  @Test
  void wrongTypesAreNamed() {
    assertProblem(
        only("learning_rate: fast\n"), 1, 16, "learning_rate", "expected a number", "'fast'");
    assertProblem(only("batch_size: 2.5\n"), 1, 13, "batch_size", "expected an integer", "2.5");
    assertProblem(
        only("weight_scale: \"1e-2\"\n"), 1, 15, "weight_scale", "remove the quotes", "'1e-2'");
    assertProblem(
        only("reg: {logpsace: [1, 2, 3]}\n"),
        1,
        6,
        "reg",
        "did you mean 'logspace'?",
        "{logpsace: [1, 2, 3]}");
    assertProblem(only("learning_rate:\n"), 1, 15, "learning_rate", "missing value", "null");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "learning_rate | 0 | 0",
        "learning_rate | -1e-3 | -1e-3",
        "weight_scale | 0 | 0",
        "weight_scale | -0.5 | -0.5",
        "dropout_keep_ratio | 0 | 0",
        "dropout_keep_ratio | 1.5 | 1.5",
        "batch_size | 0 | 0",
        "num_epochs | 0 | 0",
        "reg | -1 | -1",
        "lr_decay | 0 | 0",
        "num_train | 0 | 0",
        "num_train | 49001 | 49001",
        "num_filters | 0 | 0",
        "filter_size | 4 | 4",
        "learning_rate | .inf | .inf",
        "weight_scale | .nan | .nan",
      })
  void valuesOutOfRangeAreRefused(String field, String value, String shown) {
    GridProblem p = only("model: cnn\n" + field + ": " + value + "\n");
    assertProblem(p, 2, field.length() + 3, field, "", shown);
    assertTrue(
        p.message().contains("out of range") || p.message().contains("not a finite number"),
        p.toString());
  }

  @Test
  void nonPositiveHiddenDimsAreRefusedEachOne() {
    GridException e = refuse("hidden_dims: [100, 0, -5]\n");
    assertEquals(2, e.problems().size(), e.getMessage());
    assertProblem(e.problems().get(0), 1, 20, "hidden_dims[1]", "out of range", "0");
    assertProblem(e.problems().get(1), 1, 23, "hidden_dims[2]", "out of range", "-5");
    assertProblem(
        only("hidden_dims: [[100], [50, 0]]\n"), 1, 27, "hidden_dims[1][1]", "out of range", "0");
    assertProblem(
        only("hidden_dims: [[100], 5]\n"),
        1,
        14,
        "hidden_dims",
        "mixes sizes and lists",
        "[[100], 5]");
  }

  @Test
  void emptyAxesAreRefused() {
    for (String field : List.of("learning_rate", "batch_size", "normalization", "hidden_dims")) {
      assertProblem(only(field + ": []\n"), 1, field.length() + 3, field, "empty axis", "[]");
    }
  }

  @Test
  void batchSizeLargerThanNumTrainIsRefused() {
    assertProblem(
        only("num_train: 100\nbatch_size: [10, 200]\n"),
        2,
        18,
        "batch_size",
        "batch size 200 is larger than num_train 100",
        "200");
    // With the default batch size (100), the small num_train is the culprit.
    assertProblem(
        only("num_train: 50\n"),
        1,
        12,
        "num_train",
        "smaller than the default batch size 100",
        "50");
  }

  @Test
  void cnnOnlySettingsAndFcOnlySettingsAreChecked() {
    assertProblem(
        only("num_filters: 16\n"), 1, 1, "num_filters", "applies only to model cnn", "16");
    GridException e =
        refuse(
            "model: cnn\nnormalization: [none, batchnorm]\ndropout_keep_ratio: 0.5\n"
                + "hidden_dims: [100, 100]\n");
    assertEquals(3, e.problems().size(), e.getMessage());
    assertProblem(e.problems().get(0), 2, 23, "normalization", "no normalization", "'batchnorm'");
    assertProblem(e.problems().get(1), 3, 21, "dropout_keep_ratio", "no dropout", "0.5");
    assertProblem(e.problems().get(2), 4, 14, "hidden_dims", "one hidden", "[100, 100]");
  }

  @Test
  void rangesAreChecked() {
    assertProblem(
        only("weight_scale: {logspace: [-4, 0, 0]}\n"),
        1,
        34,
        "weight_scale.logspace[2]",
        "out of range",
        "0");
    assertProblem(
        only("dropout_keep_ratio: {linspace: [0, 1, 5]}\n"),
        1,
        21,
        "dropout_keep_ratio",
        "1 of the 5 values of the linspace",
        "0");
    assertProblem(
        only("weight_scale: {logspace: [-4, 0]}\n"),
        1,
        26,
        "weight_scale",
        "expected {logspace: [start, stop, num]}",
        "[-4, 0]");
  }

  @Test
  void duplicateKeysAndValuesAreRefused() {
    assertProblem(
        only("batch_size: 5\nbatch_size: 6\n"),
        2,
        1,
        "batch_size",
        "first set at line 1:1",
        "'batch_size'");
    // 1e-3 and 0.001 are the same learning rate.
    assertProblem(
        only("learning_rate: [1e-3, 0.001]\n"), 1, 23, "learning_rate", "duplicate value", "0.001");
  }

  @Test
  void settingsAreChecked() {
    GridException e =
        refuse("name: 'bad name'\nseed: 1.5\nmax_trials: 0\nrepeats: many\ndescription: [a]\n");
    assertEquals(5, e.problems().size(), e.getMessage());
    assertProblem(e.problems().get(0), 1, 7, "name", "not a valid name", "'bad name'");
    assertProblem(e.problems().get(1), 2, 7, "seed", "expected an integer", "1.5");
    assertProblem(e.problems().get(2), 3, 13, "max_trials", "out of range", "0");
    assertProblem(e.problems().get(3), 4, 10, "repeats", "expected an integer", "'many'");
    assertProblem(e.problems().get(4), 5, 14, "description", "expected text", "['a']");
  }

  @Test
  void subGridsAreCheckedWithTheirPath() {
    GridException e =
        refuse(
            "num_train: 100\n"
                + "grids:\n"
                + "  - batch_size: 5\n"
                + "    name: x\n"
                + "  - batch_size: 500\n"
                + "  - lerning_rate: 1\n");
    assertEquals(3, e.problems().size(), e.getMessage());
    assertProblem(
        e.problems().get(0), 4, 5, "grids[0].name", "set name at the top level", "'name'");
    assertProblem(
        e.problems().get(1),
        5,
        17,
        "grids[1].batch_size",
        "larger than num_train 100 in grids[1]",
        "500");
    assertProblem(
        e.problems().get(2),
        6,
        5,
        "grids[2].lerning_rate",
        "did you mean 'learning_rate'?",
        "'lerning_rate'");
    assertProblem(only("grids: []\n"), 1, 8, "grids", "no sub-grids", "[]");
  }

  @Test
  void emptyOrNonMappingFilesAreRefused() {
    assertEquals("(file)", only("").field());
    assertEquals("(file)", only("# only a comment\n").field());
    assertProblem(only("- a\n- b\n"), 1, 1, "(file)", "expected a mapping", "['a', 'b']");
  }

  @Test
  void everyProblemOfTheFileIsReportedAtOnceInFileOrder() {
    GridException e =
        refuse(
            "lerning_rate: 1e-3\n"
                + "weight_scale: 0\n"
                + "normalization: batchnrom\n"
                + "batch_size: 0\n"
                + "num_epochs: 0\n");
    assertEquals(5, e.problems().size(), e.getMessage());
    List<String> fields = e.problems().stream().map(GridProblem::field).toList();
    assertEquals(
        List.of("lerning_rate", "weight_scale", "normalization", "batch_size", "num_epochs"),
        fields);
    String[] lines = e.getMessage().split("\\R");
    assertEquals("grid file bad.yaml has 5 problems:", lines[0]);
    assertTrue(lines[1].startsWith("  bad.yaml:1:1: lerning_rate: "), lines[1]);
    assertTrue(lines[3].contains("did you mean 'batchnorm'?"), lines[3]);
  }

  @Test
  void missingFileIsAProblemToo(@TempDir Path dir) {
    Path missing = dir.resolve("nope.yaml");
    GridException e = assertThrows(GridException.class, () -> GridSpec.parse(missing));
    assertEquals(missing.toString(), e.file());
    assertTrue(e.getMessage().contains("no such file"), e.getMessage());
  }
}
