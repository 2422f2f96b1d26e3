package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.SegmentTask;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialRunner;
import io.sparksweep.search.TrialStatus;
import io.sparksweep.train.Checkpoint;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The body of one adaptive segment's Spark task: runs the {@link SegmentFunction} on the executor's
 * copy of the broadcast data with the run's checkpoints ({@link RunCheckpoints}), turns what it
 * throws into a FAILED segment (as {@link TrialTask} does for trials: a bad configuration is
 * recorded, never retried), and, after a trial's last segment, evaluates the trial from its final
 * checkpoint ({@link TrialRunner#completed}) and writes its model to the run store ({@link
 * ModelSink}). Rethrown instead: anything thrown while Spark kills the task, and JVM-fatal errors
 * ({@link TrialTask#isFatal}), so that Spark retries the task elsewhere; a retried segment starts
 * again from the same checkpoint and writes the same one.
 */
final class SegmentTaskFunction implements Function<SegmentTask, SegmentOutput> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<Cifar10Data> data;
  private final SegmentFunction function;
  private final RunCheckpoints checkpoints;
  private final ModelSink models;

  SegmentTaskFunction(
      Broadcast<Cifar10Data> data,
      SegmentFunction function,
      RunCheckpoints checkpoints,
      ModelSink models) {
    this.data = data;
    this.function = function;
    this.checkpoints = checkpoints;
    this.models = models;
  }

  @Override
  public SegmentOutput call(SegmentTask task) throws Exception {
    String executor = TrialTask.executorName();
    long t0 = System.nanoTime();
    SegmentResult result;
    try {
      result = function.run(task, data.value(), checkpoints, executor);
      if (result == null) {
        result =
            SegmentResult.failed(task.segment(), "segment function returned null", 0, executor);
      }
    } catch (Exception | Error e) {
      TaskContext context = TaskContext.get();
      if (context != null && context.isInterrupted()) {
        throw e; // Spark is killing this task (job cancelled); let it.
      }
      if (TrialTask.isFatal(e)) {
        throw (Error) e; // the JVM is damaged: fail the task so Spark retries it elsewhere
      }
      result =
          SegmentResult.failed(
              task.segment(), TrialTask.describe(e), (System.nanoTime() - t0) / 1e9, executor);
    }
    TrialResult completed = null;
    if (task.last() && result.status() == TrialStatus.OK) {
      Checkpoint last = checkpoints.load(task.trial(), task.segment().toEpoch());
      completed =
          TrialRunner.completed(task.trial(), data.value(), last, executor, 0, result.seconds());
      completed = models.store(completed);
    }
    return new SegmentOutput(result, completed);
  }
}
