/**
 * picocli commands ({@code search}, {@code query}, {@code train}, {@code evaluate}, {@code data},
 * …): the only place that prints to the console. May use everything.
 */
package io.sparksweep.cli;
