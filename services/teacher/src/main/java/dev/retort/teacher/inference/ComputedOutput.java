package dev.retort.teacher.inference;

import dev.retort.core.tensor.HostTensor;
import java.util.List;

/**
 * The selected teacher outputs of one batch, copied out of the engine: hidden states and scores
 * in the request's wire type (F32, F16 or BF16), logits in F32.
 *
 * @param hidden one tensor per selected hidden state, in selection order // [B, L, H] each
 * @param scores one tensor per selected layer's pre-softmax attention scores // [B, A, L, K] each
 * @param logits the head output, or null when not selected // [B, C]
 * @param computeMillis wall time of the forward pass and the copy
 * @param keyLength K when the scores were trimmed to the batch's last real key ({@link
 *     dev.retort.core.distill.PaddingKeys}), 0 when they keep all L columns
 */
public record ComputedOutput(
    List<HostTensor> hidden, List<HostTensor> scores, HostTensor logits, double computeMillis,
    int keyLength) {

  /** Copies the lists. */
  public ComputedOutput {
    hidden = List.copyOf(hidden);
    scores = List.copyOf(scores);
  }

  /** Creates an output whose scores, if any, keep every key column. */
  public ComputedOutput(
      List<HostTensor> hidden, List<HostTensor> scores, HostTensor logits, double computeMillis) {
    this(hidden, scores, logits, computeMillis, 0);
  }
}
