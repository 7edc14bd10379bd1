package dev.retort.core.model;

/**
 * Which intermediate tensors a forward pass keeps for the caller.
 *
 * <p>Autograd keeps what it needs either way; this only decides what {@link BertOutputs} exposes,
 * so that teacher inference and evaluation do not hold every layer's [B, A, L, L] tensors.
 *
 * @param hiddenStates keep the embedding output and every layer's output
 * @param attentionScores keep every layer's pre-softmax scores
 * @param attentionProbs keep every layer's attention probabilities
 */
public record Taps(boolean hiddenStates, boolean attentionScores, boolean attentionProbs) {
  /** Keeps nothing but the last hidden state, the pooled output and the logits. */
  public static final Taps NONE = new Taps(false, false, false);

  /** Keeps hidden states and pre-softmax scores: what BERT-EMD, TinyBERT, PKD and HRKD need. */
  public static final Taps DISTILLATION = new Taps(true, true, false);

  /** Keeps everything. */
  public static final Taps ALL = new Taps(true, true, true);
}
