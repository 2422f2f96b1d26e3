package io.sparksweep.search.schedule;

import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * A driver without Spark for tests: {@code slots} workers, segment durations proportional to their
 * epochs with seeded noise, completions in time order (ties by submission order). The metric of a
 * segment is a pure function of (trial, epochs).
 */
final class SimulatedDriver {
  /** The metric of {@code trial} after {@code epochs} epochs. */
  interface Curve {
    double at(int trial, int epochs);
  }

  private record Running(double end, long seq, Segment segment) {}

  private final int slots;
  private final Curve curve;
  private final SplittableRandom rng;
  private final PriorityQueue<Running> queue =
      new PriorityQueue<>(
          (a, b) -> a.end != b.end ? Double.compare(a.end, b.end) : Long.compare(a.seq, b.seq));
  private double now;
  private long seq;
  private double busyTime;
  private long reports;

  SimulatedDriver(int slots, long seed, Curve curve) {
    this.slots = slots;
    this.curve = curve;
    this.rng = new SplittableRandom(seed);
  }

  /** Fills the free slots, then completes one segment; false when the scheduler is done. */
  boolean step(Scheduler s) {
    while (queue.size() < slots) {
      var next = s.next();
      if (next.isEmpty()) {
        break;
      }
      Segment seg = next.get();
      double duration = seg.epochs() * (0.5 + rng.nextDouble());
      busyTime += duration;
      queue.add(new Running(now + duration, seq++, seg));
    }
    if (queue.isEmpty()) {
      return false;
    }
    Running r = queue.poll();
    now = r.end;
    s.report(r.segment.trial(), r.segment.rung(), curve.at(r.segment.trial(), r.segment.toEpoch()));
    reports++;
    return true;
  }

  /** Runs {@code s} to the end. */
  void run(Scheduler s) {
    while (step(s)) {
      // keep going
    }
  }

  /** The segments running now. */
  java.util.Set<Segment> running() {
    java.util.Set<Segment> out = new java.util.HashSet<>();
    for (Running r : queue) {
      out.add(r.segment);
    }
    return out;
  }

  long reports() {
    return reports;
  }

  double now() {
    return now;
  }

  double busyTime() {
    return busyTime;
  }
}
