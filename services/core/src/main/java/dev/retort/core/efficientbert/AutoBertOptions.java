package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.Gelu;

/**
 * The training-time settings of an EfficientBERT model that {@link EfficientBertArch} does not
 * describe: dropout rates, the LayerNorm epsilon and the initialiser's spread.
 *
 * <p>The reference code ({@code models/configs.py}, {@code AutoBertConfig}) uses dropout 0.1 on
 * hidden states and attention probabilities, PyTorch's default {@code nn.LayerNorm} epsilon {@code
 * 1e-5} (not BERT's {@code 1e-12}) and N(0, 0.02²) for fresh weights; {@link #reference()} returns
 * exactly these.
 *
 * @param hiddenDropout dropout on embeddings, sub-layer outputs and the pooled output
 * @param attentionDropout dropout on the attention probabilities
 * @param layerNormEps epsilon of every LayerNorm
 * @param initializerRange standard deviation of the normal initialiser
 */
public record AutoBertOptions(
    float hiddenDropout, float attentionDropout, float layerNormEps, float initializerRange) {

  /** Validates the ranges. */
  public AutoBertOptions {
    check(hiddenDropout >= 0 && hiddenDropout < 1, "hidden_dropout_prob", hiddenDropout);
    check(attentionDropout >= 0 && attentionDropout < 1, "attn_dropout_prob", attentionDropout);
    check(layerNormEps > 0, "layer_norm_eps", layerNormEps);
    check(initializerRange > 0, "initializer_range", initializerRange);
  }

  private static void check(boolean ok, String key, float value) {
    if (!ok) {
      throw new RetortException(
          "EfficientBERT option '" + key + "'",
          "value " + value + " is out of range",
          "Use a dropout in [0, 1) and a positive epsilon and initializer range, or"
              + " AutoBertOptions.reference()");
    }
  }

  /** Returns the reference code's settings: dropout 0.1, LayerNorm epsilon 1e-5, std 0.02. */
  public static AutoBertOptions reference() {
    return new AutoBertOptions(0.1f, 0.1f, 1e-5f, 0.02f);
  }

  /** Returns a copy with both dropout rates set to {@code p}. */
  public AutoBertOptions withDropout(float p) {
    return new AutoBertOptions(p, p, layerNormEps, initializerRange);
  }

  /**
   * Returns the {@link BertConfig} that the shared BERT blocks (attention, pooler) of {@code arch}
   * are built from: H, heads, dropout, epsilon and initialiser from here; the FFN fields of the
   * result are unused by those blocks.
   *
   * @param arch the model's dimensions
   * @return the configuration
   */
  public BertConfig bertConfig(EfficientBertArch arch) {
    return BertConfig.builder()
        .setVocabSize(arch.vocabSize())
        .setHiddenSize(arch.hiddenSize())
        .setNumLayers(arch.numLayers())
        .setNumHeads(arch.numHeads())
        .setIntermediateSize(arch.ffnHiddenSize())
        .optMaxPositions(arch.maxPositions())
        .optTypeVocabSize(arch.typeVocabSize())
        .optGelu(Gelu.TANH)
        .optHiddenDropout(hiddenDropout)
        .optAttentionDropout(attentionDropout)
        .optLayerNormEps(layerNormEps)
        .optInitializerRange(initializerRange)
        .build();
  }
}
