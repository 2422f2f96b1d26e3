/**
 * Update rules of the notebooks: SGD, SGD with momentum, RMSProp, Adam. May use {@code tensor}
 * only.
 */
package io.sparksweep.optim;
