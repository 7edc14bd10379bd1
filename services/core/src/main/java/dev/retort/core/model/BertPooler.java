package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.ParameterStore;

/** {@code tanh(dense(h_[CLS]))} (Hugging Face {@code BertPooler}): child {@code dense}, H to H. */
public final class BertPooler extends HfModule {
  private final Dense dense;

  /** Creates the pooler of {@code config}. */
  public BertPooler(BertConfig config) {
    dense =
        module(
            "dense", new Dense(config.hiddenSize(), config.hiddenSize(), config.initializerRange()));
  }

  /**
   * Pools the first token.
   *
   * @param ps the parameter store of this pass
   * @param sequenceOutput [B, L, H]
   * @param training whether this is a training pass
   * @return the pooled output, [B, H]
   */
  public NDArray forward(ParameterStore ps, NDArray sequenceOutput, boolean training) {
    NDArray cls = sequenceOutput.get(new NDIndex(":, 0, :")); // [B, H]
    return dense.forward(ps, cls, training).tanh(); // [B, H]
  }
}
