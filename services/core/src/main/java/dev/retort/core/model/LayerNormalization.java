package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;

/**
 * Layer normalisation over the last axis, named like PyTorch's {@code nn.LayerNorm}: {@code weight}
 * (gamma) and {@code bias} (beta), both [H].
 *
 * <p>{@code y = (x - mean) / sqrt(var + eps) * weight + bias}, with the biased variance.
 */
public final class LayerNormalization extends HfModule {
  private final int size;
  private final float eps;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * Creates a LayerNorm with weight 1 and bias 0.
   *
   * @param size the normalised width H
   * @param eps added to the variance (BERT: 1e-12)
   */
  public LayerNormalization(int size, float eps) {
    this.size = size;
    this.eps = eps;
    this.weight = parameter("weight", new Shape(size), Initializer.ONES);
    this.bias = parameter("bias", new Shape(size), Initializer.ZEROS);
  }

  /**
   * Normalises the last axis.
   *
   * @param ps the parameter store of this pass
   * @param x input, [..., H]
   * @param training whether this is a training pass
   * @return output, [..., H]
   */
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return LayerNorm.layerNorm(
            x, new Shape(size), value(ps, weight, training), value(ps, bias, training), eps)
        .singletonOrThrow(); // [..., H]
  }
}
