package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;
import dev.retort.core.engine.Scalars;

/**
 * Multi-head scaled dot-product self-attention (Hugging Face {@code BertSelfAttention}).
 *
 * <p>{@code scores = (Q / sqrt(D)) K^T + mask}, {@code probs = softmax(scores)}, {@code context =
 * dropout(probs) V}. Parameters: {@code query}, {@code key}, {@code value}, each a {@link Dense} H
 * to H.
 */
public final class BertSelfAttention extends HfModule {
  private final BertConfig config;
  private final Dense query;
  private final Dense key;
  private final Dense value;

  /** Creates the attention of {@code config}. */
  public BertSelfAttention(BertConfig config) {
    this.config = config;
    int h = config.hiddenSize();
    float std = config.initializerRange();
    query = module("query", new Dense(h, h, std));
    key = module("key", new Dense(h, h, std));
    value = module("value", new Dense(h, h, std));
  }

  /**
   * Attends.
   *
   * @param ps the parameter store of this pass
   * @param hidden the layer input, [B, L, H]
   * @param additiveMask 0 for real keys and -10000 for padding, [B, 1, 1, L]
   * @param training whether dropout is active
   * @return context, scores and probabilities
   */
  @SuppressWarnings("LocalVariableName")
  public AttentionResult forward(
      ParameterStore ps, NDArray hidden, NDArray additiveMask, boolean training) {
    long B = hidden.getShape().get(0);
    long L = hidden.getShape().get(1);
    int A = config.numHeads();
    int D = config.headSize();
    // The 1/sqrt(D) scale goes on Q rather than on the scores: the same product up to rounding
    // (bit for bit when sqrt(D) is a power of two, as BERT-base's 8), and a pass over [B, A, L, D]
    // instead of [B, A, L, L], forwards and backwards.
    NDArray q = heads(query.forward(ps, hidden, training), B, L, A, D); // [B, A, L, D]
    q = Scalars.div(q, Math.sqrt(D)); // [B, A, L, D]
    NDArray k = heads(key.forward(ps, hidden, training), B, L, A, D); // [B, A, L, D]
    NDArray v = heads(value.forward(ps, hidden, training), B, L, A, D); // [B, A, L, D]
    NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).add(additiveMask); // [B, A, L, L]
    NDArray probs = scores.softmax(-1); // [B, A, L, L]
    NDArray dropped = HostDropout.apply(probs, config.attentionDropout(), training);
    NDArray context =
        dropped
            .matMul(v) // [B, A, L, D]
            .transpose(0, 2, 1, 3) // [B, L, A, D]
            .reshape(B, L, (long) A * D); // [B, L, H]
    return new AttentionResult(context, scores, probs);
  }

  @SuppressWarnings("ParameterName")
  private static NDArray heads(NDArray x, long B, long L, int A, int D) {
    return x.reshape(B, L, A, D).transpose(0, 2, 1, 3); // [B, A, L, D]
  }
}
