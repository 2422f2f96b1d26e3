package io.sparksweep.search;

import io.sparksweep.search.schedule.Segment;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * A {@link SegmentExecutor} without training for driver tests: results are a pure function of
 * (trial, epochs); nothing completes until the driver {@link #flush}es, and then one pending
 * segment completes — the oldest, or one picked by a seeded generator (another completion order).
 */
final class ScriptedExecutor implements SegmentExecutor {
  /** The metric of {@code trial} after {@code epochs}. */
  interface Curve {
    double at(int trial, int epochs);
  }

  private record Pending(SegmentTask task, CompletableFuture<SegmentResult> future) {}

  private final Curve curve;
  private final SplittableRandom order;
  private final List<Pending> pending = new ArrayList<>();
  private Predicate<SegmentTask> fails = t -> false;
  final List<SegmentTask> submitted = new ArrayList<>();
  final List<Integer> pendingAtFlush = new ArrayList<>();
  int maxInFlight;

  /**
   * @param curve the metrics
   * @param orderSeed 0 = oldest first, else the seed of a random completion order
   */
  ScriptedExecutor(Curve curve, long orderSeed) {
    this.curve = curve;
    this.order = orderSeed == 0 ? null : new SplittableRandom(orderSeed);
  }

  /** Segments matching {@code p} complete exceptionally. */
  ScriptedExecutor failing(Predicate<SegmentTask> p) {
    this.fails = p;
    return this;
  }

  @Override
  public CompletionStage<SegmentResult> submit(SegmentTask task) {
    CompletableFuture<SegmentResult> f = new CompletableFuture<>();
    pending.add(new Pending(task, f));
    submitted.add(task);
    maxInFlight = Math.max(maxInFlight, pending.size());
    return f;
  }

  @Override
  public void flush() {
    pendingAtFlush.add(pending.size());
    if (pending.isEmpty()) {
      return;
    }
    Pending p = pending.remove(order == null ? 0 : order.nextInt(pending.size()));
    if (fails.test(p.task())) {
      p.future().completeExceptionally(new IllegalStateException("executor lost"));
      return;
    }
    Segment s = p.task().segment();
    double m = curve.at(s.trial(), s.toEpoch());
    boolean ok = !Double.isNaN(m);
    p.future()
        .complete(
            new SegmentResult(
                s,
                ok ? TrialStatus.OK : TrialStatus.DIVERGED,
                m,
                m,
                ok ? s.toEpoch() : s.fromEpoch(),
                List.of(),
                ok ? null : "diverged",
                s.epochs(),
                "scripted",
                0));
  }
}
