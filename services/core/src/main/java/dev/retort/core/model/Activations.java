package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/** Activation functions with the exact definitions BERT checkpoints were trained with. */
public final class Activations {
  private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

  private Activations() {}

  /**
   * Applies GELU.
   *
   * @param x input, any shape
   * @param variant {@link Gelu#ERF}: {@code 0.5 x (1 + erf(x / sqrt 2))}; {@link Gelu#TANH}: {@code
   *     0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}
   * @return output, same shape
   */
  public static NDArray gelu(NDArray x, Gelu variant) {
    if (variant == Gelu.ERF) {
      return Activation.gelu(x);
    }
    NDArray inner = x.add(x.pow(3).mul(0.044715f)).mul((float) SQRT_2_OVER_PI);
    return x.mul(0.5f).mul(inner.tanh().add(1f));
  }
}
