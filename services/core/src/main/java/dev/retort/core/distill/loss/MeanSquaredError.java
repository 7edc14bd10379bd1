package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;

/**
 * {@code mean((s - t)^2)} over every element, pad positions included, as PyTorch's {@code
 * MSELoss()} in all three reference codebases.
 */
final class MeanSquaredError {
  private MeanSquaredError() {}

  static NDArray of(NDArray student, NDArray teacher) {
    return student.sub(teacher).square().mean();
  }
}
