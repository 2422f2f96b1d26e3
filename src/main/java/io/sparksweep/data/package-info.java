/**
 * CIFAR-10 (official binary folder or tarball): reading, validation, splits, mean image,
 * minibatches; download of the official tarball; synthetic data for tests and demos. May use {@code
 * tensor} only.
 */
package io.sparksweep.data;
