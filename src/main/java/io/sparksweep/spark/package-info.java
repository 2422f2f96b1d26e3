/**
 * The thin Spark layer: broadcast CIFAR-10 bytes, one task per trial, results to Spark SQL tables,
 * model files. May use {@code search} and below, plus Spark.
 *
 * <ul>
 *   <li>{@link io.sparksweep.spark.Sessions}: the session factory; registers the warehouse's
 *       Parquet tables at session start so any later session can query them.
 *   <li>{@link io.sparksweep.spark.ResultTables}: the {@code trials} and {@code epochs} schemas and
 *       the one place where results become rows (snake_case columns).
 *   <li>{@link io.sparksweep.spark.SearchJob}: the driver; runs a {@link
 *       io.sparksweep.spark.TrialFunction} per trial, records each result as it arrives (one
 *       Parquet file per trial and table, so nothing is lost or duplicated), reports progress to a
 *       {@link io.sparksweep.spark.SearchListener}, returns a {@link
 *       io.sparksweep.spark.SearchOutcome}; {@link io.sparksweep.spark.SearchJob#resume} finishes a
 *       run whose driver died.
 *   <li>{@link io.sparksweep.spark.RunManifest}: {@code <runs>/<run_id>/run.json}, what a run is
 *       (every trial, warehouse, top-k, data fingerprint), written before it starts.
 * </ul>
 */
package io.sparksweep.spark;
