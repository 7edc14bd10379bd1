package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;

/**
 * Regression distillation: {@code mean((z_S − target)²)} over the batch, where the target is the
 * teacher's prediction (BERT-EMD with α = 1) or the gold score (EfficientBERT on STS-B, and the
 * (1 − α) part of BERT-EMD).
 */
public final class RegressionMse extends PairLoss {
  /** The metric tag when the target is the teacher. */
  public static final String TEACHER = "pred";

  /** The metric tag when the target is the gold score. */
  public static final String GOLD = "hard";

  /**
   * Creates the term.
   *
   * @param name {@link #TEACHER} or {@link #GOLD}
   */
  public RegressionMse(String name) {
    super(name);
  }

  /**
   * Computes the term.
   *
   * @param student predictions, [B, 1] or [B]
   * @param target teacher predictions or gold scores, reshaped to the student's shape
   * @return the mean squared error, a scalar
   */
  @Override
  public NDArray compute(NDArray student, NDArray target) {
    return MeanSquaredError.of(student, target.reshape(student.getShape()));
  }
}
