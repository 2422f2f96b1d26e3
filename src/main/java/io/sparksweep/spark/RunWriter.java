package io.sparksweep.spark;

import io.sparksweep.model.ModelFiles;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/**
 * Records one run's trials on the driver as they finish, so that the tables are the run's state at
 * every moment and a crash loses at most the trials still running.
 *
 * <ul>
 *   <li>{@link #commit}: a finished trial goes to the tables at once (its epochs, then its {@code
 *       trials} row: {@link ResultTables#writeTrial}); a trial already recorded is ignored, so a
 *       duplicate delivery can never add a second row.
 *   <li>Top-k models: an OK trial that ranks among the best k so far ({@link
 *       SearchOutcome#BEST_FIRST}) has its model written to {@code models/} before its row; the
 *       trial it pushes out loses its file after. So every trial among the best k of the recorded
 *       trials has its model file, whenever the driver dies.
 *   <li>{@link #finish}: once every trial is recorded, the best k get their {@code model_path}
 *       (their {@code trials} file is replaced atomically). Until then {@code model_path} is null:
 *       the top-k is only known at the end.
 * </ul>
 *
 * <p>Built from the trials already in the tables (a resumed run), it rebuilds the top-k from the
 * recorded OK trials that have a model file, and deletes model files no top-k trial owns (left by a
 * crash between writing a model and its row, or before removing a pushed-out one).
 */
final class RunWriter {
  private static final Logger LOG = LogManager.getLogger(RunWriter.class);

  private final Configuration hadoopConf;
  private final String warehouseUri;
  private final String runId;
  private final Path modelsDir;
  private final int topK;
  private final Map<String, TrialResult> results = new LinkedHashMap<>();
  private final Map<String, String> rowModelPaths = new HashMap<>();
  private final List<TrialResult> top = new ArrayList<>();

  /**
   * @param hadoopConf the session's Hadoop settings
   * @param warehouseUri the warehouse as a URI
   * @param runId the run
   * @param runDir the run's folder (models go to {@code models/})
   * @param topK how many models to keep
   * @param recorded the run's trials already in the tables
   */
  RunWriter(
      Configuration hadoopConf,
      String warehouseUri,
      String runId,
      Path runDir,
      int topK,
      Collection<RunReader.StoredTrial> recorded) {
    this.hadoopConf = hadoopConf;
    this.warehouseUri = warehouseUri;
    this.runId = runId;
    this.modelsDir = runDir.resolve("models");
    this.topK = topK;
    for (RunReader.StoredTrial s : recorded) {
      String id = id(s.result().spec());
      results.put(id, s.result());
      if (s.modelPath() != null) {
        rowModelPaths.put(id, s.modelPath());
      }
      if (s.result().status() == TrialStatus.OK && Files.isRegularFile(modelFile(s.result()))) {
        top.add(s.result());
      }
    }
    top.sort(SearchOutcome.BEST_FIRST);
    while (top.size() > topK) {
      top.remove(top.size() - 1);
    }
    deleteUnownedModels();
  }

