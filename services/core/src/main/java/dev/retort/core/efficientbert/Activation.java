package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import dev.retort.core.engine.Scalars;

/**
 * The seven unary operators of the search space, as EfficientBERT's {@code operator_utils.py}
 * defines them.
 *
 * <p>Every {@link #apply(NDArray)} builds a new array from out-of-place DJL ops, so it can run
 * inside a {@code GradientCollector}.
 */
public enum Activation implements Symbol {
  /** {@code 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}, the tanh approximation. */
  GELU("gelu"),
  /** {@code 1 / (1 + exp(-x))}. */
  SIGMOID("sigmoid"),
  /** {@code tanh(x)}. */
  TANH("tanh"),
  /** {@code max(x, 0)}. */
  RELU("relu"),
  /** {@code x} for {@code x >= 0}, else {@code 0.01 x} (PyTorch's default slope). */
  LEAKY_RELU("leaky_relu"),
  /** {@code x} for {@code x > 0}, else {@code exp(x) - 1} (alpha 1). */
  ELU("elu"),
  /** {@code x * sigmoid(x)}. */
  SWISH("swish");

  /** Slope of {@link #LEAKY_RELU} for negative inputs. */
  public static final float LEAKY_RELU_SLOPE = 0.01f;

  /** Alpha of {@link #ELU}. */
  public static final float ELU_ALPHA = 1f;

  private static final float GELU_C = (float) Math.sqrt(2 / Math.PI);
  private static final float GELU_CUBIC = 0.044715f;

  private final String token;

  Activation(String token) {
    this.token = token;
  }

  /** Returns 1. */
  @Override
  public int arity() {
    return 1;
  }

  /** Returns the name used in expressions, e.g. {@code leaky_relu}. */
  @Override
  public String token() {
    return token;
  }

  /**
   * Applies the activation element-wise.
   *
   * @param x any shape, usually {@code [B, L, C]}
   * @return a new array of the same shape
   */
  public NDArray apply(NDArray x) {
    switch (this) {
      case GELU:
        return geluTanh(x);
      case SIGMOID:
        return ai.djl.nn.Activation.sigmoid(x);
      case TANH:
        return x.tanh();
      case RELU:
        return ai.djl.nn.Activation.relu(x);
      case LEAKY_RELU:
        return ai.djl.nn.Activation.leakyRelu(x, LEAKY_RELU_SLOPE);
      case ELU:
        return ai.djl.nn.Activation.elu(x, ELU_ALPHA);
      case SWISH:
        return x.mul(ai.djl.nn.Activation.sigmoid(x));
      default:
        throw new IllegalStateException("unhandled activation " + this);
    }
  }

  /**
   * Computes GELU with the tanh approximation that EfficientBERT's {@code models.gelu} uses.
   *
   * <p>{@code gelu(x) = 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3)))}.
   *
   * @param x any shape
   * @return a new array of the same shape
   */
  public static NDArray geluTanh(NDArray x) {
    NDArray inner = Scalars.mul(Scalars.mul(Scalars.pow(x, 3), GELU_CUBIC).add(x), GELU_C);
    return Scalars.mul(inner.tanh().add(1f).mul(x), 0.5f);
  }
}
