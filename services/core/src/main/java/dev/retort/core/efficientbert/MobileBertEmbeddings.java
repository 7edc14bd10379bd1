package dev.retort.core.efficientbert;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.HostDropout;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.Dense;
import dev.retort.core.model.EmbeddingTable;
import dev.retort.core.model.HfModule;
import dev.retort.core.model.LayerNormalization;

/**
 * MobileBERT's trigram embedding as EfficientBERT uses it (reference {@code models/mobile_bert.py},
 * {@code MobileBertEmbedding}).
 *
 * <pre>
 * e_t  = token_embeddings[id_t]                          // [B, L, E], E = 128
 * tri  = [e_(t+1), e_t, e_(t-1)]   (zeros beyond the ends) // [B, L, 3E]
 * out  = dropout(LayerNorm(dense(tri) + position_embeddings[t] + segment_embeddings[s_t]))
 * </pre>
 *
 * <p>Parameters, named as in the reference: {@code token_embeddings.weight} [V, E], {@code
 * segment_embeddings.weight} [T, H], {@code position_embeddings.weight} [P, H], {@code
 * dense.weight} [H, 3E], {@code dense.bias} [H], {@code layernorm.weight/bias} [H]. The forward
 * contract is that of {@link dev.retort.core.model.BertEmbeddings}: a {@link BertInput} in, [B, L,
 * H] out.
 */
public final class MobileBertEmbeddings extends HfModule {
  private final int maxPositions;
  private final float dropout;
  private final EmbeddingTable tokenEmbeddings;
  private final EmbeddingTable segmentEmbeddings;
  private final EmbeddingTable positionEmbeddings;
  private final Dense dense;
  private final LayerNormalization layernorm;

  /**
   * Creates the embedding of {@code arch}.
   *
   * @param arch supplies V, E, H, P and T
   * @param options dropout, LayerNorm epsilon and initialiser
   */
  public MobileBertEmbeddings(EfficientBertArch arch, AutoBertOptions options) {
    this.maxPositions = arch.maxPositions();
    this.dropout = options.hiddenDropout();
    float std = options.initializerRange();
    int h = arch.hiddenSize();
    int e = arch.embeddingSize();
    tokenEmbeddings = module("token_embeddings", new EmbeddingTable(arch.vocabSize(), e, std));
    segmentEmbeddings =
        module("segment_embeddings", new EmbeddingTable(arch.typeVocabSize(), h, std));
    positionEmbeddings =
        module("position_embeddings", new EmbeddingTable(arch.maxPositions(), h, std));
    dense = module("dense", new Dense(3 * e, h, std));
    layernorm = module("layernorm", new LayerNormalization(h, options.layerNormEps()));
  }

  /** Returns the token table, [V, E]. */
  public EmbeddingTable tokenEmbeddings() {
    return tokenEmbeddings;
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
    if (len > maxPositions) {
      throw new IllegalArgumentException(
          "sequence length " + len + " exceeds the model's " + maxPositions + " positions");
    }
    NDArray tokens = tokenEmbeddings.forward(ps, input.inputIds(), training); // [B, L, E]
    NDArray tri = trigram(tokens); // [B, L, 3E]
    NDArray positions =
        input.inputIds().getManager().arange(0, len, 1, DataType.INT64).reshape(1, len); // [1, L]
    NDArray sum =
        dense
            .forward(ps, tri, training) // [B, L, H]
            .add(segmentEmbeddings.forward(ps, input.tokenTypeIds(), training)) // [B, L, H]
            .add(positionEmbeddings.forward(ps, positions, training)); // [B, L, H]
    NDArray normed = layernorm.forward(ps, sum, training); // [B, L, H]
    return HostDropout.apply(normed, dropout, training); // [B, L, H]
  }

  /**
   * Concatenates each position's right neighbour, itself and its left neighbour, with zero vectors
   * beyond the sequence ends.
   *
   * @param e the token embeddings, [B, L, E]
   * @return {@code [e_(t+1), e_t, e_(t-1)]}, [B, L, 3E]
   */
  static NDArray trigram(NDArray e) {
    Shape s = e.getShape();
    NDArray zero = e.getManager().zeros(new Shape(s.get(0), 1, s.get(2)), e.getDataType());
    NDArray next =
        NDArrays.concat(new NDList(e.get(new NDIndex(":, 1:, :")), zero), 1); // [B, L, E]
    NDArray prev =
        NDArrays.concat(new NDList(zero, e.get(new NDIndex(":, :-1, :"))), 1); // [B, L, E]
    return NDArrays.concat(new NDList(next, e, prev), 2); // [B, L, 3E]
  }
}
