package io.sparksweep.report;

/**
 * A chart the page shows.
 *
 * @param fileName the PNG's name in the report folder, such as {@code weight_scale.png}
 * @param title a heading for it
 * @param caption what it shows, one sentence
 */
record ChartFile(String fileName, String title, String caption) {}
