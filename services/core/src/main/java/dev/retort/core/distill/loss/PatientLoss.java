package dev.retort.core.distill.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import dev.retort.core.engine.Scalars;

/**
 * PKD's patient loss on the [CLS] token of one matched layer pair, in the form of PKD's code
 * ({@code patience_loss}: {@code F.mse_loss} of the normalised [CLS] vectors, a mean over every
 * element):
 *
 * <pre>
 * L_pt = mean_(b,h) ( h_S / ‖h_S‖₂ − h_T / ‖h_T‖₂ )²     with h = hidden state at position 0
 * </pre>
 *
 * The caller averages it over the mapped layers (so the whole term is the mean over B × layers ×
 * H, as the code's {@code [B, layers, H]} tensor gives) and weights it by β (100 by default, tuned
 * for this form). The paper's eq. 4 sums over H and layers instead, which is H × layers times
 * larger.
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
   * @return the mean over batch and width of the squared difference of the normalised [CLS]
   *     vectors, a scalar
   */
  @Override
  public NDArray compute(NDArray projectedStudent, NDArray teacher) {
    requireSameShape(NAME, projectedStudent, teacher);
    NDArray s = normalised(projectedStudent.get(new NDIndex(":, 0, :"))); // [B, H]
    NDArray t = normalised(teacher.get(new NDIndex(":, 0, :"))); // [B, H]
    return s.sub(t).square().mean();
  }

  private static NDArray normalised(NDArray x) {
    NDArray length = x.square().sum(new int[] {1}, true).sqrt(); // [B, 1]
    NDArray norm = Scalars.maximum(length, 1e-12f); // [B, 1]
    return x.div(norm); // [B, H]
  }
}
