package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import java.util.List;

/**
 * Checks that an architecture can run on a model's stored weights: the same dimensions, and per
 * layer no more stacked FFNs and no wider inner units than are stored.
 */
final class SubnetCheck {
  private SubnetCheck() {}

  /**
   * Fails with the first mismatch.
   *
   * @param stored the architecture the model's weights were built for
   * @param storedStacks per layer, the number of stored FFNs
   * @param storedWidths per layer, the stored inner width
   * @param active the architecture to run
   * @throws RetortException naming the mismatching dimension or layer
   */
  static void require(
      EfficientBertArch stored,
      List<Integer> storedStacks,
      List<Integer> storedWidths,
      EfficientBertArch active) {
    same("hidden_size", stored.hiddenSize(), active.hiddenSize());
    same("num_attn_heads", stored.numHeads(), active.numHeads());
    same("embed_size", stored.embeddingSize(), active.embeddingSize());
    same("ffn_hidden_size", stored.ffnHiddenSize(), active.ffnHiddenSize());
    same("vocab_size", stored.vocabSize(), active.vocabSize());
    same("position_size", stored.maxPositions(), active.maxPositions());
    same("segment_size", stored.typeVocabSize(), active.typeVocabSize());
    same("fit_size", stored.fitSize(), active.fitSize());
    same("num_layers", stored.numLayers(), active.numLayers());
    for (int l = 0; l < active.numLayers(); l++) {
      LinearSize size = active.linearSize(l);
      int inner = active.innerWidth(l);
      if (size.stacks() > storedStacks.get(l) || inner > storedWidths.get(l)) {
        throw new RetortException(
            "sub-architecture layer " + (l + 1) + " (linear" + size.key() + ")",
            "needs "
                + size.stacks()
                + " FFNs of inner width "
                + inner
                + " but the model stores "
                + storedStacks.get(l)
                + " of width "
                + storedWidths.get(l),
            "Choose a size within the stored weights, or run it on the supernet");
      }
    }
  }

  private static void same(String key, int stored, int active) {
    if (stored != active) {
      throw new RetortException(
          "sub-architecture key '" + key + "'",
          "is " + active + " but the model was built with " + stored,
          "Derive the sub-architecture from the model's own dimensions (Supernet.subArchitecture)");
    }
  }
}
