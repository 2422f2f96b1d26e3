package io.sparksweep.search.schedule;

import java.io.Serializable;

/**
 * One unit of work: train {@code trial} from its checkpoint at {@code fromEpoch} (0 = from scratch)
 * to the end of epoch {@code toEpoch}, then report its metric for {@code rung}.
 *
 * @param trial index of the configuration (0-based, in the sampler's order)
 * @param bracket index of the bracket (0 = the most aggressive)
 * @param rung rung within the bracket (0 = the lowest)
 * @param fromEpoch epochs already trained
 * @param toEpoch epochs trained when the segment ends ({@code > fromEpoch})
 */
public record Segment(int trial, int bracket, int rung, int fromEpoch, int toEpoch)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Validates the indices and epochs. */
  public Segment {
    if (trial < 0 || bracket < 0 || rung < 0 || fromEpoch < 0 || toEpoch <= fromEpoch) {
      throw new IllegalArgumentException(
          "segment: need trial, bracket, rung, fromEpoch ≥ 0 and toEpoch > fromEpoch, got "
              + trial
              + ", "
              + bracket
              + ", "
              + rung
              + ", "
              + fromEpoch
              + ", "
              + toEpoch);
    }
  }

  /** Epochs this segment trains. */
  public int epochs() {
    return toEpoch - fromEpoch;
  }
}
