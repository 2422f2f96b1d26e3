package io.sparksweep.search.schedule;

/**
 * One rung of a bracket.
 *
 * @param index 0 = the lowest
 * @param epochs epochs a trial has trained when it finishes this rung
 * @param size trials that reach it (Li et al.'s {@code n_i}); −1 when unbounded (ASHA)
 */
public record Rung(int index, int epochs, int size) {}
