package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.retort.core.engine.Scalars;

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
    NDArray cubic = Scalars.mul(Scalars.pow(x, 3), 0.044715f);
    NDArray inner = Scalars.mul(x.add(cubic), (float) SQRT_2_OVER_PI);
    return Scalars.mul(x, 0.5f).mul(inner.tanh().add(1f));
  }
}