  /**
   * Loads the Parquet writer's classes in the background (the first file a JVM writes takes a
   * second or more), so that the first trial to finish is recorded at once: writes and deletes an
   * empty file under the run folder.
   */
  void warmUpInBackground() {
    Thread t =
        new Thread(
            () -> {
              Path dir = modelsDir.resolveSibling(".warm-up");
              try {
                ParquetFiles.write(
                    hadoopConf,
                    dir.toUri().toString(),
                    "empty.parquet",
                    ResultTables.TRIALS,
                    List.of());
                try (Stream<Path> files = Files.list(dir)) {
                  for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                  }
                }
                Files.deleteIfExists(dir);
              } catch (IOException | RuntimeException e) {
                LOG.debug("run {}: warm-up write failed: {}", runId, e.toString());
              }
            },
            "sparksweep-writer-warm-up");
    t.setDaemon(true);
    t.start();
  }

  /** A trial's identity within the run. */
  static String id(TrialSpec spec) {
    return ResultTables.trialId(spec.key(), spec.repeat());
  }

  /**
   * Records a finished trial: its model (if it enters the top-k), then its rows.
   *
   * @param result the trial's result, with model bytes if any
   * @return false if the trial was already recorded (nothing written)
   * @throws UncheckedIOException if its rows cannot be written
   */
  boolean commit(TrialResult result) {
    String id = id(result.spec());
    if (results.containsKey(id)) {
      LOG.warn("run {}: trial {} arrived twice; the second result is ignored", runId, id);
      return false;
    }
    TrialResult lean = result.withoutModel();
    boolean entersTop =
        topK > 0
            && result.status() == TrialStatus.OK
            && result.modelNpz() != null
            && (top.size() < topK
                || SearchOutcome.BEST_FIRST.compare(lean, top.get(top.size() - 1)) < 0);
    if (entersTop) {
      try {
        writeModel(modelFile(lean), ModelFiles.withRunId(result.modelNpz(), runId));
      } catch (IOException e) {
        LOG.warn("run {}: cannot save the model of trial {}: {}", runId, id, e.toString());
        entersTop = false;
      }
    }
    ResultTables.writeTrial(hadoopConf, warehouseUri, runId, lean, null);
    results.put(id, lean);
    if (entersTop) {
      top.add(lean);
      top.sort(SearchOutcome.BEST_FIRST);
      if (top.size() > topK) {
        deleteModel(top.remove(top.size() - 1));
      }
    }
    return true;
  }

  /** Whether the trial has a recorded result. */
  boolean isRecorded(TrialSpec spec) {
    return results.containsKey(id(spec));
  }

  /** The recorded result of a trial, or null. */
  TrialResult result(TrialSpec spec) {
    return results.get(id(spec));
  }

  /** The recorded results, in the order they were recorded. */
  Collection<TrialResult> results() {
    return java.util.Collections.unmodifiableCollection(results.values());
  }

  /** Number of recorded trials. */
  int recorded() {
    return results.size();
  }

  /**
   * Fills in {@code model_path} for the top-k trials (and clears it on any other row that has one),
   * then deletes model files no top-k trial owns. Idempotent: rows that already hold the right path
   * are not rewritten.
   *
   * @return the saved model of each top-k trial, by {@link #id}
   */
  Map<String, Path> finish() {
    Map<String, Path> paths = new LinkedHashMap<>();
    Set<String> topIds = new HashSet<>();
    for (TrialResult r : top) {
      String id = id(r.spec());
      Path file = modelFile(r);
      topIds.add(id);
      paths.put(id, file);
      if (!file.toString().equals(rowModelPaths.get(id))) {
        ResultTables.writeTrialRow(hadoopConf, warehouseUri, runId, r, file.toString());
        rowModelPaths.put(id, file.toString());
      }
    }
    for (String id : List.copyOf(rowModelPaths.keySet())) {
      if (!topIds.contains(id)) {
        ResultTables.writeTrialRow(hadoopConf, warehouseUri, runId, results.get(id), null);
        rowModelPaths.remove(id);
      }
    }
    deleteUnownedModels();
    return paths;
  }

  private Path modelFile(TrialResult r) {
    TrialSpec spec = r.spec();
    return modelsDir
        .resolve(spec.key() + (spec.repeat() == 0 ? "" : "-r" + spec.repeat()) + ".npz")
        .toAbsolutePath();
  }

  private static void writeModel(Path file, byte[] bytes) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, bytes);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private void deleteModel(TrialResult r) {
    try {
      Files.deleteIfExists(modelFile(r));
    } catch (IOException e) {
      LOG.warn("run {}: cannot delete {}: {}", runId, modelFile(r), e.toString());
    }
  }

  /** Deletes the {@code .npz} (and temporary) files of {@code models/} that no top-k trial owns. */
  private void deleteUnownedModels() {
    if (!Files.isDirectory(modelsDir)) {
      return;
    }
    Set<Path> owned = new HashSet<>();
    top.forEach(r -> owned.add(modelFile(r)));
    try (Stream<Path> files = Files.list(modelsDir)) {
      for (Path f : files.toList()) {
        String name = f.getFileName().toString();
        boolean ours = name.endsWith(".npz") || (name.startsWith(".") && name.endsWith(".tmp"));
        if (ours && !owned.contains(f.toAbsolutePath())) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException e) {
      LOG.warn("run {}: cannot tidy {}: {}", runId, modelsDir, e.toString());
    }
  }
}
