package dev.retort.core.distill.hrkd;

import ai.djl.ndarray.NDArray;
import dev.retort.core.distill.TeacherOutputs;
import dev.retort.core.model.BertOutputs;
import java.util.List;

/**
 * One domain's part of an HRKD step: the student's outputs with its projected hidden states, and
 * the frozen teacher's outputs for the same sub-batch.
 *
 * @param student the student's outputs (hidden states, scores, logits of this domain's head)
 * @param projected {@code Ĥ_l = fit_l(H^S_l)} for l = 0..M, [b, L, H_T] each
 * @param teacher the domain's teacher outputs
 */
public record DomainPass(BertOutputs student, List<NDArray> projected, TeacherOutputs teacher) {
  /** Copies the list. */
  public DomainPass {
    projected = List.copyOf(projected);
  }
}
