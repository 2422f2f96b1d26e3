package io.sparksweep.spark;

import io.delta.kernel.DataWriteContext;
import io.delta.kernel.Operation;
import io.delta.kernel.Scan;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Table;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.ArrayValue;
import io.delta.kernel.data.ColumnVector;
import io.delta.kernel.data.ColumnarBatch;
import io.delta.kernel.data.FilteredColumnarBatch;
import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.engine.FileReadResult;
import io.delta.kernel.exceptions.ConcurrentTransactionException;
import io.delta.kernel.exceptions.TableNotFoundException;
import io.delta.kernel.expressions.Column;
import io.delta.kernel.expressions.Literal;
import io.delta.kernel.expressions.Predicate;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.internal.InternalScanFileUtils;
import io.delta.kernel.internal.actions.AddFile;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.data.ScanStateRow;
import io.delta.kernel.types.ArrayType;
import io.delta.kernel.types.DataType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import io.delta.kernel.utils.CloseableIterator;
import io.delta.kernel.utils.DataFileStatus;
import io.delta.kernel.utils.FileStatus;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;

/**
 * Appends to (and reads back) the results tables from the driver itself, through Delta Kernel
 * ({@code delta-kernel-defaults}, which Delta Lake brings): the Parquet file is written and the
 * commit made in the calling thread, with no Spark job. A search's commits therefore never wait for
 * a task slot — every slot may be busy with a trial for hours, or a trial may hang — and a commit
 * costs a file write and a log entry, not a job.
 *
 * <p>Exactly-once: each append carries the transaction id ({@code appId} = the run id, {@code
 * version} = the batch number). Delta records the pair in the table's log; Kernel refuses a
 * transaction whose version is not above the recorded one ({@link ConcurrentTransactionException}),
 * before any file is written, and {@link #append} reports that as "already committed". Appends are
 * blind (they read nothing of the table), so concurrent searches' appends are retried by Kernel on
 * top of each other and never conflict. Spark's Delta reads the result like any other commit.
 *
 * <p>{@link #read} is the other direction, for a resume's read-back: one partition's rows through
 * Kernel's scan and Parquet reader, also without a Spark job, so a fresh driver does not pay Spark
 * SQL's and Delta's first-query start (planner, code generation, Delta's snapshot jobs: about 10 s
 * on two cores) before it can decide what is left to run.
 */
final class KernelCommits {
  private static final Logger LOG = LogManager.getLogger(KernelCommits.class);
  private static final String ENGINE_INFO = "sparksweep";
  private static final int MAX_RETRIES = 200;

  private final Engine engine;

  /**
   * @param hadoopConf the session's Hadoop configuration (file systems, HDFS client settings)
   */
  KernelCommits(Configuration hadoopConf) {
    // A copy: our file: log store (cross-JVM exclusive commits) without changing the session's.
    this.engine =
        DefaultEngine.create(ExclusiveLocalLogStore.configure(new Configuration(hadoopConf)));
  }

  /**
   * The highest transaction version recorded for {@code appId} in the table at {@code location}, or
   * -1 when none is (or the table does not exist yet).
   */
  long lastVersion(String location, String appId) {
    return underLogLock(location, false, () -> lastVersionUnlocked(location, appId));
  }

  private long lastVersionUnlocked(String location, String appId) {
    try {
      Snapshot s = Table.forPath(engine, location).getLatestSnapshot(engine);
      return s.getLatestTransactionVersion(engine, appId).orElse(-1L);
    } catch (TableNotFoundException e) {
      return -1;
    }
  }

  /**
   * The rows of the partition {@code partitionColumn = partitionValue} of the Delta table at {@code
   * location} (its latest snapshot), as Spark rows of {@code schema}: columns matched by name, so
   * the table's own column order does not matter; rows deleted by a deletion vector are left out.
   *
   * @return the rows, in file order; empty when the table does not exist yet
   * @throws IllegalStateException if the table lacks a column of {@code schema} or has a type this
   *     reader does not convert
   */
  List<Row> read(
      String location,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue) {
    return underLogLock(
        location, false, () -> readUnlocked(location, schema, partitionColumn, partitionValue));
  }

  private List<Row> readUnlocked(
      String location,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue) {
    Snapshot snapshot;
    try {
      snapshot = Table.forPath(engine, location).getLatestSnapshot(engine);
    } catch (TableNotFoundException e) {
      return List.of();
    }
    List<Row> out = new ArrayList<>();
    for (PartitionFile f :
        partitionFiles(location, snapshot, schema, partitionColumn, partitionValue)) {
      out.addAll(f.rows());
    }
    return out;
  }

