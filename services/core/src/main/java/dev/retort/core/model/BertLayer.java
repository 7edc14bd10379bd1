package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/**
 * One post-LayerNorm transformer layer (Hugging Face {@code BertLayer}): children {@code
 * attention}, {@code intermediate}, {@code output}.
 */
public final class BertLayer extends HfModule {
  private final BertAttention attention;
  private final BertIntermediate intermediate;
  private final BertOutput output;

  /** Creates the layer of {@code config}. */
  public BertLayer(BertConfig config) {
    attention = module("attention", new BertAttention(config));
    intermediate = module("intermediate", new BertIntermediate(config));
    output = module("output", new BertOutput(config));
  }

  /**
   * Runs the layer.
   *
   * @param ps the parameter store of this pass
   * @param hidden the layer input, [B, L, H]
   * @param additiveMask [B, 1, 1, L]
   * @param training whether dropout is active
   * @return the layer output [B, L, H] in {@code context}, with the attention scores and
   *     probabilities
   */
  public AttentionResult forward(
      ParameterStore ps, NDArray hidden, NDArray additiveMask, boolean training) {
    AttentionResult att = attention.forward(ps, hidden, additiveMask, training);
    NDArray inter = intermediate.forward(ps, att.context(), training); // [B, L, I]
    NDArray out = output.forward(ps, inter, att.context(), training); // [B, L, H]
    return new AttentionResult(out, att.scores(), att.probs());
  }
}
