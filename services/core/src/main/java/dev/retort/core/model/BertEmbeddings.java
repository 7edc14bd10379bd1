package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;

/**
 * Word + position + segment embeddings, then LayerNorm and dropout (Hugging Face {@code
 * BertEmbeddings}).
 *
 * <p>Parameters: {@code word_embeddings.weight} [V, H], {@code position_embeddings.weight} [P, H],
 * {@code token_type_embeddings.weight} [T, H], {@code LayerNorm.weight/bias} [H].
 */
public final class BertEmbeddings extends HfModule {
  private final BertConfig config;
  private final EmbeddingTable wordEmbeddings;
  private final EmbeddingTable positionEmbeddings;
  private final EmbeddingTable tokenTypeEmbeddings;
  private final LayerNormalization layerNorm;

  /** Creates the embeddings of {@code config}. */
  public BertEmbeddings(BertConfig config) {
    this.config = config;
    float std = config.initializerRange();
    int h = config.hiddenSize();
    wordEmbeddings = module("word_embeddings", new EmbeddingTable(config.vocabSize(), h, std));
    positionEmbeddings =
        module("position_embeddings", new EmbeddingTable(config.maxPositions(), h, std));
    tokenTypeEmbeddings =
        module("token_type_embeddings", new EmbeddingTable(config.typeVocabSize(), h, std));
    layerNorm = module("LayerNorm", new LayerNormalization(h, config.layerNormEps()));
  }

  /** Returns the word embedding table (tied to the MLM decoder). */
  public EmbeddingTable wordEmbeddings() {
    return wordEmbeddings;
  }

  /**
   * Embeds a batch.
   *
   * @param ps the parameter store of this pass
   * @param input the batch; L must not exceed the number of position embeddings
   * @param training whether dropout is active
   * @return the embedding output, [B, L, H]
   */
  public NDArray forward(ParameterStore ps, BertInput input, boolean training) {
    long len = input.length();
    if (len > config.maxPositions()) {
      throw new IllegalArgumentException(
          "sequence length " + len + " exceeds the model's " + config.maxPositions() + " positions");
    }
    NDArray positions =
        input.inputIds().getManager().arange(0, len, 1, ai.djl.ndarray.types.DataType.INT64).reshape(1, len); // [1, L]
    NDArray words = wordEmbeddings.forward(ps, input.inputIds(), training); // [B, L, H]
    NDArray pos = positionEmbeddings.forward(ps, positions, training); // [1, L, H]
    NDArray types = tokenTypeEmbeddings.forward(ps, input.tokenTypeIds(), training); // [B, L, H]
    NDArray sum = words.add(pos).add(types); // [B, L, H]
    NDArray normed = layerNorm.forward(ps, sum, training); // [B, L, H]
    return HostDropout.apply(normed, config.hiddenDropout(), training);
  }
}
