package io.sparksweep.search.schedule;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code sha}, {@code hyperband} and {@code fifo}: each bracket runs rung by rung; a rung's
 * decisions wait until all its trials have reported (the barrier), then its best {@code n_{i+1}}
 * (by metric, NaN last, ties to the lower trial) are promoted and the rest stop. Brackets run side
 * by side: a free slot takes the next segment of the bracket with the most planned epochs still to
 * hand out (ties to the lower bracket), so slots stay busy while one bracket waits at a barrier and
 * the brackets reach their long top-rung segments together instead of one after the other (the
 * longest-remaining-work-first rule: in simulation of the 2-bracket η 3 plan on 2 slots it raises
 * the slots' busy share from about 88% to 93%). Top-rung trials complete as they report. No
 * decision depends on the order of completions, so the order of assignment changes no table.
 */
final class SynchronousHalving extends BaseScheduler {
  private final List<State> states = new ArrayList<>();

  /** One bracket's progress. */
  private static final class State {
    final Bracket bracket;
    int rung;
    List<Integer> members = new ArrayList<>();
    final ArrayDeque<Integer> pending = new ArrayDeque<>();
    final Map<Integer, Double> results = new HashMap<>();

    State(Bracket bracket) {
      this.bracket = bracket;
      for (int t = bracket.firstTrial(); t < bracket.firstTrial() + bracket.configurations(); t++) {
        members.add(t);
        pending.add(t);
      }
    }

    boolean done() {
      return rung == bracket.rungs().size();
    }

    /** Epochs not yet handed out: the pending segments of this rung and every later rung. */
    long remainingEpochs() {
      List<Rung> rungs = bracket.rungs();
      long from = rung == 0 ? 0 : rungs.get(rung - 1).epochs();
      long left = (long) pending.size() * (rungs.get(rung).epochs() - from);
      for (int i = rung + 1; i < rungs.size(); i++) {
        left += (long) rungs.get(i).size() * (rungs.get(i).epochs() - rungs.get(i - 1).epochs());
      }
      return left;
    }
  }

  SynchronousHalving(SchedulerConfig config, List<Bracket> brackets) {
    super(config, brackets, totalConfigurations(brackets));
    for (Bracket b : brackets) {
      states.add(new State(b));
    }
  }

  private static int totalConfigurations(List<Bracket> brackets) {
    int n = 0;
    for (Bracket b : brackets) {
      n += b.configurations();
    }
    return n;
  }

  @Override
  Optional<Segment> assign() {
    State st = null;
    for (State c : states) {
      if (!c.done() && !c.pending.isEmpty()) {
        if (st == null || c.remainingEpochs() > st.remainingEpochs()) {
          st = c;
        }
      }
    }
    if (st == null) {
      return Optional.empty();
    }
    int trial = st.pending.poll();
    int from = st.rung == 0 ? 0 : st.bracket.rungs().get(st.rung - 1).epochs();
    int to = st.bracket.rungs().get(st.rung).epochs();
    return Optional.of(new Segment(trial, st.bracket.index(), st.rung, from, to));
  }

  @Override
  void accept(Segment seg, double metric) {
    State st = states.get(seg.bracket());
    Rung rung = st.bracket.rungs().get(seg.rung());
    boolean top = seg.rung() == st.bracket.rungs().size() - 1;
    st.results.put(seg.trial(), metric);
    if (top) {
      decide(
          new Decision(
              seg.trial(),
              seg.bracket(),
              seg.rung(),
              rung.epochs(),
              metric,
              Decision.Outcome.COMPLETED));
    }
    if (st.results.size() < st.members.size()) {
      return;
    }
    if (!top) {
      List<Integer> ranked = new ArrayList<>(st.members);
      ranked.sort((a, b) -> compare(st.results.get(a), a, st.results.get(b), b));
      int keep = Math.min(ranked.size(), st.bracket.rungs().get(seg.rung() + 1).size());
      for (int i = 0; i < ranked.size(); i++) {
        int t = ranked.get(i);
        decide(
            new Decision(
                t,
                seg.bracket(),
                seg.rung(),
                rung.epochs(),
                st.results.get(t),
                i < keep ? Decision.Outcome.PROMOTED : Decision.Outcome.STOPPED));
      }
      List<Integer> next = new ArrayList<>(ranked.subList(0, keep));
      next.sort(Comparator.naturalOrder());
      st.members = next;
      st.pending.addAll(next);
    }
    st.results.clear();
    st.rung++;
  }

  @Override
  public boolean finished() {
    for (State st : states) {
      if (!st.done()) {
        return false;
      }
    }
    return true;
  }

  /** Canonical order: bracket, rung, trial. */
  @Override
  public List<Decision> decisions() {
    List<Decision> out = new ArrayList<>(super.decisions());
    out.sort(
        Comparator.comparingInt(Decision::bracket)
            .thenComparingInt(Decision::rung)
            .thenComparingInt(Decision::trial));
    return List.copyOf(out);
  }
}
