package io.sparksweep.spark;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialSpec;
import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * The body of one Spark task: runs a {@link TrialFunction} on the executor's copy of the broadcast
 * data, turns what it throws into a FAILED result (a bad trial never fails the job), and stamps the
 * result with the executor it ran on. Two things are rethrown instead: anything thrown while Spark
 * itself is killing the task, and a JVM-fatal error ({@link #isFatal}: out of memory and the other
 * virtual-machine errors but a stack overflow, linkage errors), so that the task fails and Spark
 * replaces the damaged executor rather than running more trials in it.
 */
final class TrialTask implements Function<TrialSpec, TrialResult> {
  private static final long serialVersionUID = 1L;
  private static final int STACK_FRAMES_IN_ERROR = 3;

  private final Broadcast<Cifar10Data> data;
  private final TrialFunction function;
  private final ModelSink models;

  /**
   * @param models where the executor writes the trial's model (the driver then receives metrics
   *     only); null to return the model bytes with the result
   */
  TrialTask(Broadcast<Cifar10Data> data, TrialFunction function, ModelSink models) {
    this.data = data;
    this.function = function;
    this.models = models;
  }

  @Override
  public TrialResult call(TrialSpec spec) throws Exception {
    String executor = executorName();
    long start = System.currentTimeMillis();
    TrialResult result;
    try {
      result = function.run(spec, data.value());
      if (result == null) {
        result = failed(spec, "trial function returned null", executor, start);
      }
    } catch (Exception | Error e) {
      TaskContext context = TaskContext.get();
      if (context != null && context.isInterrupted()) {
        throw e; // Spark is killing this task (job cancelled); let it.
      }
      if (isFatal(e)) {
        throw (Error) e; // the JVM is damaged: fail the task so Spark replaces the executor
      }
      result = failed(spec, describe(e), executor, start);
    }
    result = result.withExecutor(executor);
    return models == null ? result : models.store(result);
  }

  /**
   * Whether {@code t} leaves the JVM unfit to run more trials, so that the task must fail (Spark
   * then retries it and, in a cluster, the executor dies and is replaced) instead of becoming a
   * FAILED row: every {@link VirtualMachineError} ({@link OutOfMemoryError}, {@link InternalError},
   * {@link UnknownError}) except {@link StackOverflowError}, plus {@link LinkageError}s such as a
   * missing class. A stack overflow unwinds its own frames and leaves the heap and other threads
   * intact, and in a trial it means a configuration too deep for the thread's stack: that trial's
   * FAILED row is the useful outcome, the next trial runs normally. Other errors ({@link
   * AssertionError}, …) and every exception stay FAILED rows.
   */
  static boolean isFatal(Throwable t) {
    if (t instanceof StackOverflowError) {
      return false;
    }
    return t instanceof VirtualMachineError || t instanceof LinkageError;
  }

  /** {@code <executorId>@<host>}, e.g. {@code 1@10.0.0.7}; {@code driver@…} in local mode. */
  static String executorName() {
    SparkEnv env = SparkEnv.get();
    if (env == null) {
      return "unknown";
    }
    return env.executorId() + "@" + env.blockManager().blockManagerId().host();
  }

  /** A FAILED result for a trial that did not produce one, timed from {@code startMillis}. */
  static TrialResult failed(TrialSpec spec, String error, String executor, long startMillis) {
    long end = System.currentTimeMillis();
    return TrialResult.failed(
        spec, error, executor, startMillis, end, (end - startMillis) / 1000.0);
  }

  /** Class, message and the top stack frames of a throwable, on one line. */
  static String describe(Throwable t) {
    StringBuilder s = new StringBuilder(t.getClass().getName());
    if (t.getMessage() != null) {
      s.append(": ").append(t.getMessage());
    }
    StackTraceElement[] trace = t.getStackTrace();
    for (int i = 0; i < Math.min(STACK_FRAMES_IN_ERROR, trace.length); i++) {
      s.append(i == 0 ? " (at " : " < ").append(trace[i]);
    }
    if (trace.length > 0) {
      s.append(')');
    }
    if (t.getCause() != null && t.getCause() != t) {
      s.append("; caused by ")
          .append(t.getCause().getClass().getName())
          .append(": ")
          .append(t.getCause().getMessage());
    }
    return s.toString();
  }
}
