package io.sparksweep.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparksweep.data.Cifar10Data;
import io.sparksweep.model.ModelKind;
import io.sparksweep.search.TrialResult;
import io.sparksweep.search.TrialStatus;
import org.apache.spark.broadcast.Broadcast;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag$;

/** What a task does with what its trial throws: a FAILED row, or a failed task for fatal errors. */
class TrialTaskTest {
  private static final Cifar10Data DATA = TestTrials.randomData(10, 2, 1);

  /** A broadcast without a SparkContext: the task only reads its value. */
  private static Broadcast<Cifar10Data> local() {
    return new Broadcast<Cifar10Data>(0L, ClassTag$.MODULE$.apply(Cifar10Data.class)) {
      private static final long serialVersionUID = 1L;

      @Override
      public Cifar10Data getValue() {
        return DATA;
      }

      @Override
      public void doUnpersist(boolean blocking) {}

      @Override
      public void doDestroy(boolean blocking) {}
    };
  }

  private static TrialTask throwing(Throwable t) {
    return new TrialTask(
        local(),
        (spec, data) -> {
          if (t instanceof RuntimeException r) {
            throw r;
          }
          throw (Error) t;
        },
        null);
  }

  @Test
  void anOrdinaryExceptionIsAFailedRow() throws Exception {
    TrialResult r =
        throwing(new IllegalStateException("bad config"))
            .call(TestTrials.spec(0, ModelKind.FC, 1e-3, 0));
    assertEquals(TrialStatus.FAILED, r.status());
    assertTrue(r.error().contains("IllegalStateException: bad config"), r.error());
  }

  @Test
  void anAssertionErrorAndAStackOverflowAreFailedRows() throws Exception {
    TrialResult a =
        throwing(new AssertionError("shape")).call(TestTrials.spec(1, ModelKind.FC, 1e-3, 0));
    assertEquals(TrialStatus.FAILED, a.status());
    TrialResult s =
        throwing(new StackOverflowError()).call(TestTrials.spec(2, ModelKind.CNN, 1e-3, 0));
    assertEquals(TrialStatus.FAILED, s.status());
    assertTrue(s.error().startsWith("java.lang.StackOverflowError"), s.error());
  }

  @Test
  void anOutOfMemoryErrorFailsTheTask() {
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");
    Error thrown =
        assertThrows(
            OutOfMemoryError.class,
            () -> throwing(oom).call(TestTrials.spec(3, ModelKind.FC, 1e-3, 0)));
    assertSame(oom, thrown);
  }

  @Test
  void otherVirtualMachineAndLinkageErrorsFailTheTask() {
    assertThrows(
        InternalError.class,
        () -> throwing(new InternalError("jit")).call(TestTrials.spec(4, ModelKind.FC, 1e-3, 0)));
    assertThrows(
        NoClassDefFoundError.class,
        () ->
            throwing(new NoClassDefFoundError("x/Y"))
                .call(TestTrials.spec(5, ModelKind.FC, 1e-3, 0)));
  }

  @Test
  void theFatalClassificationIsPinned() {
    assertTrue(TrialTask.isFatal(new OutOfMemoryError()));
    assertTrue(TrialTask.isFatal(new InternalError()));
    assertTrue(TrialTask.isFatal(new NoClassDefFoundError()));
    assertTrue(!TrialTask.isFatal(new StackOverflowError()));
    assertTrue(!TrialTask.isFatal(new AssertionError()));
    assertTrue(!TrialTask.isFatal(new RuntimeException()));
  }
}
