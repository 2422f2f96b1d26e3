package io.sparksweep.report;

import io.sparksweep.tensor.Tensor;
import java.util.Objects;

/**
 * The first convolutional layer's weights of one trained convnet, to draw as an image grid (the
 * notebook's {@code visualize_grid(model.params['W1'].transpose(0, 2, 3, 1))}).
 *
 * @param trialKey the key of the trial the weights come from (shown in the caption)
 * @param weights filter weights {@code W1} of shape (F, C, HH, WW), float32 or float64
 */
public record FirstLayerFilters(String trialKey, Tensor weights) {

  /** Checks the weights are a non-empty 4-D tensor. */
  public FirstLayerFilters {
    Objects.requireNonNull(trialKey, "trialKey");
    FilterGrid.checkWeights(weights);
  }
}
