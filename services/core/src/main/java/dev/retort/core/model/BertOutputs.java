package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Everything one forward pass of a BERT model returns. This is the one place where the order and
 * shapes of the distillation taps are defined.
 *
 * <ul>
 *   <li>{@code hiddenStates}: numLayers + 1 tensors of [B, L, H]. Index 0 is the embedding output
 *       (after LayerNorm and dropout); index {@code i >= 1} is the output of layer {@code i}
 *       (1-based), so the last entry equals {@code sequenceOutput}. Empty unless {@link
 *       Taps#hiddenStates()}.
 *   <li>{@code attentionScores}: numLayers tensors of [B, A, L, L]; index {@code i} (0-based) is
 *       layer {@code i + 1}'s pre-softmax {@code Q K^T / sqrt(D) + mask}, with -10000 added on
 *       padded keys. Empty unless {@link Taps#attentionScores()}.
 *   <li>{@code attentionProbs}: numLayers tensors of [B, A, L, L], {@code softmax} of the scores,
 *       before attention dropout. Empty unless {@link Taps#attentionProbs()}.
 *   <li>{@code sequenceOutput}: the last layer's output, [B, L, H]. Always present.
 *   <li>{@code pooled}: {@code tanh(W h_[CLS] + b)}, [B, H]; {@code null} for models without a
 *       pooler.
 *   <li>{@code logits}: [B, C] for classification, [B, 1] for regression, [B, L, V] for the MLM
 *       head; {@code null} for a bare encoder.
 * </ul>
 *
 * @param hiddenStates embeddings first, then each layer, [B, L, H] each
 * @param attentionScores pre-softmax scores per layer, [B, A, L, L] each
 * @param attentionProbs attention probabilities per layer, [B, A, L, L] each
 * @param sequenceOutput last hidden state, [B, L, H]
 * @param pooled pooled [CLS] representation, [B, H], or null
 * @param logits head output, or null
 */
public record BertOutputs(
    List<NDArray> hiddenStates,
    List<NDArray> attentionScores,
    List<NDArray> attentionProbs,
    NDArray sequenceOutput,
    NDArray pooled,
    NDArray logits) {

  /** Copies the lists. */
  public BertOutputs {
    hiddenStates = List.copyOf(hiddenStates);
    attentionScores = List.copyOf(attentionScores);
    attentionProbs = List.copyOf(attentionProbs);
  }

  /** Returns a copy with the given logits. */
  public BertOutputs withLogits(NDArray newLogits) {
    return new BertOutputs(
        hiddenStates, attentionScores, attentionProbs, sequenceOutput, pooled, newLogits);
  }

  /** Returns the number of layers whose taps are present (0 if none were kept). */
  public int numLayers() {
    return Math.max(attentionScores.size(), Math.max(hiddenStates.size() - 1, 0));
  }
}
