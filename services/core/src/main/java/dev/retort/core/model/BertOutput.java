package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;

/**
 * The feed-forward contraction with residual and LayerNorm (Hugging Face {@code BertOutput}):
 * {@code LayerNorm(dropout(dense(intermediate)) + attentionOutput)}, I to H.
 */
public final class BertOutput extends HfModule {
  private final BertConfig config;
  private final Dense dense;
  private final LayerNormalization layerNorm;

  /** Creates the block of {@code config}. */
  public BertOutput(BertConfig config) {
    this.config = config;
    dense =
        module(
            "dense",
            new Dense(config.intermediateSize(), config.hiddenSize(), config.initializerRange()));
    layerNorm =
        module("LayerNorm", new LayerNormalization(config.hiddenSize(), config.layerNormEps()));
  }

  /**
   * Contracts and adds the residual.
   *
   * @param ps the parameter store of this pass
   * @param intermediate the expanded activations, [B, L, I]
   * @param attentionOutput the residual, [B, L, H]
   * @param training whether dropout is active
   * @return the layer output, [B, L, H]
   */
  public NDArray forward(
      ParameterStore ps, NDArray intermediate, NDArray attentionOutput, boolean training) {
    NDArray h = dense.forward(ps, intermediate, training); // [B, L, H]
    h = HostDropout.apply(h, config.hiddenDropout(), training);
    return layerNorm.forward(ps, h.add(attentionOutput), training); // [B, L, H]
  }
}
