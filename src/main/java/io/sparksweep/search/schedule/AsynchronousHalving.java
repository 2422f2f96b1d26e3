package io.sparksweep.search.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * {@code asha} (Li et al., "A System for Massively Parallel Hyperparameter Tuning", MLSys 2020,
 * Algorithm 2): whenever a slot frees, promote the best not-yet-promoted trial of the highest rung
 * k whose rank is within the top {@code ⌊|rung k| / η⌋}; if there is none, start a new
 * configuration at rung 0. No barriers: a rung's decisions use whatever has reported so far, so
 * they depend on the completion order, and every one is logged.
 *
 * <p>The end: with no configuration left and nothing in flight, if no trial has reached the top
 * rung, the best trial of the highest non-empty rung is promoted (so the budget's best always
 * trains fully); then every trial still waiting at a lower rung is stopped.
 *
 * <p>Costs: a rank query and an insertion are O(log n) (an order-statistic treap per rung), so a
 * decision costs O(K log n) for K rungs and n configurations.
 */
final class AsynchronousHalving extends BaseScheduler {
  private final Bracket bracket;
  private final int eta;
  private final int top;
  private final int numConfigurations;
  private final RankedSet[] reported;
  private final List<PriorityQueue<Entry>> waiting = new ArrayList<>();
  private int nextTrial;
  private int completed;
  private boolean settled;

  /** A trial that finished a rung. */
  private record Entry(int trial, double metric) {}

  AsynchronousHalving(SchedulerConfig config, Bracket bracket) {
    super(config, List.of(bracket), bracket.configurations());
    this.bracket = bracket;
    this.eta = config.reductionFactor();
    this.top = bracket.rungs().size() - 1;
    this.numConfigurations = bracket.configurations();
    this.reported = new RankedSet[top];
    for (int k = 0; k < top; k++) {
      reported[k] = new RankedSet();
      waiting.add(new PriorityQueue<>((a, b) -> compare(a.metric, a.trial, b.metric, b.trial)));
    }
  }

  @Override
  Optional<Segment> assign() {
    for (int k = top - 1; k >= 0; k--) {
      Entry best = waiting.get(k).peek();
      if (best != null && reported[k].rankOf(best.metric, best.trial) < reported[k].size() / eta) {
        return Optional.of(promote(k));
      }
    }
    if (nextTrial < numConfigurations) {
      return Optional.of(new Segment(nextTrial++, bracket.index(), 0, 0, epochs(0)));
    }
    if (inFlightCount() > 0 || settled) {
      return Optional.empty();
    }
    if (completed == 0) {
      for (int k = top - 1; k >= 0; k--) {
        if (!waiting.get(k).isEmpty()) {
          return Optional.of(promote(k));
        }
      }
    }
    settled = true;
    for (int k = 0; k < top; k++) {
      PriorityQueue<Entry> q = waiting.get(k);
      while (!q.isEmpty()) {
        Entry e = q.poll();
        decide(
            new Decision(
                e.trial, bracket.index(), k, epochs(k), e.metric, Decision.Outcome.STOPPED));
      }
    }
    return Optional.empty();
  }

  private Segment promote(int k) {
    Entry e = waiting.get(k).poll();
    decide(
        new Decision(e.trial, bracket.index(), k, epochs(k), e.metric, Decision.Outcome.PROMOTED));
    return new Segment(e.trial, bracket.index(), k + 1, epochs(k), epochs(k + 1));
  }

  private int epochs(int rung) {
    return bracket.rungs().get(rung).epochs();
  }

  @Override
  void accept(Segment seg, double metric) {
    int k = seg.rung();
    if (k == top) {
      completed++;
      decide(
          new Decision(
              seg.trial(), bracket.index(), k, epochs(k), metric, Decision.Outcome.COMPLETED));
    } else {
      reported[k].insert(metric, seg.trial());
      waiting.get(k).add(new Entry(seg.trial(), metric));
    }
  }

  /** True once {@link #next()} has returned empty with nothing in flight and nothing left. */
  @Override
  public boolean finished() {
    return settled && inFlightCount() == 0;
  }
}
