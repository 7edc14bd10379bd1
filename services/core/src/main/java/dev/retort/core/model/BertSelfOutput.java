package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;

/**
 * The attention output projection with residual and LayerNorm (Hugging Face {@code
 * BertSelfOutput}): {@code LayerNorm(dropout(dense(context)) + input)}.
 */
public final class BertSelfOutput extends HfModule {
  private final BertConfig config;
  private final Dense dense;
  private final LayerNormalization layerNorm;

  /** Creates the block of {@code config}. */
  public BertSelfOutput(BertConfig config) {
    this.config = config;
    dense =
        module(
            "dense", new Dense(config.hiddenSize(), config.hiddenSize(), config.initializerRange()));
    layerNorm =
        module("LayerNorm", new LayerNormalization(config.hiddenSize(), config.layerNormEps()));
  }

  /**
   * Projects and adds the residual.
   *
   * @param ps the parameter store of this pass
   * @param context the attention context, [B, L, H]
   * @param input the attention layer's input (the residual), [B, L, H]
   * @param training whether dropout is active
   * @return the attention output, [B, L, H]
   */
  public NDArray forward(ParameterStore ps, NDArray context, NDArray input, boolean training) {
    NDArray h = dense.forward(ps, context, training); // [B, L, H]
    h = HostDropout.apply(h, config.hiddenDropout(), training);
    return layerNorm.forward(ps, h.add(input), training); // [B, L, H]
  }
}
