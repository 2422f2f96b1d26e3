/**
 * The training-throughput benchmark ({@code sparksweep bench}): the reference workloads, the
 * throughput measurement (driving the Solver's own {@code train.TrainingStep}), the CPU-load and
 * memory meters, the PyTorch and child-JVM runners, the GEMM micro-benchmark and the JSON-lines
 * report, and the scheduler simulation (the real adaptive driver with simulated workers). The
 * command line only parses options and prints what this package returns.
 *
 * <p>Allowed dependencies: {@code train}, {@code model}, {@code optim}, {@code data}, {@code
 * tensor} (and below), {@code search} and {@code search.schedule} (the simulation), and Jackson
 * (which comes with Spark) for the JSON report. Never Spark, {@code spark}, {@code report} or
 * {@code cli}; nothing in the numeric core depends on this package (ArchitectureTest).
 */
package io.sparksweep.bench;
