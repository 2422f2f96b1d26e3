/**
 * Tensors and numeric kernels: {@code Tensor}, {@code DType}, BLAS gemm, im2col/col2im, reductions.
 * Uses nothing else of sparksweep.
 */
package io.sparksweep.tensor;
