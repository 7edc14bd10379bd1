package dev.retort.core.model;

import ai.djl.ndarray.NDArray;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.List;

/**
 * The BERT encoder with its pooler (Hugging Face {@code BertModel}): children {@code embeddings},
 * {@code encoder}, {@code pooler}. Parameter names equal Hugging Face's, so a {@code bert.}-prefixed
 * checkpoint loads name for name.
 */
public final class BertModel extends HfModule {
  private final BertConfig config;
  private final BertEmbeddings embeddings;
  private final BertEncoder encoder;
  private final BertPooler pooler;

  /** Creates an uninitialised model of {@code config}. */
  public BertModel(BertConfig config) {
    this.config = config;
    embeddings = module("embeddings", new BertEmbeddings(config));
    encoder = module("encoder", new BertEncoder(config));
    pooler = module("pooler", new BertPooler(config));
  }

  /** Returns the configuration. */
  public BertConfig config() {
    return config;
  }

  /** Returns the embeddings. */
  public BertEmbeddings embeddings() {
    return embeddings;
  }

  /** Returns the encoder. */
  public BertEncoder encoder() {
    return encoder;
  }

  /**
   * Runs the encoder and the pooler. See {@link BertOutputs} for the order and shapes of the taps.
   *
   * @param ps the parameter store of this pass
   * @param input the batch
   * @param taps which intermediate tensors to return
   * @param training whether dropout is active
   * @return the outputs, with {@code logits} null
   */
  public BertOutputs forward(ParameterStore ps, BertInput input, Taps taps, boolean training) {
    NDArray mask = input.additiveMask(); // [B, 1, 1, L]
    NDArray emb = embeddings.forward(ps, input, training); // [B, L, H]
    List<NDArray> hidden = new ArrayList<>();
    List<NDArray> scores = new ArrayList<>();
    List<NDArray> probs = new ArrayList<>();
    if (taps.hiddenStates()) {
      hidden.add(emb);
    }
    NDArray last = encoder.forward(ps, emb, mask, taps, training, hidden, scores, probs);
    NDArray pooled = pooler.forward(ps, last, training); // [B, H]
    return new BertOutputs(hidden, scores, probs, last, pooled, null);
  }
}
