package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;

/** The feed-forward expansion {@code gelu(dense(x))}, H to I (Hugging Face {@code BertIntermediate}). */
public final class BertIntermediate extends HfModule {
  private final Gelu gelu;
  private final Dense dense;

  /** Creates the block of {@code config}. */
  public BertIntermediate(BertConfig config) {
    this.gelu = config.gelu();
    dense =
        module(
            "dense",
            new Dense(config.hiddenSize(), config.intermediateSize(), config.initializerRange()));
  }

  /**
   * Expands.
   *
   * @param ps the parameter store of this pass
   * @param x the attention output, [B, L, H]
   * @param training whether this is a training pass
   * @return the activations, [B, L, I]
   */
  public NDArray forward(ParameterStore ps, NDArray x, boolean training) {
    return Activations.gelu(dense.forward(ps, x, training), gelu); // [B, L, I]
  }
}
