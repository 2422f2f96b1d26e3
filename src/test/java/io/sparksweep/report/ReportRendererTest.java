package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.search.TrialStatus;
import io.sparksweep.tensor.DType;
import io.sparksweep.tensor.Tensor;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class ReportRendererTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  private static final String NASTY_ERROR = "shape <3, 7> & \"x\" isn't </td></tr><script>";
  private static final String NASTY_GRID = "<b>bn</b> & 'ws'";

  @BeforeAll
  static void headless() {
    assertEquals("true", System.getProperty("java.awt.headless"));
  }

  /** The weight-scale sweep plus one DIVERGED and one FAILED trial. */
  private static List<TrialRow> sweepWithFailures() {
    List<TrialRow> rows = new ArrayList<>(Rows.weightScaleSweep());
    rows.add(Rows.failed(10, Rows.hyper("10", "none"), TrialStatus.DIVERGED, "loss is NaN"));
    rows.add(Rows.failed(11, Rows.hyper("10", "batchnorm"), TrialStatus.FAILED, NASTY_ERROR));
    return rows;
  }

  private static Tensor filters() {
    Tensor w = Tensor.zeros(DType.FLOAT32, 6, 3, 5, 5);
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < w.size(); i++) {
      w.setFlat(i, random.nextDouble(-1, 1));
    }
    return w;
  }

  @Test
  void writesEveryChartAndAPageThatShowsThem(@TempDir Path dir) throws Exception {
    RunReport report =
        new RunReport("run-1", NASTY_GRID, sweepWithFailures())
            .withFilters(new FirstLayerFilters("abc123", filters()));
    ReportFiles files = ReportRenderer.render(report, dir);

    assertEquals(dir.resolve("index.html"), files.index());
    assertEquals(
        List.of(
            dir.resolve("learning_curves.png"),
            dir.resolve("weight_scale.png"),
            dir.resolve("normalization.png"),
            dir.resolve("parallel_coordinates.png"),
            dir.resolve("importance.png"),
            dir.resolve("filters.png")),
        files.charts());
    for (Path png : files.charts()) {
      assertValidPng(png);
    }
    BufferedImage curves = ImageIO.read(dir.resolve("learning_curves.png").toFile());
    assertEquals(Figure.WIDTH, curves.getWidth());

    Document page = parse(files.index());
    List<String> sources = new ArrayList<>();
    NodeList images = page.getElementsByTagName("img");
    for (int i = 0; i < images.getLength(); i++) {
      sources.add(((Element) images.item(i)).getAttribute("src"));
    }
    assertEquals(
        List.of(
            "learning_curves.png",
            "weight_scale.png",
            "normalization.png",
            "parallel_coordinates.png",
            "importance.png",
            "filters.png"),
        sources);

    // One table row per trial, failures included, in trial order, status coloured.
    Element tbody = (Element) byId(page, "trials").getElementsByTagName("tbody").item(0);
    NodeList rows = tbody.getElementsByTagName("tr");
    assertEquals(12, rows.getLength());
    for (int i = 0; i < 12; i++) {
      Element row = (Element) rows.item(i);
      String index = ((Element) row.getElementsByTagName("td").item(0)).getTextContent();
      assertEquals(Integer.toString(i), index);
      // Trials 5..9 (none, the five scales) have the best accuracies: 0.29 + 0.01·i.
      String expected =
          i == 10 ? "row-diverged" : i == 11 ? "row-failed" : i >= 5 ? "row-ok top" : "row-ok";
      assertEquals(expected, row.getAttribute("class"));
    }
    // The escaped error reads back as it was.
    assertEquals(NASTY_ERROR, lastCell((Element) rows.item(11)));
    assertEquals("diverged at epoch 2: loss is NaN", lastCell((Element) rows.item(10)));

    String html = Files.readString(files.index(), StandardCharsets.UTF_8);
    assertFalse(html.contains("<b>bn</b>"), "grid name must be escaped");
    assertFalse(html.contains(NASTY_ERROR), "error message must be escaped");
    assertEquals(1, html.split("<script>", -1).length - 1, "only the page's own script");
    assertTrue(html.contains("&lt;b&gt;bn&lt;/b&gt; &amp; &#39;ws&#39;"));
    assertTrue(html.contains("<table id=\"trials\" class=\"sortable\">"));
    assertTrue(html.contains("addEventListener('click'"), "sort script inlined");
  }

  @Test
  void anAdaptiveRunGetsARungChartAndNoOtherRunDoes(@TempDir Path dir) throws Exception {
    List<TrialRow> rows = new ArrayList<>(sweepWithFailures());
    for (int i = 0; i < 6; i++) { // the scheduler stopped the first six
      rows.set(i, Rows.withStatus(rows.get(i), TrialStatus.STOPPED));
    }
    List<RungPoint> rungs = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      String key = rows.get(i).trialKey();
      rungs.add(new RungPoint(key, 0, 0, 0, 1, 0.1 + 0.01 * i, i >= 6 ? "promoted" : "stopped"));
      if (i >= 6) {
        rungs.add(new RungPoint(key, 0, 0, 1, 9, 0.2 + 0.01 * i, i == 8 ? "completed" : "stopped"));
      }
    }
    ReportFiles files =
        ReportRenderer.render(new RunReport("run-1", "g", rows).withRungs(rungs), dir);
    assertTrue(files.charts().contains(dir.resolve("rungs.png")), files.charts().toString());
    assertTrue(
        javax.imageio.ImageIO.read(dir.resolve("rungs.png").toFile()).getWidth() > 0, "a PNG");
    String html = Files.readString(files.index());
    assertTrue(html.contains("rungs.png"));
    assertTrue(html.contains("per epoch of the 10 trials of 12 (4 OK, 6 stopped early)"), html);
    // Axis importance compares all ten at the first common epoch, not the four OK ones by best.
    assertTrue(
        html.contains(
            "Share of the variance of validation accuracy after 3 epochs (the first rung, which"
                + " every trial reached) over the OK and stopped-early trials"),
        html);
    Path plain = dir.resolve("plain");
    assertTrue(
        !ReportRenderer.render(new RunReport("run-1", "g", rows), plain)
            .charts()
            .contains(plain.resolve("rungs.png")));
  }

  @Test
  void summaryCountsStatusesAndNamesTheBestTrial(@TempDir Path dir) throws Exception {
    ReportFiles files =
        ReportRenderer.render(new RunReport("run-1", "g", sweepWithFailures()), dir);
    Document page = parse(files.index());
    assertEquals(
        "12 trials: 10 OK, 1 DIVERGED, 1 FAILED", byId(page, "trial-counts").getTextContent());
    // Trial 9 (none, ws 1) has the highest best val acc of the fixture: 0.29 + 0.09.
    String best = byId(page, "best-trial").getTextContent();
    assertTrue(best.startsWith("Best trial: #9 "), best);
    assertTrue(best.contains("(ws=1, norm=none)"), best);
    assertTrue(best.contains("best val acc 0.3800"), best);
  }

  @Test
  void varyingOnlyBatchSizeGivesNoWeightScaleChart(@TempDir Path dir) throws IOException {
    List<TrialRow> rows = new ArrayList<>();
    int i = 0;
    for (String bs : List.of("5", "10", "50")) {
      for (String n : List.of("none", "batchnorm")) {
        Map<String, String> h = new java.util.LinkedHashMap<>(Rows.hyper("0.02", n));
        h.put("batch_size", bs);
        rows.add(Rows.ok(i, h, 2, 0.1 + 0.01 * i));
        i++;
      }
    }
    ReportFiles files = ReportRenderer.render(new RunReport("r", "", rows), dir);
    assertFalse(Files.exists(dir.resolve("weight_scale.png")));
    assertFalse(Files.exists(dir.resolve("filters.png")));
    assertTrue(Files.exists(dir.resolve("batch_size.png")));
    assertEquals(
        List.of(
            dir.resolve("learning_curves.png"),
            dir.resolve("batch_size.png"),
            dir.resolve("normalization.png"),
            dir.resolve("parallel_coordinates.png"),
            dir.resolve("importance.png")),
        files.charts());
    assertValidPng(dir.resolve("batch_size.png"));
    String html = Files.readString(files.index(), StandardCharsets.UTF_8);
    assertFalse(html.contains("weight_scale.png"));
  }

  @Test
  void aRunWithoutOkTrialsHasATableAndNoCharts(@TempDir Path dir) throws Exception {
    List<TrialRow> rows =
        List.of(
            Rows.failed(0, Rows.hyper("1", "none"), TrialStatus.DIVERGED, "nan"),
            Rows.failed(1, Rows.hyper("10", "none"), TrialStatus.FAILED, "boom"));
    ReportFiles files = ReportRenderer.render(new RunReport("r", "", rows), dir);
    assertEquals(List.of(), files.charts());
    Document page = parse(files.index());
    assertEquals(0, page.getElementsByTagName("img").getLength());
    assertEquals("Best trial: none (no OK trial)", byId(page, "best-trial").getTextContent());
    Element tbody = (Element) byId(page, "trials").getElementsByTagName("tbody").item(0);
    assertEquals(2, tbody.getElementsByTagName("tr").getLength());
  }

  @Test
  void filtersPngIsTheUpscaledGrid(@TempDir Path dir) throws IOException {
    Tensor w = filters();
    ReportRenderer.render(
        new RunReport("r", "", Rows.weightScaleSweep()).withFilters(new FirstLayerFilters("k", w)),
        dir);
    BufferedImage grid = FilterGrid.grid(w, 1);
    BufferedImage png = ImageIO.read(dir.resolve("filters.png").toFile());
    // 6 filters of 5×5: a 3×3 grid, 17 pixels a side, enlarged 400 / 17 = 23 times.
    assertEquals(17, grid.getWidth());
    int factor = 23;
    assertEquals(17 * factor, png.getWidth());
    assertEquals(17 * factor, png.getHeight());
    for (int y = 0; y < png.getHeight(); y += 5) {
      for (int x = 0; x < png.getWidth(); x += 5) {
        assertEquals(grid.getRGB(x / factor, y / factor) & 0xFFFFFF, png.getRGB(x, y) & 0xFFFFFF);
      }
    }
  }

  @Test
  void sameRowsInAnyOrderGiveTheSameFiles(@TempDir Path dir) throws IOException {
    List<TrialRow> rows = sweepWithFailures();
    List<TrialRow> shuffled = new ArrayList<>(rows);
    Collections.shuffle(shuffled, new java.util.Random(3));
    ReportRenderer.render(new RunReport("r", "g", rows), dir.resolve("a"));
    ReportRenderer.render(new RunReport("r", "g", shuffled), dir.resolve("b"));
    for (String name : List.of("index.html", "learning_curves.png", "weight_scale.png")) {
      assertArrayEquals(
          Files.readAllBytes(dir.resolve("a").resolve(name)),
          Files.readAllBytes(dir.resolve("b").resolve(name)),
          name);
    }
  }

  /**
   * Every chart kind for a run over two numeric and two categorical axes: valid PNGs of a sane
   * size, all shown by the page, the importance table as computed, the grid name as the heading,
   * 19-digit seeds written exactly and marked for exact sorting.
   */
  @Test
  void aMixedRunGetsEveryChartKind(@TempDir Path dir) throws Exception {
    List<TrialRow> rows = Rows.mixedRun();
    ReportFiles files = ReportRenderer.render(new RunReport("run-7", "mixed-grid", rows), dir);
    List<String> expected =
        List.of(
            "learning_curves.png",
            "learning_rate.png",
            "weight_scale.png",
            "update_rule.png",
            "normalization.png",
            "parallel_coordinates.png",
            "importance.png");
    assertEquals(expected.stream().map(dir::resolve).toList(), files.charts());
    for (Path png : files.charts()) {
      assertValidPng(png);
      BufferedImage image = ImageIO.read(png.toFile());
      assertEquals(Figure.WIDTH, image.getWidth(), png.toString());
      assertTrue(
          image.getHeight() >= 200 && image.getHeight() <= 2000,
          png + " height " + image.getHeight());
      assertTrue(Files.size(png) > 5_000, png + " is almost empty");
    }
    Document page = parse(files.index());
    List<String> sources = new ArrayList<>();
    NodeList images = page.getElementsByTagName("img");
    for (int i = 0; i < images.getLength(); i++) {
      sources.add(((Element) images.item(i)).getAttribute("src"));
    }
    assertEquals(expected, sources);
    assertEquals("mixed-grid", byId(page, "heading").getTextContent());

    List<Importance> importances =
        Importance.of(
            rows, List.of("update_rule", "learning_rate", "weight_scale", "normalization"));
    Element table = byId(page, "importance");
    NodeList trs =
        ((Element) table.getElementsByTagName("tbody").item(0)).getElementsByTagName("tr");
    assertEquals(importances.size(), trs.getLength());
    for (int i = 0; i < trs.getLength(); i++) {
      NodeList tds = ((Element) trs.item(i)).getElementsByTagName("td");
      assertEquals(importances.get(i).axis(), tds.item(0).getTextContent());
      assertEquals(
          String.format(java.util.Locale.ROOT, "%.3f", importances.get(i).fraction()),
          tds.item(1).getTextContent());
      assertEquals(
          importances.get(i).binned()
              ? importances.get(i).groups() + " bins"
              : Integer.toString(importances.get(i).groups()),
          tds.item(2).getTextContent());
    }

    String html = Files.readString(files.index(), StandardCharsets.UTF_8);
    long seed = rows.get(39).seed();
    assertTrue(seed > (1L << 53), "the fixture's seeds exceed a double's integers");
    assertTrue(html.contains("<td class=\"num\" data-int=\"\">" + seed + "</td>"), "seed " + seed);
    assertTrue(html.contains("BigInt(v)"), "seeds sort as BigInt");
  }

  @Test
  void sweepFileNamesAreSafeAndDistinct() {
    java.util.Set<String> used =
        new java.util.HashSet<>(java.util.Set.of("learning_curves.png", "filters.png"));
    assertEquals("weight_scale.png", ReportRenderer.sweepFileName("weight_scale", used));
    assertEquals("filters_2.png", ReportRenderer.sweepFileName("filters", used));
    // Only letters, digits, _ and - survive: no path separators, no dots.
    assertEquals("____x.png", ReportRenderer.sweepFileName("/../x", used));
  }

  private static void assertValidPng(Path png) throws IOException {
    byte[] bytes = Files.readAllBytes(png);
    byte[] head = new byte[PNG_MAGIC.length];
    System.arraycopy(bytes, 0, head, 0, head.length);
    assertArrayEquals(PNG_MAGIC, head, png + " is not a PNG");
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
    assertTrue(image.getWidth() > 0 && image.getHeight() > 0, png.toString());
  }

  /**
   * Parses the page as XML: it is written as polyglot markup, so a strict parser must accept it.
   */
  private static Document parse(Path html) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", false);
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    factory.setExpandEntityReferences(false);
    return factory.newDocumentBuilder().parse(html.toFile());
  }

  private static String lastCell(Element row) {
    NodeList cells = row.getElementsByTagName("td");
    return cells.item(cells.getLength() - 1).getTextContent();
  }

  private static Element byId(Document page, String id) {
    NodeList all = page.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    throw new AssertionError("no element with id " + id);
  }
}