  /** One data file of a partition: its scan row (the {@code add} action) and its live rows. */
  private record PartitionFile(io.delta.kernel.data.Row scanRow, List<Row> rows) {}

  /**
   * The files of one partition of {@code snapshot}, each with its rows (as {@link #read} reads).
   */
  private List<PartitionFile> partitionFiles(
      String location,
      Snapshot snapshot,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue) {
    Scan scan =
        snapshot
            .getScanBuilder()
            .withFilter(
                new Predicate("=", new Column(partitionColumn), Literal.ofString(partitionValue)))
            .build();
    io.delta.kernel.data.Row state = scan.getScanState(engine);
    StructType physical = ScanStateRow.getPhysicalDataReadSchema(state);
    List<PartitionFile> out = new ArrayList<>();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            io.delta.kernel.data.Row file = fileRows.next();
            if (!partitionValue.equals(
                InternalScanFileUtils.getPartitionValues(file).get(partitionColumn))) {
              continue; // Kernel prunes by partition; the check costs nothing and keeps us exact
            }
            FileStatus status = InternalScanFileUtils.getAddFileStatus(file);
            CloseableIterator<ColumnarBatch> data =
                engine
                    .getParquetHandler()
                    .readParquetFiles(single(status), physical, Optional.empty())
                    .map(FileReadResult::getData);
            List<Row> rows = new ArrayList<>();
            try (CloseableIterator<FilteredColumnarBatch> logical =
                Scan.transformPhysicalData(engine, state, file, data)) {
              while (logical.hasNext()) {
                addRows(location, logical.next(), schema, partitionColumn, partitionValue, rows);
              }
            }
            out.add(new PartitionFile(file, rows));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + location, e);
    }
    return out;
  }

  /**
   * Changes rows of the partition {@code partitionColumn = partitionValue} of the Delta table at
   * {@code location} in one commit, without a Spark job: {@code change} sees every live row of the
   * partition (a Spark row of {@code schema}) and returns it unchanged (the same instance), a
   * replacement, or null to delete it. Only the files holding a changed or deleted row are
   * rewritten: each is removed and, unless all its rows went, replaced by one new file of its
   * remaining rows, all in one transaction, so readers see the old rows or the new ones and never a
   * mix. Nothing is committed when no row changes (so the same change made twice commits once). The
   * partition must not be written by another driver at the same time (a run's lease ensures that);
   * appends to other partitions may interleave and are rebased over.
   *
   * @param beforeCommit run after the new files are written, before the commit (a chaos point)
   * @return the number of rows changed or deleted
   */
  int rewrite(
      String location,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue,
      java.util.function.UnaryOperator<Row> change,
      Runnable beforeCommit) {
    int[] changed = new int[1];
    TransactionCommitResult result =
        underLogLock(
            location,
            false,
            () -> {
              Table table = Table.forPath(engine, location);
              Snapshot snapshot;
              try {
                snapshot = table.getLatestSnapshot(engine);
              } catch (TableNotFoundException e) {
                return null;
              }
              Transaction txn =
                  table
                      .createTransactionBuilder(engine, ENGINE_INFO, Operation.MANUAL_UPDATE)
                      .withMaxRetries(MAX_RETRIES)
                      .build(engine);
              if (txn.getReadTableVersion() != snapshot.getVersion()) { // a commit came between
                snapshot = table.getSnapshotAsOfVersion(engine, txn.getReadTableVersion());
              }
              List<io.delta.kernel.data.Row> actions = new ArrayList<>();
              long now = System.currentTimeMillis();
              for (PartitionFile f :
                  partitionFiles(location, snapshot, schema, partitionColumn, partitionValue)) {
                List<Row> kept = new ArrayList<>(f.rows().size());
                int n = 0;
                for (Row r : f.rows()) {
                  Row c = change.apply(r);
                  if (c != r) {
                    n++;
                  }
                  if (c != null) {
                    kept.add(c);
                  }
                }
                if (n == 0) {
                  continue;
                }
                changed[0] += n;
                io.delta.kernel.data.Row add =
                    f.scanRow().getStruct(InternalScanFileUtils.ADD_FILE_ORDINAL);
                actions.add(
                    SingleAction.createRemoveFileSingleAction(
                        new AddFile(add).toRemoveFileRow(true, Optional.of(now))));
                if (!kept.isEmpty()) {
                  writeRows(location, txn, schema, partitionColumn, partitionValue, kept)
                      .forEachRemaining(actions::add);
                }
              }
              if (actions.isEmpty()) {
                return null;
              }
              beforeCommit.run();
              try {
                return txn.commit(engine, CloseableIterable.inMemoryIterable(toIterator(actions)));
              } catch (io.delta.kernel.exceptions.ConcurrentWriteException e) {
                throw new IllegalStateException(
                    location
                        + ": another writer changed the partition "
                        + partitionColumn
                        + "="
                        + partitionValue
                        + " while it was being rewritten; run the command again",
                    e);
              }
            });
    if (result != null) {
      postCommit(location, result);
    }
    return changed[0];
  }

  /**
   * The data files of a Delta table's latest snapshot, when a plain Parquet reader gives exactly
   * the table's rows from them.
   *
   * @param columns the table's columns, in its order
   * @param paths the data files (absolute URIs), each in its Hive-style partition folder
   */
  record PlainFiles(List<String> columns, List<String> paths) {}

  /**
   * The files of the latest snapshot of the table at {@code location}, through Kernel (no Spark
   * job), or empty when a plain Parquet read of them would not give the table's rows: a file with a
   * deletion vector, column mapping, or a file outside the {@code column=value} folders of its
   * partition values (Spark's partition discovery reads the values from the folders).
   *
   * @throws TableNotFoundException (unchecked) if there is no table there
   */
  Optional<PlainFiles> plainFiles(String location) {
    return underLogLock(location, false, () -> plainFilesUnlocked(location));
  }

  private Optional<PlainFiles> plainFilesUnlocked(String location) {
    Snapshot snapshot = Table.forPath(engine, location).getLatestSnapshot(engine);
    String mapping = snapshot.getTableProperties().getOrDefault("delta.columnMapping.mode", "none");
    if (!"none".equalsIgnoreCase(mapping)) {
      return Optional.empty();
    }
    List<String> partitions = snapshot.getPartitionColumnNames();
    List<String> paths = new ArrayList<>();
    Scan scan = snapshot.getScanBuilder().build();
    try (CloseableIterator<FilteredColumnarBatch> files = scan.getScanFiles(engine)) {
      while (files.hasNext()) {
        try (CloseableIterator<io.delta.kernel.data.Row> fileRows = files.next().getRows()) {
          while (fileRows.hasNext()) {
            io.delta.kernel.data.Row file = fileRows.next();
            if (InternalScanFileUtils.getDeletionVectorDescriptorFromRow(file) != null) {
              return Optional.empty();
            }
            String path = InternalScanFileUtils.getAddFileStatus(file).getPath();
            if (!inPartitionFolders(
                path, partitions, InternalScanFileUtils.getPartitionValues(file))) {
              return Optional.empty();
            }
            paths.add(path);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list the files of " + location, e);
    }
    return Optional.of(new PlainFiles(snapshot.getSchema().fieldNames(), paths));
  }

  /**
   * Whether the file sits in the folders {@code p1=v1/p2=v2/…} of its partition values, with values
   * that need no escaping (letters, digits, '.', '_', '-'), so that partition discovery reads them
   * back unchanged.
   */
  static boolean inPartitionFolders(
      String path, List<String> partitions, Map<String, String> values) {
    String[] parts = path.split("/", -1);
    int folder = parts.length - 1 - partitions.size();
    if (folder < 0) {
      return false;
    }
    for (int i = 0; i < partitions.size(); i++) {
      String value = values.get(partitions.get(i));
      if (value == null || !value.matches("[A-Za-z0-9._-]+")) {
        return false;
      }
      if (!parts[folder + i].equals(partitions.get(i) + "=" + value)) {
        return false;
      }
    }
    return true;
  }

  /** Appends the selected rows of {@code batch} whose partition value matches to {@code out}. */
  private static void addRows(
      String location,
      FilteredColumnarBatch batch,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue,
      List<Row> out) {
    ColumnarBatch data = batch.getData();
    StructType have = data.getSchema();
    org.apache.spark.sql.types.StructField[] fields = schema.fields();
    ColumnVector[] columns = new ColumnVector[fields.length];
    for (int c = 0; c < fields.length; c++) {
      int ordinal = have.indexOf(fields[c].name());
      if (ordinal < 0) {
        throw new IllegalStateException(
            location + " has no column " + fields[c].name() + " (its columns: " + have + ")");
      }
      columns[c] = data.getColumnVector(ordinal);
    }
    ColumnVector partition = data.getColumnVector(have.indexOf(partitionColumn));
    Optional<ColumnVector> selection = batch.getSelectionVector();
    for (int r = 0; r < data.getSize(); r++) {
      if (selection.isPresent()
          && (selection.get().isNullAt(r) || !selection.get().getBoolean(r))) {
        continue; // deleted
      }
      if (partition.isNullAt(r) || !partitionValue.equals(partition.getString(r))) {
        continue; // Kernel prunes by partition; the check costs nothing and keeps us exact
      }
      Object[] values = new Object[fields.length];
      for (int c = 0; c < fields.length; c++) {
        values[c] = value(location, fields[c], columns[c], r);
      }
      out.add(new GenericRowWithSchema(values, schema));
    }
  }

  /**
   * One cell as Spark's {@code Row} holds it (TIMESTAMP as an {@link Instant}, arrays as int[]).
   */
  private static Object value(
      String location, org.apache.spark.sql.types.StructField field, ColumnVector v, int row) {
    if (v.isNullAt(row)) {
      return null;
    }
    org.apache.spark.sql.types.DataType type = field.dataType();
    if (type instanceof org.apache.spark.sql.types.StringType) {
      return v.getString(row);
    } else if (type instanceof org.apache.spark.sql.types.IntegerType) {
      return v.getInt(row);
    } else if (type instanceof org.apache.spark.sql.types.LongType) {
      return v.getLong(row);
    } else if (type instanceof org.apache.spark.sql.types.DoubleType) {
      return v.getDouble(row);
    } else if (type instanceof org.apache.spark.sql.types.BooleanType) {
      return v.getBoolean(row);
    } else if (type instanceof org.apache.spark.sql.types.TimestampType) {
      long micros = v.getLong(row); // microseconds since the epoch, UTC
      return Instant.ofEpochSecond(
          Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
    } else if (type instanceof org.apache.spark.sql.types.ArrayType a
        && a.elementType() instanceof org.apache.spark.sql.types.IntegerType) {
      ArrayValue array = v.getArray(row);
      ColumnVector elements = array.getElements();
      int[] ints = new int[array.getSize()];
      for (int i = 0; i < ints.length; i++) {
        ints[i] = elements.getInt(i);
      }
      return ints;
    }
    throw new IllegalStateException(
        location + ": column " + field.name() + " has type " + type + ", which is not read back");
  }

  /**
   * Appends {@code rows} (Spark rows of the table's schema) to the partition {@code run_id =
   * partitionValue} of the Delta table at {@code location}, as transaction ({@code appId}, {@code
   * version}).
   *
   * @return true if committed now, false if that transaction was already committed (nothing done)
   */
  boolean append(
      String location,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue,
      String appId,
      long version,
      List<Row> rows) {
    TransactionCommitResult result =
        underLogLock(
            location,
            false,
            () -> commit(location, schema, partitionColumn, partitionValue, appId, version, rows));
    if (result == null) {
      return false;
    }
    postCommit(location, result);
    return true;
  }

  /** Runs a commit's post-commit hooks (log compaction, checkpoints); their failure is harmless. */
  private void postCommit(String location, TransactionCommitResult result) {
    for (PostCommitHook hook : result.getPostCommitHooks()) {
      if (hook.getType().name().startsWith("CHECKSUM")) {
        continue; // .crc files are optional; Spark's Delta writes its own on later commits
      }
      try {
        if (hook.getType().name().startsWith("CHECKPOINT")) {
          underLogLock(location, true, () -> checkpoint(location, hook));
        } else {
          hook.threadSafeInvoke(engine); // the log stays fast to read
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn(
            "{}: post-commit {} failed (harmless): {}", location, hook.getType(), e.toString());
      }
    }
  }

  /** The append's transaction, committed; null if it was committed before. */
  private TransactionCommitResult commit(
      String location,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue,
      String appId,
      long version,
      List<Row> rows) {
    Transaction txn;
    try {
      txn =
          Table.forPath(engine, location)
              .createTransactionBuilder(engine, ENGINE_INFO, Operation.WRITE)
              .withTransactionId(engine, appId, version)
              .withMaxRetries(MAX_RETRIES)
              .build(engine);
    } catch (ConcurrentTransactionException e) {
      LOG.debug("{}: transaction {}/{} already committed", location, appId, version);
      return null;
    }
    CloseableIterator<io.delta.kernel.data.Row> actions =
        writeRows(location, txn, schema, partitionColumn, partitionValue, rows);
    try {
      return txn.commit(engine, CloseableIterable.inMemoryIterable(actions));
    } catch (ConcurrentTransactionException e) {
      // Another driver of this run committed the version between build and commit: this file
      // is unreferenced (Delta's VACUUM removes such files) and the rows are there once.
      LOG.debug("{}: transaction {}/{} committed concurrently", location, appId, version);
      return null;
    }
  }

  /**
   * Writes {@code rows} as one Parquet file of the partition (in the folder Kernel chooses) and
   * returns the {@code add} actions that commit it in {@code txn}.
   */
  private CloseableIterator<io.delta.kernel.data.Row> writeRows(
      String location,
      Transaction txn,
      org.apache.spark.sql.types.StructType schema,
      String partitionColumn,
      String partitionValue,
      List<Row> rows) {
    io.delta.kernel.data.Row state = txn.getTransactionState(engine);
    Map<String, Literal> partition = Map.of(partitionColumn, Literal.ofString(partitionValue));
    // The table's own schema (Delta stores Spark-written columns as nullable), our columns by name.
    StructType tableSchema = txn.getSchema(engine);
    int[] ordinals = new int[tableSchema.length()];
    for (int i = 0; i < ordinals.length; i++) {
      String name = tableSchema.at(i).getName();
      if (!java.util.Arrays.asList(schema.fieldNames()).contains(name)) {
        throw new IllegalStateException(
            location + " has a column " + name + " that sparksweep's rows do not have");
      }
      ordinals[i] = schema.fieldIndex(name);
    }
    ColumnarBatch batch = new RowsBatch(tableSchema, rows, ordinals);
    try (CloseableIterator<FilteredColumnarBatch> physical =
        Transaction.transformLogicalData(
            engine, state, single(new FilteredColumnarBatch(batch, Optional.empty())), partition)) {
      DataWriteContext context = Transaction.getWriteContext(engine, state, partition);
      CloseableIterator<DataFileStatus> files =
          engine
              .getParquetHandler()
              .writeParquetFiles(
                  context.getTargetDirectory(), physical, context.getStatisticsColumns());
      // Materialised here: the file is written before the commit starts.
      List<io.delta.kernel.data.Row> actions = new ArrayList<>();
      Transaction.generateAppendActions(engine, state, files, context)
          .forEachRemaining(actions::add);
      return toIterator(actions);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write to " + location, e);
    }
  }

  private static <T> CloseableIterator<T> toIterator(List<T> values) {
    java.util.Iterator<T> it = values.iterator();
    return new CloseableIterator<>() {
      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public T next() {
        return it.next();
      }

      @Override
      public void close() {}
    };
  }

  /** Runs a checkpoint hook; a checkpoint another JVM wrote first is not an error. */
  private Void checkpoint(String location, PostCommitHook hook) {
    try {
      hook.threadSafeInvoke(engine);
    } catch (io.delta.kernel.exceptions.CheckpointAlreadyExistsException e) {
      LOG.debug("{}: checkpoint already written", location);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return null;
  }

  /**
   * Runs {@code body} under the OS lock of a {@code file:} table's log: shared for what reads the
   * log or commits to it, exclusive for writing a checkpoint. Kernel writes a checkpoint's Parquet
   * file in place, so a reader in another JVM that listed the log meanwhile read a half-written
   * checkpoint ("not a Parquet file", seen in ConcurrentCommitsTest); commits themselves are
   * exclusive through {@link ExclusiveLocalLogStore}. One holder per JVM at a time (a JVM cannot
   * hold two overlapping locks of one file). HDFS tables, and tables without a log yet, run without
   * lock.
   */
  private static <T> T underLogLock(
      String location, boolean exclusive, java.util.function.Supplier<T> body) {
    java.net.URI uri = java.net.URI.create(location);
    java.nio.file.Path log =
        "file".equals(uri.getScheme()) ? java.nio.file.Path.of(uri).resolve("_delta_log") : null;
    if (log == null || !java.nio.file.Files.isDirectory(log)) {
      return body.get();
    }
    synchronized (KernelCommits.class) {
      try (java.nio.channels.FileChannel channel =
              java.nio.channels.FileChannel.open(
                  log.resolve(".sparksweep-log.lock"),
                  java.nio.file.StandardOpenOption.CREATE,
                  java.nio.file.StandardOpenOption.READ, // a shared lock needs a readable channel
                  java.nio.file.StandardOpenOption.WRITE);
          java.nio.channels.FileLock lock = channel.lock(0, Long.MAX_VALUE, !exclusive)) {
        return body.get();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot lock the log of " + location, e);
      }
    }
  }

  private static <T> CloseableIterator<T> single(T value) {
    return toIterator(List.of(value));
  }

  /** Spark rows seen column by column, as Kernel reads a batch. */
  static final class RowsBatch implements ColumnarBatch {
    private final StructType schema;
    private final List<Row> rows;
    private final int[] ordinals;

    /** Column i of the batch is column {@code ordinals[i]} of the rows. */
    RowsBatch(StructType schema, List<Row> rows, int[] ordinals) {
      this.schema = schema;
      this.rows = rows;
      this.ordinals = ordinals.clone();
    }

    @Override
    public StructType getSchema() {
      return schema;
    }

    @Override
    public ColumnVector getColumnVector(int ordinal) {
      return new RowsColumn(schema.at(ordinal).getDataType(), rows, ordinals[ordinal]);
    }

    @Override
    public int getSize() {
      return rows.size();
    }

    @Override
    public ColumnarBatch withDeletedColumnAt(int ordinal) { // Kernel drops the partition column
      StructType fewer = new StructType();
      int[] kept = new int[ordinals.length - 1];
      for (int i = 0, j = 0; i < ordinals.length; i++) {
        if (i != ordinal) {
          fewer = fewer.add(schema.at(i));
          kept[j++] = ordinals[i];
        }
      }
      return new RowsBatch(fewer, rows, kept);
    }
  }

  /** Column {@code ordinal} of a list of Spark rows. */
  private static final class RowsColumn implements ColumnVector {
    private final DataType type;
    private final List<Row> rows;
    private final int ordinal;

    RowsColumn(DataType type, List<Row> rows, int ordinal) {
      this.type = type;
      this.rows = rows;
      this.ordinal = ordinal;
    }

    @Override
    public DataType getDataType() {
      return type;
    }

    @Override
    public int getSize() {
      return rows.size();
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int row) {
      return rows.get(row).isNullAt(ordinal);
    }

    @Override
    public int getInt(int row) {
      return ((Number) rows.get(row).get(ordinal)).intValue();
    }

    @Override
    public long getLong(int row) {
      Object v = rows.get(row).get(ordinal);
      if (v instanceof Instant t) { // TIMESTAMP: microseconds since the epoch, UTC
        return micros(t);
      }
      if (v instanceof java.sql.Timestamp t) {
        return micros(t.toInstant());
      }
      return ((Number) v).longValue();
    }

    private static long micros(Instant t) {
      return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    }

    @Override
    public double getDouble(int row) {
      return ((Number) rows.get(row).get(ordinal)).doubleValue();
    }

    @Override
    public String getString(int row) {
      return rows.get(row).getString(ordinal);
    }

    @Override
    public ArrayValue getArray(int row) {
      Object v = rows.get(row).get(ordinal);
      int[] values;
      if (v instanceof int[] a) {
        values = a;
      } else {
        List<Object> list = rows.get(row).getList(ordinal);
        values = list.stream().mapToInt(x -> ((Number) x).intValue()).toArray();
      }
      DataType element = ((ArrayType) type).getElementType();
      return new ArrayValue() {
        @Override
        public int getSize() {
          return values.length;
        }

        @Override
        public ColumnVector getElements() {
          return new IntsColumn(element, values);
        }
      };
    }
  }

  /** The elements of one {@code ARRAY<INT>} value. */
  private static final class IntsColumn implements ColumnVector {
    private final DataType type;
    private final int[] values;

    IntsColumn(DataType type, int[] values) {
      this.type = type;
      this.values = values;
    }

    @Override
    public DataType getDataType() {
      return type;
    }

    @Override
    public int getSize() {
      return values.length;
    }

    @Override
    public void close() {}

    @Override
    public boolean isNullAt(int row) {
      return false;
    }

    @Override
    public int getInt(int row) {
      return values[row];
    }
  }
}
