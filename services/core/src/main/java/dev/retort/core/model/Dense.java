package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * A fully connected layer, {@code y = x W^T + b}, named like PyTorch's {@code nn.Linear}: {@code
 * weight} [out, in] and {@code bias} [out].
 */
public final class Dense extends HfModule {
  private final int in;
  private final int out;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * Creates a layer with weights drawn from N(0, std²) and zero bias, as BERT initialises them.
   *
   * @param in input width
   * @param out output width
   * @param std standard deviation of the initial weights
   */
  public Dense(int in, int out, float std) {
    this.in = in;
    this.out = out;
    this.weight = parameter("weight", new Shape(out, in), new NormalInitializer(std));
    this.bias = parameter("bias", new Shape(out), Initializer.ZEROS);
  }

  /** Returns the input width. */
  public int in() {
    return in;
  }

  /** Returns the output width. */
  public int out() {
    return out;
  }

  /** Returns the weight parameter, [out, in]. */
  public Parameter weight() {
    return weight;
  }

  /** Returns the bias parameter, [out]. */
  public Parameter bias() {
    return bias;
  }

  /**
   * Applies the layer to the last axis.
   *
   * @param ps the parameter store of this pass
   * @param x input, [..., in]
   * @param training whether this is a training pass
   * @return output, [..., out]
   */
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return Linear.linear(x, value(ps, weight, training), value(ps, bias, training))
        .singletonOrThrow(); // [..., out]
  }
}
