package io.sparksweep.spark;

import io.sparksweep.search.SegmentResult;
import io.sparksweep.search.TrialResult;
import java.io.Serializable;

/**
 * What one segment's Spark task returns to the driver: the segment's metrics and, for a trial that
 * finished its full budget, its whole result (validation and test accuracy, learning curve; no
 * model bytes: the executor wrote the model to the run store if it may enter the top-k).
 *
 * @param segment the segment's result
 * @param completed the trial's result when this was its last segment and it trained OK, else null
 */
record SegmentOutput(SegmentResult segment, TrialResult completed) implements Serializable {
  private static final long serialVersionUID = 1L;
}
