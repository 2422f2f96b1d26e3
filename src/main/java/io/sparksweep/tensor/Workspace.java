package io.sparksweep.tensor;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * Where a layer's forward/backward pass gets its output and scratch buffers: the destinations of
 * the destination-passing kernels.
 *
 * <p>{@link #allocating()} hands out a fresh zero-filled buffer on every request: the stateless
 * notebooks' API, the reference and the parity oracle of the reusing form. A {@link #reusing()}
 * workspace, owned by one model, keeps every buffer it handed out in a numbered slot: after {@link
 * #reset()} (at the start of a training step) the k-th request gets the k-th slot back when its
 * dtype and shape (or length) match, so a steady-state step, which makes the same requests in the
 * same order, allocates no arrays at all. A reused buffer holds whatever the previous step left in
 * it: {@link #tensor}, {@link #floats}, {@link #doubles} and {@link #ints} promise nothing about
 * their contents (callers overwrite every element), {@link #zeros} and {@link #zeroDoubles} clear
 * them. Everything a step returns from a reusing workspace (activations, caches, gradients) is
 * valid until the next {@link #reset()}.
 *
 * <p>Not thread-safe: one workspace per model, models are not shared between threads.
 */
public final class Workspace {
  private static final Workspace ALLOCATING = new Workspace(false);

  private final boolean reuse;
  private final ArrayList<Object> slots = new ArrayList<>();
  private int cursor;

  private Workspace(boolean reuse) {
    this.reuse = reuse;
  }

  /** The stateless workspace: every request is a new zero-filled buffer (shared, immutable). */
  public static Workspace allocating() {
    return ALLOCATING;
  }

  /** A new workspace that reuses its buffers from one {@link #reset()} to the next. */
  public static Workspace reusing() {
    return new Workspace(true);
  }

  /** Whether this workspace reuses buffers (false for {@link #allocating()}). */
  public boolean reuses() {
    return reuse;
  }

  /** Starts a new pass: the next request gets the first slot again. No-op when allocating. */
  public void reset() {
    cursor = 0;
  }

  /** Bytes held in the slots (0 when allocating): the footprint of one step's buffers. */
  public long bytesHeld() {
    long bytes = 0;
    for (Object o : slots) {
      if (o instanceof Tensor t) {
        bytes += (long) t.size() * (t.dtype() == DType.FLOAT32 ? 4 : 8);
      } else if (o instanceof float[] f) {
        bytes += 4L * f.length;
      } else if (o instanceof double[] d) {
        bytes += 8L * d.length;
      } else if (o instanceof int[] i) {
        bytes += 4L * i.length;
      }
    }
    return bytes;
  }

  /** A tensor of {@code dtype} and {@code shape} whose contents are unspecified. */
  public Tensor tensor(DType dtype, int... shape) {
    if (!reuse) {
      return Tensor.zeros(dtype, shape);
    }
    Object o = cursor < slots.size() ? slots.get(cursor) : null;
    Tensor t;
    if (o instanceof Tensor s && s.dtype() == dtype && s.hasShape(shape)) {
      t = s;
    } else {
      t = Tensor.zeros(dtype, shape);
      put(t);
    }
    cursor++;
    return t;
  }

  /** A tensor of {@code dtype} and {@code shape} filled with zeros. */
  public Tensor zeros(DType dtype, int... shape) {
    Tensor t = tensor(dtype, shape);
    if (reuse) {
      t.fillInPlace(0);
    }
    return t;
  }

  /** A tensor of {@code like}'s dtype and shape, contents unspecified. */
  public Tensor like(Tensor like) {
    return tensor(like.dtype(), like.shapeView());
  }

  /** A {@code float[n]} whose contents are unspecified. */
  public float[] floats(int n) {
    if (!reuse) {
      return new float[n];
    }
    Object o = cursor < slots.size() ? slots.get(cursor) : null;
    float[] a;
    if (o instanceof float[] s && s.length == n) {
      a = s;
    } else {
      a = new float[n];
      put(a);
    }
    cursor++;
    return a;
  }

  /** A {@code double[n]} whose contents are unspecified. */
  public double[] doubles(int n) {
    if (!reuse) {
      return new double[n];
    }
    Object o = cursor < slots.size() ? slots.get(cursor) : null;
    double[] a;
    if (o instanceof double[] s && s.length == n) {
      a = s;
    } else {
      a = new double[n];
      put(a);
    }
    cursor++;
    return a;
  }

  /** A {@code double[n]} of zeros. */
  public double[] zeroDoubles(int n) {
    double[] a = doubles(n);
    if (reuse) {
      Arrays.fill(a, 0.0);
    }
    return a;
  }

  /** An {@code int[n]} whose contents are unspecified. */
  public int[] ints(int n) {
    if (!reuse) {
      return new int[n];
    }
    Object o = cursor < slots.size() ? slots.get(cursor) : null;
    int[] a;
    if (o instanceof int[] s && s.length == n) {
      a = s;
    } else {
      a = new int[n];
      put(a);
    }
    cursor++;
    return a;
  }

  private void put(Object buffer) {
    if (cursor < slots.size()) {
      slots.set(cursor, buffer);
    } else {
      slots.add(buffer);
    }
  }
}
