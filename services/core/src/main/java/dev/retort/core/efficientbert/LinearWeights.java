package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One weight pair {@code wb = (W, b)} of an FFN expression, in math layout: {@code linear(x, wb) =
 * x W + b}.
 *
 * <p>PyTorch's {@code nn.Linear} stores {@code weight} as {@code [out, in]}; {@link #fromTorch}
 * transposes it. The arrays are used as given (no copy), so gradients flow back to them.
 *
 * @param weight {@code [in, out]}
 * @param bias {@code [out]}
 */
public record LinearWeights(NDArray weight, NDArray bias) {

  /** Checks the shapes: a matrix and a vector of its column count. */
  public LinearWeights {
    Objects.requireNonNull(weight, "weight");
    Objects.requireNonNull(bias, "bias");
    Shape w = weight.getShape();
    Shape b = bias.getShape();
    if (w.dimension() != 2 || b.dimension() != 1 || w.get(1) != b.get(0)) {
      throw new IllegalArgumentException(
          "weight pair needs W [in, out] and b [out], got W " + w + " and b " + b);
    }
  }

  /**
   * Wraps PyTorch-layout weights.
   *
   * @param torchWeight {@code [out, in]}
   * @param bias {@code [out]}
   * @return the pair with {@code W = torchWeight^T}, {@code [in, out]}
   */
  public static LinearWeights fromTorch(NDArray torchWeight, NDArray bias) {
    return new LinearWeights(torchWeight.transpose(), bias);
  }

  /** Returns the input width, the rows of {@code W}. */
  public long inputWidth() {
    return weight.getShape().get(0);
  }

  /** Returns the output width, the columns of {@code W}. */
  public long outputWidth() {
    return weight.getShape().get(1);
  }
}
