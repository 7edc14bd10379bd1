package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;

/**
 * Cross-entropy against gold labels, averaged over the batch: {@code L_hard = −mean_b log
 * softmax(z_S)_{y_b}} (PyTorch's {@code CrossEntropyLoss()}).
 */
public final class HardCrossEntropy extends Loss {
  /** The metric tag of this term. */
  public static final String NAME = "hard";

  /** Creates the term. */
  public HardCrossEntropy() {
    super(NAME);
  }

  /**
   * Computes the term.
   *
   * @param logits [B, C]
   * @param labels class indices, [B], int64
   * @return the mean cross-entropy, a scalar
   */
  public NDArray compute(NDArray logits, NDArray labels) {
    NDArray logp = logits.logSoftmax(-1); // [B, C]
    long classes = logits.getShape().get(1);
    NDArray oneHot =
        labels.toType(DataType.INT64, false).oneHot((int) classes).toType(logp.getDataType(), false); // [B, C]
    return logp.mul(oneHot).sum(new int[] {1}).neg().mean();
  }

  /** {@inheritDoc} */
  @Override
  public NDArray evaluate(NDList labels, NDList predictions) {
    return compute(predictions.singletonOrThrow(), labels.singletonOrThrow());
  }
}
