package io.sparksweep.layer;

/**
 * Hyperparameters of a convolution (the notebooks' {@code conv_param} dict, typed).
 *
 * @param stride distance in pixels between neighbouring receptive fields, horizontally and
 *     vertically; at least 1
 * @param pad zero padding added to each side of the input's height and width; at least 0
 */
public record ConvSpec(int stride, int pad) {

  /** Validates the spec: {@code stride ≥ 1}, {@code pad ≥ 0}. */
  public ConvSpec {
    if (stride < 1) {
      throw new IllegalArgumentException("ConvSpec stride = " + stride + ", expected at least 1");
    }
    if (pad < 0) {
      throw new IllegalArgumentException("ConvSpec pad = " + pad + ", expected at least 0");
    }
  }

  /**
   * The "same" spec for an odd filter size at stride 1: {@code pad = (filterSize − 1) / 2}, which
   * keeps H and W (the notebooks' {@code ThreeLayerConvNet} uses it).
   */
  public static ConvSpec same(int filterSize) {
    if (filterSize < 1 || filterSize % 2 == 0) {
      throw new IllegalArgumentException(
          "filterSize = " + filterSize + ", expected an odd size of at least 1");
    }
    return new ConvSpec(1, (filterSize - 1) / 2);
  }
}
