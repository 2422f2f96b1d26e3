package io.sparksweep.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParallelCoordinatesTest {
  @Test
  void linesAreColouredFromWorstToBest() {
    List<TrialRow> rows = new RunReport("r", "", Rows.mixedRun()).rows();
    List<String> axes = List.of("update_rule", "learning_rate", "weight_scale", "normalization");
    BufferedImage image =
        ParallelCoordinates.render("t", rows, axes, Set.of("learning_rate", "weight_scale"));
    assertEquals(ParallelCoordinates.WIDTH, image.getWidth());
    assertEquals(ParallelCoordinates.HEIGHT, image.getHeight());
    // The best trial's thick opaque line is viridis(1), yellow, across the whole width (the colour
    // bar holds one row of it, 19 pixels).
    assertTrue(count(image, ParallelCoordinates.viridis(1)) > 1000, "yellow line");
  }

  @Test
  void viridisRunsFromPurpleToYellow() {
    assertEquals(new Color(0x440154), ParallelCoordinates.viridis(0));
    assertEquals(new Color(0xfde725), ParallelCoordinates.viridis(1));
    assertEquals(new Color(0x21918c), ParallelCoordinates.viridis(0.5));
    assertEquals(ParallelCoordinates.viridis(0), ParallelCoordinates.viridis(-3));
  }

  @Test
  void needsAVariedAxisAndTwoOkTrials() {
    List<TrialRow> rows = new RunReport("r", "", Rows.mixedRun()).rows();
    assertFalse(ParallelCoordinates.drawable(rows, List.of()));
    assertFalse(ParallelCoordinates.drawable(rows.subList(0, 1), List.of("weight_scale")));
    assertTrue(ParallelCoordinates.drawable(rows, List.of("weight_scale")));
  }

  private static int count(BufferedImage image, Color colour) {
    int n = 0;
    int rgb = colour.getRGB() & 0xFFFFFF;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if ((image.getRGB(x, y) & 0xFFFFFF) == rgb) {
          n++;
        }
      }
    }
    return n;
  }
}
