package io.sparksweep.spark;

import io.sparksweep.model.ModelFiles;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import io.sparksweep.search.TrialStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Records one run's trials on the driver as they finish, committing them to the Delta tables in
 * batches, so that the tables hold every trial exactly once and a crash loses at most the trials
 * not yet committed (they run again on resume).
 *
 * <ul>
 *   <li>{@link #commit}: a finished trial joins the pending batch (a trial already recorded is
 *       ignored); the batch is committed ({@link ResultTables#commitBatch}, idempotent: {@code
 *       txnAppId} = run, {@code txnVersion} = batch number) once it holds {@code batchTrials}
 *       trials or its oldest trial has waited {@code batchSeconds} ({@link #flushIfDue}), and
 *       always before the run ends ({@link #flush}). Every commit first checks the run's {@link
 *       Lease} (a driver that was taken over stops before writing).
 *   <li>Batch numbers: the first batch of a driver is above both the highest number the tables'
 *       logs hold for the run ({@link ResultTables#lastBatch}) and {@code generation × 2^32} of its
 *       lease, so a resumed run never reuses a number, and a stalled earlier driver's late batch (a
 *       lower generation) is a no-op once the new driver has committed.
 *   <li>Top-k models ({@link RunModels}): the executor wrote an OK trial's model to the run store
 *       before its result reached the driver; a trial that ranks among the best k so far ({@link
 *       SearchOutcome#BEST_FIRST}) and has its file enters the top-k, and the trial it pushes out
 *       loses its file once the batch holding the newcomer is committed. So every trial among the
 *       best k of the committed trials has its model file, whenever the driver dies.
 *   <li>{@link #finish}: once every trial is recorded, the best k get their {@code model_path} (one
 *       Delta UPDATE of the run's partition), then the run's partitions are compacted ({@code
 *       OPTIMIZE}) unless one driver wrote them in at most {@value #COMPACT_ABOVE_COMMITS} commits
 *       (they hold at most that many files then).
 * </ul>
 *
 * <p>Built from the trials already in the tables (a resumed run), it rebuilds the top-k from the
 * recorded OK trials that have a model file, and deletes model files no top-k trial owns (left by a
 * crash between writing a model and committing its row, or before removing a pushed-out one).
 */
final class RunWriter {
  private static final Logger LOG = LogManager.getLogger(RunWriter.class);

  /**
   * A run that one driver wrote in at most this many commits is not compacted: each commit adds one
   * file per table to the run's partition, so it already has at most this many, and {@code
   * OPTIMIZE} would cost a few seconds of Spark jobs at the end of every small search (issue 11's
   * bound is max(10, trials ÷ 1,000) files per table).
   */
  static final int COMPACT_ABOVE_COMMITS = 10;

  /** Default trials per commit. */
  static final int DEFAULT_BATCH_TRIALS = 100;

  /** Default longest wait of a finished trial before its batch is committed, seconds. */
  static final double DEFAULT_BATCH_SECONDS = 10;

  private final SparkSession spark;
  private final String warehouseUri;
  private final String runId;
  private final RunModels models;
  private final Lease lease;
  private final int topK;
  private final int batchTrials;
  private final long batchNanos;
  private final Map<String, TrialResult> results = new LinkedHashMap<>();
  private final Map<String, String> rowModelPaths = new HashMap<>();
  private final List<TrialResult> top = new ArrayList<>();
  private final List<Row> pendingTrials = new ArrayList<>();
  private final List<Row> pendingEpochs = new ArrayList<>();
  private final List<TrialResult> pushedOut = new ArrayList<>();
  private final List<Row> pendingRungs = new ArrayList<>();
  private long pendingSinceNanos;
  private long nextBatch;
  private int pendingItems;
  private boolean open;
  private Journal journal;
  private final boolean startedEmpty;
  private int commits;

  /**
   * What an adaptive search keeps beside the tables: its journal ({@link AdaptiveRecorder}). Its
   * pending entries count as pending rows, and each batch's entries are written ({@link #write})
   * just before the batch's rows are committed, under the same batch number.
   */
  interface Journal {
    /** Whether entries wait for the next batch. */
    boolean pending();

    /**
     * Writes the waiting entries as batch {@code batch}, atomically.
     *
     * @throws RuntimeException if they cannot be written (nothing is committed then)
     */
    void write(long batch);
  }

  /**
   * @param spark the session
   * @param warehouseUri the warehouse as a URI
   * @param runId the run
   * @param models the run's model files
   * @param lease the run's lease, checked before every commit
   * @param topK how many models to keep
   * @param recorded the run's trials already in the tables
   * @param batchTrials commit once this many trials are pending (&ge; 1)
   * @param batchSeconds commit once the oldest pending trial has waited this long (&ge; 0)
   */
  RunWriter(
      SparkSession spark,
      String warehouseUri,
      String runId,
      RunModels models,
      Lease lease,
      int topK,
      Collection<RunReader.StoredTrial> recorded,
      int batchTrials,
      double batchSeconds) {
    if (batchTrials < 1 || !(batchSeconds >= 0)) {
      throw new IllegalArgumentException(
          "commit batch is "
              + batchTrials
              + " trials / "
              + batchSeconds
              + " s, expected >= 1 trial and >= 0 s");
    }
    this.spark = spark;
    this.warehouseUri = warehouseUri;
    this.runId = runId;
    this.models = models;
    this.lease = lease;
    this.topK = topK;
    this.batchTrials = batchTrials;
    this.batchNanos = (long) (batchSeconds * 1e9);
    ResultTables.ensureTables(spark, warehouseUri);
    long lastBatch = ResultTables.lastBatch(spark, warehouseUri, runId);
    this.startedEmpty = lastBatch < 0 && recorded.isEmpty();
    this.nextBatch = Math.max(lastBatch + 1, lease.generation() << 32);
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

  /** Sets the journal written with every batch (an adaptive search). */
  void journal(Journal j) {
    this.journal = j;
  }

  /**
   * Adds {@code rungs} rows (schema {@link ResultTables#RUNGS}) to the pending batch.
   *
   * @param rows the rows; may be empty
   */
  void addRungs(List<Row> rows) {
    pendingRungs.addAll(rows);
  }

  /**
   * Something joined the pending batch outside {@link #commit} (a journal entry, a rung row): it
   * counts towards {@code batchTrials} and starts the batch's wait; the batch is committed if it is
   * full or due.
   */
  void note() {
    open();
    pendingItems++;
    if (pendingItems >= batchTrials) {
      flush();
    } else {
      flushIfDue();
    }
  }

  /** Starts the pending batch's wait, unless it has started. */
  private void open() {
    if (!open) {
      open = true;
      pendingSinceNanos = System.nanoTime();
    }
  }

  private boolean hasPending() {
    return pendingItems > 0
        || !pendingTrials.isEmpty()
        || !pendingRungs.isEmpty()
        || (journal != null && journal.pending());
  }

  /** The number the next batch gets. */
  long nextBatch() {
    return nextBatch;
  }

  /** A trial's identity within the run. */
  static String id(TrialSpec spec) {
    return ResultTables.trialId(spec.key(), spec.repeat());
  }

  /**
   * Records a finished trial: it enters the top-k if it ranks there and its model file exists (or,
   * given as bytes, could be written); its rows join the pending batch, which is committed if it is
   * full or due.
   *
   * @param result the trial's result; with model bytes only if no executor wrote its model
   * @return false if the trial was already recorded (nothing written)
   * @throws RuntimeException if a batch cannot be committed, or the lease was lost
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
    open();
    pendingTrials.add(TrialRows.trialRow(runId, lean, null));
    pendingEpochs.addAll(TrialRows.epochRows(runId, lean));
    results.put(id, lean);
    if (entersTop) {
      top.add(lean);
      top.sort(SearchOutcome.BEST_FIRST);
      if (top.size() > topK) {
        pushedOut.add(top.remove(top.size() - 1));
      }
      publishThreshold();
    }
    if (pendingTrials.size() + pendingItems >= batchTrials) {
      flush();
    } else {
      flushIfDue();
    }
    return true;
  }

  /** Commits the pending batch if its oldest trial has waited long enough. */
  void flushIfDue() {
    if (open && System.nanoTime() - pendingSinceNanos >= batchNanos) {
      flush();
    }
  }

  /**
   * Commits the pending batch, if any (after checking the lease), then deletes the models of trials
   * pushed out of the top-k by it.
   */
  void flush() {
    if (!hasPending()) {
      open = false;
      return;
    }
    lease.check();
    long batch = nextBatch;
    if (journal != null) {
      journal.write(batch); // before the rows: a resume re-commits a batch whose rows it lacks
    }
    ResultTables.commitBatch(
        spark,
        warehouseUri,
        runId,
        batch,
        List.copyOf(pendingTrials),
        List.copyOf(pendingEpochs),
        List.copyOf(pendingRungs));
    nextBatch = batch + 1;
    commits++;
    LOG.debug("run {}: committed batch {} ({} trials)", runId, batch, pendingTrials.size());
    pendingTrials.clear();
    pendingEpochs.clear();
    pendingRungs.clear();
    pendingItems = 0;
    open = false;
    for (TrialResult r : pushedOut) {
      if (!top.contains(r)) {
        models.delete(r);
      }
    }
    pushedOut.clear();
  }

  /** Trials recorded but not yet committed. */
  int pending() {
    return pendingTrials.size();
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
   * Whether {@link #finish} compacts the run's partitions: unless this driver wrote the whole run
   * in at most {@value #COMPACT_ABOVE_COMMITS} commits (a resumed run is always compacted: its
   * earlier drivers' commits are not counted here).
   */
  boolean needsCompaction() {
    return !startedEmpty || commits > COMPACT_ABOVE_COMMITS;
  }

  /**
   * Commits what is pending, fills in {@code model_path} for the top-k trials (and clears it on any
   * other row of the run) in one Delta commit ({@link ResultTables#setModelPaths}), compacts the
   * run's partitions ({@link #needsCompaction}), then deletes model files no top-k trial owns.
   * Idempotent: nothing is updated when the rows already hold the right paths.
   *
   * @return the saved model (URI) of each top-k trial, by {@link #id}
   */
  Map<String, String> finish() {
    flush();
    Map<String, String> paths = new LinkedHashMap<>();
    for (TrialResult r : top) {
      paths.put(id(r.spec()), models.uri(r));
    }
    if (!paths.equals(rowModelPaths)) {
      lease.check();
      ChaosPoints.reach("commit model-paths " + runId);
      ResultTables.setModelPaths(
          spark,
          warehouseUri,
          runId,
          paths,
          () -> ChaosPoints.reach("file-written model paths of " + runId + ", not committed"));
      rowModelPaths.clear();
      rowModelPaths.putAll(paths);
    }
    if (needsCompaction()) {
      lease.check();
      try {
        ResultTables.optimize(spark, warehouseUri, runId);
      } catch (RuntimeException e) { // compaction is an optimisation; the rows are committed
        LOG.warn("run {}: OPTIMIZE failed: {}", runId, e.toString());
      }
    }
    models.deleteUnowned(top);
    models.publishThreshold(null); // the run is complete: models/ holds only the top-k models
    return new LinkedHashMap<>(paths);
  }
}
