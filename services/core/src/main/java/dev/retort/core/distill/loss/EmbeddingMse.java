package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;

/**
 * Embedding-layer distillation, reported as its own term: {@code L_emb = mean((P(E_S) - E_T)^2)}
 * over B·L·H_T elements, where E is the embedding output (hidden state 0).
 *
 * <p>TinyBERT eq. 10; BERT-EMD keeps it as a fixed one-to-one match outside the transport problem
 * ({@code emd_task_distill.py:704}).
 */
public final class EmbeddingMse extends PairLoss {
  /** The metric tag of this term. */
  public static final String NAME = "emb";

  /** Creates the term. */
  public EmbeddingMse() {
    super(NAME);
  }

  /**
   * Computes the term.
   *
   * @param projectedStudent {@code P(E_S)}, [B, L, H_T]
   * @param teacher {@code E_T}, [B, L, H_T]
   * @return the mean squared error, a scalar
   */
  @Override
  public NDArray compute(NDArray projectedStudent, NDArray teacher) {
    requireSameShape(NAME, projectedStudent, teacher);
    return MeanSquaredError.of(projectedStudent, teacher);
  }
}
