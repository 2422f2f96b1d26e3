/**
 * The thin Spark layer: broadcast CIFAR-10 bytes, one task per trial, results to Spark SQL tables,
 * model files. May use {@code search} and below, plus Spark.
 */
package io.sparksweep.spark;
