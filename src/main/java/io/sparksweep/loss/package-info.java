/** Softmax and multiclass SVM losses with their gradients. May use {@code tensor} only. */
package io.sparksweep.loss;
