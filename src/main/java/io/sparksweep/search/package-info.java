/**
 * Grid files, trial specs with stable keys and seeds, and the trial runner that trains one network
 * and never throws for a bad configuration. May use {@code train}, {@code model}, {@code data},
 * {@code optim}, {@code tensor}; never Spark.
 */
package io.sparksweep.search;
