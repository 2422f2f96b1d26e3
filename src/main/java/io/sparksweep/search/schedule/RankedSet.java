package io.sparksweep.search.schedule;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A multiset of (metric, trial) pairs ordered by {@link BaseScheduler#compare} with O(log n)
 * insertion and rank queries: a treap whose nodes count their subtree (an order-statistic tree),
 * stored in parallel arrays so that 100,000 entries cost a few megabytes. The treap's priorities
 * come from a fixed seed: its shape, never its answers, depends on them.
 */
final class RankedSet {
  private double[] metric = new double[16];
  private int[] trial = new int[16];
  private int[] left = new int[16];
  private int[] right = new int[16];
  private int[] count = new int[16];
  private int[] priority = new int[16];
  private int size;
  private int root = -1;
  private final SplittableRandom priorities = new SplittableRandom(0x5eedL);

  int size() {
    return size;
  }

  /** Adds (m, t); the pair must not be present yet. */
  void insert(double m, int t) {
    if (size == metric.length) {
      int n = size * 2;
      metric = Arrays.copyOf(metric, n);
      trial = Arrays.copyOf(trial, n);
      left = Arrays.copyOf(left, n);
      right = Arrays.copyOf(right, n);
      count = Arrays.copyOf(count, n);
      priority = Arrays.copyOf(priority, n);
    }
    int node = size++;
    metric[node] = m;
    trial[node] = t;
    left[node] = -1;
    right[node] = -1;
    count[node] = 1;
    priority[node] = priorities.nextInt();
    root = insert(root, node);
  }

  private int insert(int at, int node) {
    if (at < 0) {
      return node;
    }
    count[at]++;
    if (BaseScheduler.compare(metric[node], trial[node], metric[at], trial[at]) < 0) {
      left[at] = insert(left[at], node);
      if (priority[left[at]] > priority[at]) {
        at = rotateRight(at);
      }
    } else {
      right[at] = insert(right[at], node);
      if (priority[right[at]] > priority[at]) {
        at = rotateLeft(at);
      }
    }
    return at;
  }

  private int rotateRight(int at) {
    int l = left[at];
    left[at] = right[l];
    right[l] = at;
    count[l] = count[at];
    count[at] = 1 + sizeOf(left[at]) + sizeOf(right[at]);
    return l;
  }

  private int rotateLeft(int at) {
    int r = right[at];
    right[at] = left[r];
    left[r] = at;
    count[r] = count[at];
    count[at] = 1 + sizeOf(left[at]) + sizeOf(right[at]);
    return r;
  }

  private int sizeOf(int node) {
    return node < 0 ? 0 : count[node];
  }

  /** How many entries rank strictly before (m, t). */
  int rankOf(double m, int t) {
    int rank = 0;
    int at = root;
    while (at >= 0) {
      int c = BaseScheduler.compare(m, t, metric[at], trial[at]);
      if (c <= 0) {
        at = left[at];
      } else {
        rank += sizeOf(left[at]) + 1;
        at = right[at];
      }
    }
    return rank;
  }
}
