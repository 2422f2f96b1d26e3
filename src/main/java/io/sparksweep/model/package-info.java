/**
 * Classifiers ({@code FullyConnectedNet}, {@code ThreeLayerConvNet}), their parameters and the
 * portable {@code .npz} save/load. May use {@code layer}, {@code loss}, {@code tensor}.
 */
package io.sparksweep.model;
