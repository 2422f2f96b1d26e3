package io.sparksweep.layer;

/** Train or test behaviour of batchnorm and dropout (the notebooks' {@code 'mode'} entry). */
public enum Mode {
  /** Batch statistics, running averages updated; dropout active. */
  TRAIN,
  /** Running statistics; dropout is the identity. */
  TEST
}
