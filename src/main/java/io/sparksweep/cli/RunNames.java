package io.sparksweep.cli;

import io.sparksweep.search.GridSpec;
import io.sparksweep.spark.RunManifest;
import java.nio.file.Path;
import java.util.Map;

/**
 * A run's grid name, for headers and listings. The tables hold trials, not runs, so the name comes
 * from the run's manifest: its {@code grid_name} (the grid file's {@code name:}, recorded by {@code
 * search}), else the grid file's name without {@code .yaml}; empty when the run folder is not there
 * (a warehouse copied without its runs folder).
 */
final class RunNames {
  private RunNames() {}

  /**
   * The grid name of {@code runId}.
   *
   * @param runsDir the runs folder
   * @param runId the run
   * @return the name, or empty when unknown
   */
  static String gridName(Path runsDir, String runId) {
    if (runId == null || !RunManifest.exists(runsDir, runId)) {
      return "";
    }
    Map<String, String> provenance;
    try {
      provenance = RunManifest.read(runsDir, runId).provenance();
    } catch (IllegalArgumentException e) { // a damaged manifest: the name is only decoration
      return "";
    }
    return fromProvenance(provenance);
  }

  /**
   * Records the {@code name:} of a grid file as {@code grid_name} and its {@code seed:} as {@code
   * grid_seed} in a new run's provenance; leaves the name out when the file has none, and both when
   * it cannot be parsed (the search reports that itself).
   *
   * @param provenance the run's provenance, to add to
   * @param gridFile the grid file
   */
  static void putGridName(Map<String, String> provenance, Path gridFile) {
    GridSpec grid;
    try {
      grid = GridSpec.parse(gridFile);
    } catch (RuntimeException e) {
      return;
    }
    if (grid.name() != null && !grid.name().isBlank()) {
      provenance.put("grid_name", grid.name().strip());
    }
    provenance.put("grid_seed", Long.toString(grid.seed()));
  }

  /**
   * The run seed recorded in a manifest's provenance ({@code grid_seed}), or null.
   *
   * @param runsDir the runs folder
   * @param runId the run
   */
  static Long runSeed(Path runsDir, String runId) {
    if (!RunManifest.exists(runsDir, runId)) {
      return null;
    }
    try {
      String seed = RunManifest.read(runsDir, runId).provenance().get("grid_seed");
      return seed == null ? null : Long.valueOf(seed);
    } catch (IllegalArgumentException e) { // NumberFormatException included
      return null;
    }
  }

  /**
   * The data folder a run read ({@code data} in its provenance), or null.
   *
   * @param runsDir the runs folder
   * @param runId the run
   */
  static String dataPath(Path runsDir, String runId) {
    if (!RunManifest.exists(runsDir, runId)) {
      return null;
    }
    try {
      return RunManifest.read(runsDir, runId).provenance().get("data");
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The name in a manifest's provenance: {@code grid_name}, else the grid file's stem. */
  static String fromProvenance(Map<String, String> provenance) {
    String name = provenance.get("grid_name");
    if (name != null && !name.isBlank()) {
      return name.strip();
    }
    String grid = provenance.get("grid");
    if (grid == null || grid.isBlank()) {
      return "";
    }
    Path file = Path.of(grid).getFileName();
    String stem = file == null ? grid : file.toString();
    return stem.replaceFirst("\\.(ya?ml)$", "");
  }
}
