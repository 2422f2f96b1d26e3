package io.sparksweep.search;

/**
 * The column types of the results tables, named without Spark (the Spark codec maps each to its
 * {@code DataType}). Column values in {@link TrialSchema} are Java values of the listed types.
 */
public enum SqlType {
  /** {@code STRING}: a {@link String}. */
  STRING,
  /** {@code INT}: an {@link Integer}. */
  INT,
  /** {@code BIGINT}: a {@link Long}. */
  BIGINT,
  /** {@code DOUBLE}: a {@link Double}. */
  DOUBLE,
  /** {@code TIMESTAMP}: a {@link java.time.Instant}. */
  TIMESTAMP,
  /** {@code ARRAY<INT>}: a {@code List<Integer>}. */
  INT_ARRAY
}
