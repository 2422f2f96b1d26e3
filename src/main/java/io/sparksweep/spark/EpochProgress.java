package io.sparksweep.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.CollectionAccumulator;
import scala.Tuple4;
import scala.collection.immutable.Seq;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Epoch-level progress of running trials, seen from the driver. A task adds one entry to {@link
 * #accumulator()} at each epoch it finishes ({@code <key>/r<repeat> <epoch>/<epochs>}); executors
 * send running tasks' accumulator values with their heartbeats ({@code
 * spark.executor.heartbeatInterval}, 10 s by default), and this listener keeps each running task's
 * latest entry until the task ends. So the driver learns how far a long trial has got without
 * waiting for it to finish, with no extra connection.
 */
public final class EpochProgress extends SparkListener implements AutoCloseable {
  /** The accumulator's name, as the Spark UI shows it. */
  public static final String NAME = "sparksweep.epochs";

  private final SparkContext context;
  private final CollectionAccumulator<String> accumulator;
  private final Map<Long, String> latest = new ConcurrentHashMap<>();

  private EpochProgress(SparkContext context) {
    this.context = context;
    this.accumulator = context.collectionAccumulator(NAME);
  }

  /**
   * Creates the accumulator and registers the listener with {@code context}.
   *
   * @param context the session's context
   * @return the registered listener; {@link #close()} removes it
   */
  public static EpochProgress register(SparkContext context) {
    Objects.requireNonNull(context, "context");
    EpochProgress p = new EpochProgress(context);
    context.addSparkListener(p);
    return p;
  }

  /** What tasks add to: one {@code <key>/r<repeat> <epoch>/<epochs>} entry per finished epoch. */
  public CollectionAccumulator<String> accumulator() {
    return accumulator;
  }

  /**
   * The entry of a finished epoch.
   *
   * @param key the trial's key
   * @param repeat its repeat
   * @param epoch the epoch just finished, 1-based
   * @param epochs the trial's epochs
   * @return {@code key/r<repeat> epoch/epochs}
   */
  public static String entry(String key, int repeat, int epoch, int epochs) {
    return key + "/r" + repeat + " " + epoch + "/" + epochs;
  }

  /** The latest entry of each running task that reported one, sorted. */
  public List<String> running() {
    List<String> out = new ArrayList<>(latest.values());
    out.sort(null);
    return out;
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, Seq<AccumulableInfo>> task :
        CollectionConverters.asJava(update.accumUpdates())) {
      long taskId = (Long) task._1();
      for (AccumulableInfo info : CollectionConverters.asJava(task._4())) {
        if (info.id() != accumulator.id() || info.update().isEmpty()) {
          continue;
        }
        if (info.update().get() instanceof List<?> entries && !entries.isEmpty()) {
          latest.put(taskId, String.valueOf(entries.get(entries.size() - 1)));
        }
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    latest.remove(end.taskInfo().taskId());
  }

  /** Removes the listener from the context. */
  @Override
  public void close() {
    context.removeSparkListener(this);
  }
}
