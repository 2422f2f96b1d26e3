package io.sparksweep.model;

import io.sparksweep.tensor.Tensor;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors in a stable order: a model's learnable parameters ({@code W1, b1, gamma1, beta1,
 * …}), their gradients, or its non-learnable state (batchnorm running statistics). The notebooks'
 * {@code model.params} dict, typed.
 */
public final class Params {
  private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

  /** Adds or replaces {@code name}; returns this. */
  public Params put(String name, Tensor value) {
    tensors.put(name, value);
    return this;
  }

  /** The tensor named {@code name}; throws naming the known names if absent. */
  public Tensor get(String name) {
    Tensor t = tensors.get(name);
    if (t == null) {
      throw new IllegalArgumentException("no parameter '" + name + "'; have " + tensors.keySet());
    }
    return t;
  }

  /** Whether {@code name} is present. */
  public boolean contains(String name) {
    return tensors.containsKey(name);
  }

  /** Names in insertion order. */
  public Set<String> names() {
    return Collections.unmodifiableSet(tensors.keySet());
  }

  /** A read-only view of the entries, in order. */
  public Map<String, Tensor> asMap() {
    return Collections.unmodifiableMap(tensors);
  }

  /** Number of entries. */
  public int size() {
    return tensors.size();
  }

  /** Total number of scalar elements. */
  public long numElements() {
    long n = 0;
    for (Tensor t : tensors.values()) {
      n += t.size();
    }
    return n;
  }

  /** A deep copy (the Solver's {@code best_params}). */
  public Params deepCopy() {
    Params p = new Params();
    tensors.forEach((k, v) -> p.put(k, v.copy()));
    return p;
  }

  /** Copies every tensor of {@code source} into this one's tensors of the same name, in place. */
  public void copyFrom(Params source) {
    for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
      e.getValue().copyFrom(source.get(e.getKey()));
    }
  }
}
