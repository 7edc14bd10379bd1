package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;

/**
 * Hidden-state distillation: {@code L_hid = mean((P(H_S) - H_T)^2)} over B·L·H_T elements, pad
 * positions included, where {@code P} is the learned projection from the student's width to the
 * teacher's (applied by the caller, see {@code HiddenProjection}).
 *
 * <p>TinyBERT (arXiv 1909.10351) eq. 8; BERT-EMD {@code emd_rep_loss}; HRKD and EfficientBERT use
 * the same form.
 */
public final class HiddenStateMse extends PairLoss {
  /** The metric tag of this term. */
  public static final String NAME = "hid";

  /** Creates the term. */
  public HiddenStateMse() {
    super(NAME);
  }

  /**
   * Computes the term.
   *
   * @param projectedStudent {@code P(H_S)}, [B, L, H_T]
   * @param teacher {@code H_T}, [B, L, H_T]
   * @return the mean squared error, a scalar
   */
  @Override
  public NDArray compute(NDArray projectedStudent, NDArray teacher) {
    requireSameShape(NAME, projectedStudent, teacher);
    return MeanSquaredError.of(projectedStudent, teacher);
  }
}
