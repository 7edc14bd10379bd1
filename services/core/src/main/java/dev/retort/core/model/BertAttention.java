package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * Self-attention followed by its output projection (Hugging Face {@code BertAttention}): children
 * {@code self} and {@code output}.
 */
public final class BertAttention extends HfModule {
  private final BertSelfAttention self;
  private final BertSelfOutput output;

  /** Creates the block of {@code config}. */
  public BertAttention(BertConfig config) {
    self = module("self", new BertSelfAttention(config));
    output = module("output", new BertSelfOutput(config));
  }

  /**
   * Attends and projects.
   *
   * @param ps the parameter store of this pass
   * @param hidden the layer input, [B, L, H]
   * @param additiveMask [B, 1, 1, L]
   * @param training whether dropout is active
   * @return the attention output [B, L, H] in {@code context}, with the layer's scores and
   *     probabilities
   */
  public AttentionResult forward(
      ParameterStore ps, NDArray hidden, NDArray additiveMask, boolean training) {
    AttentionResult r = self.forward(ps, hidden, additiveMask, training);
    NDArray out = output.forward(ps, r.context(), hidden, training); // [B, L, H]
    return new AttentionResult(out, r.scores(), r.probs());
  }
}
