/**
 * The {@code Solver}: minibatch training, per-epoch accuracy checks, best-parameter restore,
 * histories and listeners. May use {@code model}, {@code optim}, {@code data}, {@code tensor}.
 */
package io.sparksweep.train;
