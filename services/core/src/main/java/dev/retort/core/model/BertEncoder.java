package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/** The stack of transformer layers (Hugging Face {@code BertEncoder}): children {@code layer.i}. */
public final class BertEncoder extends HfModule {
  private final ModuleList<BertLayer> layer;

  /** Creates the encoder of {@code config}. */
  public BertEncoder(BertConfig config) {
    List<BertLayer> layers = new ArrayList<>();
    for (int i = 0; i < config.numLayers(); i++) {
      layers.add(new BertLayer(config));
    }
    layer = module("layer", new ModuleList<>(layers));
  }

  /** Returns the layers. */
  public ModuleList<BertLayer> layers() {
    return layer;
  }

  /**
   * Runs every layer, each freeing its intermediate arrays when it returns ({@link LayerStack}).
   *
   * @param ps the parameter store of this pass
   * @param embeddings the embedding output, [B, L, H]
   * @param additiveMask [B, 1, 1, L]
   * @param taps what to keep
   * @param training whether dropout is active
   * @param hidden receives each layer's output, [B, L, H], when {@code taps.hiddenStates()}
   * @param scores receives each layer's pre-softmax scores, [B, A, L, L], when requested
   * @param probs receives each layer's probabilities, [B, A, L, L], when requested
   * @return the last layer's output, [B, L, H]
   */
  public NDArray forward(
      ParameterStore ps,
      NDArray embeddings,
      NDArray additiveMask,
      Taps taps,
      boolean training,
      List<NDArray> hidden,
      List<NDArray> scores,
      List<NDArray> probs) {
    List<BertLayer> layers = layer.items();
    return LayerStack.run(
        layers.size(),
        embeddings,
        taps,
        (i, h) -> layers.get(i).forward(ps, h, additiveMask, training),
        hidden,
        scores,
        probs); // [B, L, H]
  }
}
