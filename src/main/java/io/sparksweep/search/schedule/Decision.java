package io.sparksweep.search.schedule;

/**
 * What a scheduler decided about a trial that finished a rung.
 *
 * @param trial the trial
 * @param bracket its bracket
 * @param rung the rung it finished
 * @param epochs epochs trained at that rung
 * @param metric its metric there (NaN = failed or diverged)
 * @param outcome promoted to the next rung, stopped, or completed (finished the top rung)
 */
public record Decision(
    int trial, int bracket, int rung, int epochs, double metric, Outcome outcome) {

  /** The kinds of decision. */
  public enum Outcome {
    /** Continues at the next rung. */
    PROMOTED,
    /** Stopped early: a normal outcome of adaptive search, not an error. */
    STOPPED,
    /** Trained the full budget (the top rung). */
    COMPLETED
  }
}
