package dev.retort.core.model;

import dev.retort.core.RetortException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The shape of a BERT encoder: an immutable value, built with {@link #builder()} or taken from a
 * preset, and validated on construction.
 *
 * <p>Field names follow Hugging Face's {@code BertConfig} so that {@code config.json} maps one to
 * one (see {@code HfConfigJson}).
 *
 * @param vocabSize number of WordPiece tokens, V
 * @param hiddenSize width of every hidden state, H
 * @param numLayers number of transformer layers
 * @param numHeads attention heads per layer, A; must divide H
 * @param intermediateSize width of the feed-forward layer, I
 * @param maxPositions number of learned position embeddings (longest input)
 * @param typeVocabSize number of segment (token type) embeddings, 2 for BERT
 * @param gelu which GELU the feed-forward layer uses
 * @param hiddenDropout dropout on embeddings and on every sub-layer output
 * @param attentionDropout dropout on the attention probabilities
 * @param layerNormEps epsilon of every LayerNorm (1e-12 in BERT)
 * @param initializerRange standard deviation of the normal initialiser for fresh weights
 */
public record BertConfig(
    int vocabSize,
    int hiddenSize,
    int numLayers,
    int numHeads,
    int intermediateSize,
    int maxPositions,
    int typeVocabSize,
    Gelu gelu,
    float hiddenDropout,
    float attentionDropout,
    float layerNormEps,
    float initializerRange) {

  /** BERT's WordPiece vocabulary size, shared by BERT-base uncased, MiniLM and bge-small. */
  public static final int BERT_UNCASED_VOCAB = 30522;

  /** Validates the configuration; see {@link Builder#build()}. */
  public BertConfig {
    check(vocabSize > 0, "vocab_size", "must be positive, got " + vocabSize);
    check(hiddenSize > 0, "hidden_size", "must be positive, got " + hiddenSize);
    check(numLayers > 0, "num_hidden_layers", "must be positive, got " + numLayers);
    check(numHeads > 0, "num_attention_heads", "must be positive, got " + numHeads);
    check(
        hiddenSize % Math.max(numHeads, 1) == 0,
        "hidden_size",
        String.format(
            Locale.ROOT,
            "hidden size %d is not divisible by %d attention heads (%d/%d = %.2f)",
            hiddenSize,
            numHeads,
            hiddenSize,
            numHeads,
            hiddenSize / (double) Math.max(numHeads, 1)));
    check(intermediateSize > 0, "intermediate_size", "must be positive, got " + intermediateSize);
    check(maxPositions > 0, "max_position_embeddings", "must be positive, got " + maxPositions);
    check(typeVocabSize > 0, "type_vocab_size", "must be positive, got " + typeVocabSize);
    check(gelu != null, "hidden_act", "must be set");
    check(
        hiddenDropout >= 0 && hiddenDropout < 1,
        "hidden_dropout_prob",
        "must be in [0, 1), got " + hiddenDropout);
    check(
        attentionDropout >= 0 && attentionDropout < 1,
        "attention_probs_dropout_prob",
        "must be in [0, 1), got " + attentionDropout);
    check(layerNormEps > 0, "layer_norm_eps", "must be positive, got " + layerNormEps);
    check(initializerRange > 0, "initializer_range", "must be positive, got " + initializerRange);
  }

  private static void check(boolean ok, String key, String what) {
    if (!ok) {
      throw new RetortException(
          "model config key '" + key + "'",
          what,
          "Fix the value in the model config or pick a preset (" + String.join(", ", PRESETS.keySet()) + ")");
    }
  }

  /** Returns the width of one attention head, D = H / A. */
  public int headSize() {
    return hiddenSize / numHeads;
  }

  /** Returns a builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder()
        .setVocabSize(vocabSize)
        .setHiddenSize(hiddenSize)
        .setNumLayers(numLayers)
        .setNumHeads(numHeads)
        .setIntermediateSize(intermediateSize)
        .optMaxPositions(maxPositions)
        .optTypeVocabSize(typeVocabSize)
        .optGelu(gelu)
        .optHiddenDropout(hiddenDropout)
        .optAttentionDropout(attentionDropout)
        .optLayerNormEps(layerNormEps)
        .optInitializerRange(initializerRange);
  }

  /** Returns a copy with both dropout rates set to {@code p}. */
  public BertConfig withDropout(float p) {
    return toBuilder().optHiddenDropout(p).optAttentionDropout(p).build();
  }

  /** Returns a copy with another GELU variant. */
  public BertConfig withGelu(Gelu g) {
    return toBuilder().optGelu(g).build();
  }

  /** Returns a copy with another layer count. */
  public BertConfig withNumLayers(int n) {
    return toBuilder().setNumLayers(n).build();
  }

  /** Returns a new builder with BERT-base's optional values (512 positions, erf GELU, 0.1 dropout). */
  public static Builder builder() {
    return new Builder();
  }

  /** Google's BERT-base: 12 layers, H 768, 12 heads, I 3072 (110M parameters). */
  public static BertConfig bertBase() {
    return builder()
        .setVocabSize(BERT_UNCASED_VOCAB)
        .setHiddenSize(768)
        .setNumLayers(12)
        .setNumHeads(12)
        .setIntermediateSize(3072)
        .build();
  }

  /** TinyBERT's 4-layer student (General TinyBERT v2): H 312, 12 heads of 26, I 1200. */
  public static BertConfig tinyBert4L312() {
    return builder()
        .setVocabSize(BERT_UNCASED_VOCAB)
        .setHiddenSize(312)
        .setNumLayers(4)
        .setNumHeads(12)
        .setIntermediateSize(1200)
        .build();
  }

  /** TinyBERT's 6-layer student: BERT-base width with 6 layers. */
  public static BertConfig tinyBert6L768() {
    return bertBase().withNumLayers(6);
  }

  /** all-MiniLM-L6-v2: 6 layers, H 384, 12 heads of 32, I 1536. */
  public static BertConfig miniLmL6H384() {
    return builder()
        .setVocabSize(BERT_UNCASED_VOCAB)
        .setHiddenSize(384)
        .setNumLayers(6)
        .setNumHeads(12)
        .setIntermediateSize(1536)
        .build();
  }

  /** bge-small-en-v1.5: 12 layers, H 384, 12 heads, I 1536. */
  public static BertConfig bgeSmall() {
    return miniLmL6H384().withNumLayers(12);
  }

  /**
   * A tiny encoder for tests: BERT's vocabulary, 2 layers, H 32, 4 heads, I 64, 128 positions.
   * Fast enough for finite-difference gradient checks.
   */
  public static BertConfig tiny() {
    return builder()
        .setVocabSize(BERT_UNCASED_VOCAB)
        .setHiddenSize(32)
        .setNumLayers(2)
        .setNumHeads(4)
        .setIntermediateSize(64)
        .optMaxPositions(128)
        .build();
  }

  private static final Map<String, java.util.function.Supplier<BertConfig>> PRESETS = new TreeMap<>();

  static {
    PRESETS.put("bert-base", BertConfig::bertBase);
    PRESETS.put("tinybert-4l-312", BertConfig::tinyBert4L312);
    PRESETS.put("tinybert-6l-768", BertConfig::tinyBert6L768);
    PRESETS.put("minilm-l6-h384", BertConfig::miniLmL6H384);
    PRESETS.put("bge-small", BertConfig::bgeSmall);
    PRESETS.put("tiny", BertConfig::tiny);
  }

  /** Returns the names {@link #preset(String)} accepts. */
  public static java.util.Set<String> presetNames() {
    return java.util.Collections.unmodifiableSet(PRESETS.keySet());
  }

  /**
   * Returns a preset by name.
   *
   * @param name one of {@link #presetNames()}
   * @return the configuration
   * @throws RetortException naming the known presets if {@code name} is not one
   */
  public static BertConfig preset(String name) {
    var p = PRESETS.get(name.toLowerCase(Locale.ROOT));
    if (p == null) {
      throw new RetortException(
          "model preset '" + name + "'",
          "unknown preset",
          "Use one of " + String.join(", ", PRESETS.keySet()));
    }
    return p.get();
  }

  /** Builds a {@link BertConfig}; {@code setX} values are required, {@code optX} have defaults. */
  public static final class Builder {
    private int vocabSize = -1;
    private int hiddenSize = -1;
    private int numLayers = -1;
    private int numHeads = -1;
    private int intermediateSize = -1;
    private int maxPositions = 512;
    private int typeVocabSize = 2;
    private Gelu gelu = Gelu.ERF;
    private float hiddenDropout = 0.1f;
    private float attentionDropout = 0.1f;
    private float layerNormEps = 1e-12f;
    private float initializerRange = 0.02f;

    private Builder() {}

    /** Sets V. */
    public Builder setVocabSize(int v) {
      this.vocabSize = v;
      return this;
    }

    /** Sets H. */
    public Builder setHiddenSize(int h) {
      this.hiddenSize = h;
      return this;
    }

    /** Sets the number of layers. */
    public Builder setNumLayers(int n) {
      this.numLayers = n;
      return this;
    }

    /** Sets A. */
    public Builder setNumHeads(int a) {
      this.numHeads = a;
      return this;
    }

    /** Sets I. */
    public Builder setIntermediateSize(int i) {
      this.intermediateSize = i;
      return this;
    }

    /** Sets the number of position embeddings (default 512). */
    public Builder optMaxPositions(int p) {
      this.maxPositions = p;
      return this;
    }

    /** Sets the number of segment embeddings (default 2). */
    public Builder optTypeVocabSize(int t) {
      this.typeVocabSize = t;
      return this;
    }

    /** Sets the GELU variant (default erf). */
    public Builder optGelu(Gelu g) {
      this.gelu = g;
      return this;
    }

    /** Sets the hidden dropout (default 0.1). */
    public Builder optHiddenDropout(float p) {
      this.hiddenDropout = p;
      return this;
    }

    /** Sets the attention-probability dropout (default 0.1). */
    public Builder optAttentionDropout(float p) {
      this.attentionDropout = p;
      return this;
    }

    /** Sets the LayerNorm epsilon (default 1e-12). */
    public Builder optLayerNormEps(float eps) {
      this.layerNormEps = eps;
      return this;
    }

    /** Sets the initialiser's standard deviation (default 0.02). */
    public Builder optInitializerRange(float r) {
      this.initializerRange = r;
      return this;
    }

    /**
     * Builds and validates the configuration.
     *
     * @return the configuration
     * @throws RetortException if a required value is missing or the values do not fit together
     */
    public BertConfig build() {
      if (vocabSize < 0 || hiddenSize < 0 || numLayers < 0 || numHeads < 0 || intermediateSize < 0) {
        throw new RetortException(
            "model config",
            "vocab size, hidden size, layers, heads and intermediate size are all required",
            "You must set each of them, or start from a preset");
      }
      return new BertConfig(
          vocabSize,
          hiddenSize,
          numLayers,
          numHeads,
          intermediateSize,
          maxPositions,
          typeVocabSize,
          gelu,
          hiddenDropout,
          attentionDropout,
          layerNormEps,
          initializerRange);
    }
  }
}
