package io.sparksweep.search;

import io.sparksweep.search.schedule.Segment;
import java.io.Serializable;

/**
 * One segment to run: train {@code trial} from its checkpoint at {@code segment.fromEpoch()} (from
 * scratch at 0) to the end of epoch {@code segment.toEpoch()}, write the checkpoint there, and
 * return a {@link SegmentResult}. The trial's {@code numEpochs} is the scheduler's {@code
 * max_resource}, so its learning-rate schedule is the same however it is cut into segments.
 *
 * @param trial the configuration (its key and repeat name its checkpoints)
 * @param segment which rung, from which epoch to which
 */
public record SegmentTask(TrialSpec trial, Segment segment) implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Requires both, and a segment that ends within the trial's epochs. */
  public SegmentTask {
    if (trial == null || segment == null) {
      throw new IllegalArgumentException("segment task: trial and segment must not be null");
    }
    if (segment.toEpoch() > trial.numEpochs()) {
      throw new IllegalArgumentException(
          "segment task: the segment ends at epoch "
              + segment.toEpoch()
              + ", after the trial's num_epochs "
              + trial.numEpochs());
    }
  }

  /** Whether this segment ends the trial's training (its last epoch). */
  public boolean last() {
    return segment.toEpoch() == trial.numEpochs();
  }
}
