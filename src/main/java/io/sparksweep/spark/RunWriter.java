package io.sparksweep.spark;

import io.sparksweep.model.ModelFiles;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
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
 *   <li>Top-k models ({@link RunModels}): the executor wrote an OK trial's model to the run store
 *       before its result reached the driver; a trial that ranks among the best k so far ({@link
 *       SearchOutcome#BEST_FIRST}) and has its file enters the top-k when its row is written, and
 *       the trial it pushes out loses its file after. So every trial among the best k of the
 *       recorded trials has its model file, whenever the driver dies.
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
  private final RunModels models;
  private final int topK;
  private final Map<String, TrialResult> results = new LinkedHashMap<>();
  private final Map<String, String> rowModelPaths = new HashMap<>();
  private final List<TrialResult> top = new ArrayList<>();

  /**
   * @param hadoopConf the session's Hadoop settings
   * @param warehouseUri the warehouse as a URI
   * @param runId the run
   * @param models the run's model files
   * @param topK how many models to keep
   * @param recorded the run's trials already in the tables
   */
  RunWriter(
      Configuration hadoopConf,
      String warehouseUri,
      String runId,
      RunModels models,
      int topK,
      Collection<RunReader.StoredTrial> recorded) {
    this.hadoopConf = hadoopConf;
    this.warehouseUri = warehouseUri;
    this.runId = runId;
    this.models = models;
    this.topK = topK;
    Set<String> withModel = models.present();
    for (RunReader.StoredTrial s : recorded) {
      String id = id(s.result().spec());
      results.put(id, s.result());
      if (s.modelPath() != null) {
        rowModelPaths.put(id, s.modelPath());
      }
      if (s.result().status() == TrialStatus.OK
          && withModel.contains(RunModels.trial(s.result().spec()))) {
        top.add(s.result());
      }
    }
    top.sort(SearchOutcome.BEST_FIRST);
    while (top.size() > topK) {
      top.remove(top.size() - 1);
    }
    models.deleteUnowned(top);
    publishThreshold();
  }

  private void publishThreshold() {
    models.publishThreshold(top.size() < topK || topK == 0 ? null : top.get(top.size() - 1));
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
              java.nio.file.Path dir;
              try {
                dir = Files.createTempDirectory("sparksweep-warm-up");
              } catch (IOException e) {
                return;
              }
              try {
                ParquetFiles.write(
                    hadoopConf,
                    dir.toUri().toString(),
                    "empty.parquet",
                    ResultTables.TRIALS,
                    List.of());
                try (Stream<java.nio.file.Path> files = Files.list(dir)) {
                  for (java.nio.file.Path f : files.toList()) {
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
   * Records a finished trial: its rows, and it enters the top-k if it ranks there and its model
   * file exists (or, given as bytes, could be written).
   *
   * @param result the trial's result; with model bytes only if no executor wrote its model
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
            && (top.size() < topK
                || SearchOutcome.BEST_FIRST.compare(lean, top.get(top.size() - 1)) < 0);
    if (entersTop) {
      entersTop =
          result.modelNpz() != null
              ? models.write(lean, ModelFiles.withRunId(result.modelNpz(), runId))
              : models.has(lean);
    }
    ResultTables.writeTrial(hadoopConf, warehouseUri, runId, lean, null);
    results.put(id, lean);
    if (entersTop) {
      top.add(lean);
      top.sort(SearchOutcome.BEST_FIRST);
      if (top.size() > topK) {
        models.delete(top.remove(top.size() - 1));
      }
      publishThreshold();
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
   * @return the saved model (URI) of each top-k trial, by {@link #id}
   */
  Map<String, String> finish() {
    Map<String, String> paths = new LinkedHashMap<>();
    Set<String> topIds = new HashSet<>();
    for (TrialResult r : top) {
      String id = id(r.spec());
      String file = models.uri(r);
      topIds.add(id);
      paths.put(id, file);
      if (!file.equals(rowModelPaths.get(id))) {
        ResultTables.writeTrialRow(hadoopConf, warehouseUri, runId, r, file);
        rowModelPaths.put(id, file);
      }
    }
    for (String id : List.copyOf(rowModelPaths.keySet())) {
      if (!topIds.contains(id)) {
        ResultTables.writeTrialRow(hadoopConf, warehouseUri, runId, results.get(id), null);
        rowModelPaths.remove(id);
      }
    }
    models.deleteUnowned(top);
    models.publishThreshold(null); // the run is complete: models/ holds only the top-k models
    return paths;
  }
}
