package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompareRendererTest {
  @Test
  void comparesTwoRunsWithChartsAndTables(@TempDir Path dir) throws Exception {
    RunReport a = new RunReport("run-a", "mixed", Rows.mixedRun());
    RunReport b = new RunReport("run-b", "weight-scale", Rows.weightScaleSweep());
    ReportFiles files = CompareRenderer.render(List.of(a, b), dir);
    assertEquals(
        List.of(dir.resolve(CompareRenderer.VAL_ACC), dir.resolve(CompareRenderer.CURVES)),
        files.charts());
    for (Path png : files.charts()) {
      BufferedImage image = ImageIO.read(png.toFile());
      assertEquals(Figure.WIDTH, image.getWidth(), png.toString());
      assertTrue(image.getHeight() > 300, png + " height " + image.getHeight());
    }
    String html = Files.readString(files.index(), StandardCharsets.UTF_8);
    assertTrue(html.contains("<h1 id=\"heading\">Comparison of 2 runs</h1>"), html);
    assertTrue(html.contains("src=\"compare_val_acc.png\""));
    assertTrue(html.contains("src=\"compare_best_curves.png\""));
    // One row per run, with its best val acc: mixed 0.451 (adam, batchnorm, ws 1), sweep 0.38.
    assertTrue(html.contains("<td>mixed</td><td class=\"num\">40</td><td class=\"num\">38</td>"));
    assertTrue(html.contains("0.4510"));
    assertTrue(html.contains("0.3800"));
    // The best trials differ in update_rule (adam both? mixed best is adam; sweep is adam too):
    // equal values are not marked, different ones (normalization: batchnorm vs none) are.
    assertTrue(
        html.contains(
            "<tr><td><code>normalization</code></td><td class=\"differs\">batchnorm</td>"
                + "<td class=\"differs\">none</td></tr>"),
        html);
    assertTrue(
        html.contains("<tr><td><code>update_rule</code></td><td>adam</td><td>adam</td></tr>"),
        html);
  }

  @Test
  void needsTwoDistinctRuns(@TempDir Path dir) {
    RunReport a = new RunReport("run-a", "", Rows.weightScaleSweep());
    assertThrows(IllegalArgumentException.class, () -> CompareRenderer.render(List.of(a), dir));
    assertThrows(IllegalArgumentException.class, () -> CompareRenderer.render(List.of(a, a), dir));
  }
}
