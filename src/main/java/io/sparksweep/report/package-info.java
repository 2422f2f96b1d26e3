/**
 * The run report: PNG charts drawn with JFreeChart (learning curves, accuracy and loss against each
 * numeric hyperparameter that a run varies, a convnet's first-layer filters) and a self-contained
 * {@code index.html} with a sortable table of the trials, the Java counterpart of the notebooks'
 * {@code plot_training_history}, weight-scale and batch-size cells and {@code visualize_grid}.
 *
 * <p>Its input is plain records ({@link io.sparksweep.report.RunReport}, {@link
 * io.sparksweep.report.TrialRow}) that the Spark side fills from the {@code trials} and {@code
 * epochs} tables; this package never sees Spark. May use {@code search}'s records and what lies
 * below it ({@code tensor}, {@code model}); never {@code spark} or {@code cli}. Rendering is
 * headless ({@code java.awt.headless=true}).
 */
package io.sparksweep.report;
