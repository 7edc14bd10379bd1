package dev.retort.core.efficientbert;

import dev.retort.core.RetortException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The shape of an EfficientBERT model: dimensions plus one FFN expression per layer.
 *
 * <p>Each layer is {@code MHA -> FFN_1 -> ... -> FFN_A}, where A and the inner width {@code m =
 * int(I / B)} come from the layer's {@code linearA_B}, and every stacked FFN computes {@code
 * LayerNorm(x + f(x, wb1, wb2))} with its own weights. The embedding is MobileBERT's trigram
 * embedding (E = 128 per token, concatenated over 3 positions, projected to H).
 *
 * @param hiddenSize H
 * @param numHeads attention heads (12); must divide H
 * @param embeddingSize E, the token embedding width (128)
 * @param ffnHiddenSize I, the full inner FFN width the ratios apply to (H in EfficientBERT)
 * @param vocabSize V (30522, BERT uncased)
 * @param maxPositions position embeddings (512)
 * @param typeVocabSize segment embeddings (2)
 * @param fitSize width of the shared {@code fit_dense} distillation projection (768, the teacher's)
 * @param layerExpressions one FFN expression per layer, each with a sized {@code linearA_B}
 */
public record EfficientBertArch(
    int hiddenSize,
    int numHeads,
    int embeddingSize,
    int ffnHiddenSize,
    int vocabSize,
    int maxPositions,
    int typeVocabSize,
    int fitSize,
    List<Expr> layerExpressions) {

  /**
   * The six FFN expressions of the published EfficientBERT, layer 1 first (reference {@code
   * nas_finetune.sh} {@code FFN_EXPR}).
   */
  public static final List<String> PUBLISHED_FFN =
      List.of(
          "tanh(linear4_2(gelu(linear4_2(x,wb1)),wb2))",
          "elu(linear2_1(gelu(linear2_1(x,wb1)),wb2))",
          "sigmoid(linear1_2(relu(linear1_2(x,wb1)),wb2))",
          "linear2_2(gelu(linear2_2(max(x,tanh(x)),wb1)),wb2)",
          "linear1_2(relu(mul(linear1_2(x,wb1),x)),wb2)",
          "leaky_relu(linear2_3(gelu(linear2_3(x,wb1)),wb2))");

  /** Validates the dimensions and that every expression is valid and sized. */
  public EfficientBertArch {
    check(hiddenSize > 0, "hidden_size", "must be positive, got " + hiddenSize);
    check(numHeads > 0, "num_attn_heads", "must be positive, got " + numHeads);
    check(
        hiddenSize % Math.max(numHeads, 1) == 0,
        "hidden_size",
        "hidden size " + hiddenSize + " is not divisible by " + numHeads + " heads");
    check(embeddingSize > 0, "embed_size", "must be positive, got " + embeddingSize);
    check(ffnHiddenSize > 0, "ffn_hidden_size", "must be positive, got " + ffnHiddenSize);
    check(vocabSize > 0, "vocab_size", "must be positive, got " + vocabSize);
    check(maxPositions > 0, "position_size", "must be positive, got " + maxPositions);
    check(typeVocabSize > 0, "segment_size", "must be positive, got " + typeVocabSize);
    check(fitSize > 0, "fit_size", "must be positive, got " + fitSize);
    check(
        layerExpressions != null && !layerExpressions.isEmpty(),
        "ffn_expr",
        "needs one expression per layer");
    layerExpressions = List.copyOf(layerExpressions);
    for (int i = 0; i < layerExpressions.size(); i++) {
      checkLayer(i, layerExpressions.get(i), hiddenSize, ffnHiddenSize);
    }
  }

  private static void checkLayer(int layer, Expr expr, int hidden, int ffnHidden) {
    String where = "EfficientBERT layer " + (layer + 1) + " FFN expression '" + expr + "'";
    List<LinearSize> sizes = ExprTrees.linearSizes(expr);
    if (sizes.isEmpty() || sizes.get(0).isGeneric()) {
      throw new RetortException(
          where,
          "the expression has no sized linearA_B, so the layer's stack count and width are unknown",
          "Write linearA_B (e.g. linear2_2) instead of linear, or bind a size with"
              + " ExprTrees.withLinearSize");
    }
    List<ValidityRules.Rule> broken =
        ValidityRules.defaults().check(expr, hidden, sizes.get(0).innerWidth(ffnHidden));
    if (!broken.isEmpty()) {
      throw new RetortException(
          where,
          "the expression breaks the search-space rules "
              + broken.stream().map(Enum::name).collect(Collectors.joining(", ")),
          "Use an expression the search could produce, e.g. " + PUBLISHED_FFN.get(0));
    }
  }

  private static void check(boolean ok, String key, String what) {
    if (!ok) {
      throw new RetortException(
          "EfficientBERT config key '" + key + "'",
          what,
          "Fix the value or start from a preset (efficientBert, efficientBertTiny,"
              + " efficientBertPlusPlus)");
    }
  }

  /** Returns the number of transformer layers, one per expression. */
  public int numLayers() {
    return layerExpressions.size();
  }

  /**
   * Returns a layer's {@code linearA_B}.
   *
   * @param layer 0-based
   * @return the size of the layer's linears
   */
  public LinearSize linearSize(int layer) {
    return ExprTrees.firstLinearSize(layerExpressions.get(layer));
  }

  /** Returns every layer's {@code linearA_B}, layer 1 first. */
  public List<LinearSize> linearSizes() {
    List<LinearSize> out = new ArrayList<>();
    for (int i = 0; i < numLayers(); i++) {
      out.add(linearSize(i));
    }
    return List.copyOf(out);
  }

  /**
   * Returns a layer's inner FFN width {@code m = int(I / B)}.
   *
   * @param layer 0-based
   * @return m
   */
  public int innerWidth(int layer) {
    return linearSize(layer).innerWidth(ffnHiddenSize);
  }

  /**
   * Returns a copy with other per-layer expressions (and so possibly another layer count).
   *
   * @param expressions one sized expression per layer
   * @return the copy, validated
   */
  public EfficientBertArch withLayerExpressions(List<Expr> expressions) {
    return new EfficientBertArch(
        hiddenSize,
        numHeads,
        embeddingSize,
        ffnHiddenSize,
        vocabSize,
        maxPositions,
        typeVocabSize,
        fitSize,
        expressions);
  }

  /** Returns the parameter count, see {@link ParamCount#total(EfficientBertArch)}. */
  public long paramCount() {
    return ParamCount.total(this);
  }

  /** Returns a builder with EfficientBERT's defaults for everything but H and the expressions. */
  public static Builder builder() {
    return new Builder();
  }

  /** EfficientBERT: 6 layers, H 540, the six published expressions (15.74M parameters). */
  public static EfficientBertArch efficientBert() {
    return builder().setHiddenSize(540).setLayerExpressions(published(1)).build();
  }

  /** EfficientBERT-tiny: 6 layers, H 360, the six published expressions (9.38M parameters). */
  public static EfficientBertArch efficientBertTiny() {
    return builder().setHiddenSize(360).setLayerExpressions(published(1)).build();
  }

  /**
   * EfficientBERT++: 12 layers, H 360, each published expression used for 2 consecutive layers
   * (14.24M parameters).
   */
  public static EfficientBertArch efficientBertPlusPlus() {
    return builder().setHiddenSize(360).setLayerExpressions(published(2)).build();
  }

  private static List<Expr> published(int repeat) {
    List<Expr> out = new ArrayList<>();
    for (String text : PUBLISHED_FFN) {
      Expr expr = ExprParser.parse(text);
      for (int r = 0; r < repeat; r++) {
        out.add(expr);
      }
    }
    return out;
  }

  /** Builds an {@link EfficientBertArch}; {@code setX} values are required. */
  public static final class Builder {
    private int hiddenSize = -1;
    private List<Expr> layerExpressions;
    private int numHeads = 12;
    private int embeddingSize = 128;
    private int ffnHiddenSize = -1;
    private int vocabSize = 30522;
    private int maxPositions = 512;
    private int typeVocabSize = 2;
    private int fitSize = 768;

    private Builder() {}

    /** Sets H. */
    public Builder setHiddenSize(int h) {
      this.hiddenSize = h;
      return this;
    }

    /** Sets the per-layer FFN expressions; their count is the number of layers. */
    public Builder setLayerExpressions(List<Expr> expressions) {
      this.layerExpressions = expressions;
      return this;
    }

    /** Sets the number of attention heads (default 12). */
    public Builder optNumHeads(int heads) {
      this.numHeads = heads;
      return this;
    }

    /** Sets the token embedding width E (default 128). */
    public Builder optEmbeddingSize(int e) {
      this.embeddingSize = e;
      return this;
    }

    /** Sets the full inner FFN width I (default H). */
    public Builder optFfnHiddenSize(int i) {
      this.ffnHiddenSize = i;
      return this;
    }

    /** Sets the vocabulary size (default 30522). */
    public Builder optVocabSize(int v) {
      this.vocabSize = v;
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

    /** Sets the {@code fit_dense} output width (default 768). */
    public Builder optFitSize(int f) {
      this.fitSize = f;
      return this;
    }

    /**
     * Builds and validates the architecture.
     *
     * @return the architecture
     * @throws RetortException if H or the expressions are missing, or a value is out of range
     */
    public EfficientBertArch build() {
      if (hiddenSize < 0 || layerExpressions == null) {
        throw new RetortException(
            "EfficientBERT config",
            "hidden size and per-layer FFN expressions are required",
            "You must set both, or start from a preset");
      }
      return new EfficientBertArch(
          hiddenSize,
          numHeads,
          embeddingSize,
          ffnHiddenSize < 0 ? hiddenSize : ffnHiddenSize,
          vocabSize,
          maxPositions,
          typeVocabSize,
          fitSize,
          layerExpressions);
    }
  }
}
