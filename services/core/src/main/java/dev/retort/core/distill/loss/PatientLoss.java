package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.retort.core.engine.Scalars;

/**
 * PKD's patient loss on the [CLS] token of one matched layer pair (Sun et al., 2019, eq. 4):
 *
 * <pre>
 * L_pt = mean_b ‖ h_S / ‖h_S‖₂ − h_T / ‖h_T‖₂ ‖₂²     with h = hidden state at position 0
 * </pre>
 *
 * Summed over the mapped layers by the caller and weighted by β.
 */
public final class PatientLoss extends PairLoss {
  /** The metric tag of this term. */
  public static final String NAME = "pt";

  /** Creates the term. */
  public PatientLoss() {
    super(NAME);
  }

  /**
   * Computes the term.
   *
   * @param projectedStudent student hidden state (projected to the teacher's width), [B, L, H_T]
   * @param teacher teacher hidden state, [B, L, H_T]
   * @return the batch mean of the squared distance of the normalised [CLS] vectors, a scalar
   */
  @Override
  public NDArray compute(NDArray projectedStudent, NDArray teacher) {
    requireSameShape(NAME, projectedStudent, teacher);
    NDArray s = normalised(projectedStudent.get(new NDIndex(":, 0, :"))); // [B, H]
    NDArray t = normalised(teacher.get(new NDIndex(":, 0, :"))); // [B, H]
    return s.sub(t).square().sum(new int[] {1}).mean();
  }

  private static NDArray normalised(NDArray x) {
    NDArray length = x.square().sum(new int[] {1}, true).sqrt(); // [B, 1]
    NDArray norm = Scalars.maximum(length, 1e-12f); // [B, 1]
    return x.div(norm); // [B, H]
  }
}
