/**
 * CIFAR-10 (official binary folder or tarball): reading, validation, splits, mean image,
 * minibatches; synthetic data for tests. May use {@code tensor} only.
 */
package io.sparksweep.data;
