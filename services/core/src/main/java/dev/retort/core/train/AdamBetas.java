package dev.retort.core.train;

/**
 * Adam's moment updates for one element, in float32 and in the order of operations of the
 * reference code, shared by the fused passes of {@link AdamW} and {@link BertAdam}.
 *
 * <pre>
 * m ← β1·m + g·(1−β1)       next_m.mul_(beta1).add_(1 - beta1, grad)
 * v ← β2·v + g·g·(1−β2)     next_v.mul_(beta2).addcmul_(1 - beta2, grad, grad)
 * </pre>
 *
 * {@code 1−β} is computed in double and rounded once, as PyTorch rounds a Python float scalar:
 * {@code 1 - 0.999f} in float would be 0.00099998713 instead of 0.001.
 *
 * @param beta1 β1
 * @param beta2 β2
 * @param oneMinusBeta1 1−β1
 * @param oneMinusBeta2 1−β2
 */
record AdamBetas(float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2) {

  /** Returns the float constants of β1 and β2. */
  static AdamBetas of(double beta1, double beta2) {
    return new AdamBetas((float) beta1, (float) beta2, (float) (1 - beta1), (float) (1 - beta2));
  }

  /** Returns the updated first moment. */
  float first(float m, float g) {
    return beta1 * m + g * oneMinusBeta1;
  }

  /** Returns the updated second moment. */
  float second(float v, float g) {
    return beta2 * v + g * g * oneMinusBeta2;
  }
}
