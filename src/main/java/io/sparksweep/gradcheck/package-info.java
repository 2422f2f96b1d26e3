/**
 * Centered numeric gradients and relative errors, as in the notebooks' {@code gradient_check.py}.
 * May use {@code tensor} only.
 */
package io.sparksweep.gradcheck;
