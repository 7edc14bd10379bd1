package dev.retort.core.model;

import ai.djl.training.ParameterStore;

/**
 * BERT with its masked-language-model head: children {@code bert} (with pooler, as in Google's
 * checkpoints) and {@code cls.predictions}. Used to check pretrained weights end to end ("the
 * capital of france is [MASK]." must predict "paris").
 */
public final class BertForMaskedLM extends HfModule {
  private final BertModel bert;
  private final Cls cls;

  /** Creates an uninitialised model of {@code config}. */
  public BertForMaskedLM(BertConfig config) {
    bert = module("bert", new BertModel(config));
    cls = module("cls", new Cls(config));
  }

  /** Returns the encoder. */
  public BertModel bert() {
    return bert;
  }

  /**
   * Runs the encoder and the MLM head.
   *
   * @param ps the parameter store of this pass
   * @param input the batch
   * @param taps which intermediate tensors to return
   * @param training whether dropout is active
   * @return the outputs with logits [B, L, V]
   */
  public BertOutputs forward(ParameterStore ps, BertInput input, Taps taps, boolean training) {
    BertOutputs out = bert.forward(ps, input, taps, training);
    var emb = value(ps, bert.embeddings().wordEmbeddings().weight(), training); // [V, H]
    return out.withLogits(cls.predictions.forward(ps, out.sequenceOutput(), emb, training));
  }

  /** The {@code cls} child, holding {@code predictions}. */
  static final class Cls extends HfModule {
    final BertMlmHead predictions;

    Cls(BertConfig config) {
      predictions = module("predictions", new BertMlmHead(config));
    }
  }
}
