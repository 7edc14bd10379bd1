package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.Gelu;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parameter names and shapes of Hugging Face's {@code BertForPreTraining} in PyTorch layout
 * (Linear weights [out, in]), which every weight reader produces.
 *
 * <p>Three groups: the encoder ({@code bert.embeddings.*}, {@code bert.encoder.layer.N.*}), always
 * required; the pooler ({@code bert.pooler.dense.*}); and the masked-LM head ({@code
 * cls.predictions.*}, whose decoder weight is tied to the word embeddings). Sentence-embedding
 * exports lack the MLM head and some lack the pooler, so those two groups are optional but must be
 * complete when present.
 */
public final class BertLayout {
  /** The prefix of encoder parameters. */
  public static final String PREFIX = "bert.";

  private BertLayout() {}

  /**
   * Returns the encoder's parameter shapes, in a stable order.
   *
   * @param c the configuration
   * @return names to shapes for embeddings and all layers
   */
  public static Map<String, long[]> encoderShapes(BertConfig c) {
    long h = c.hiddenSize();
    long i = c.intermediateSize();
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("bert.embeddings.word_embeddings.weight", new long[] {c.vocabSize(), h}); // [V, H]
    m.put("bert.embeddings.position_embeddings.weight", new long[] {c.maxPositions(), h});
    m.put("bert.embeddings.token_type_embeddings.weight", new long[] {c.typeVocabSize(), h});
    m.put("bert.embeddings.LayerNorm.weight", new long[] {h});
    m.put("bert.embeddings.LayerNorm.bias", new long[] {h});
    for (int l = 0; l < c.numLayers(); l++) {
      String p = "bert.encoder.layer." + l + ".";
      for (String qkv : new String[] {"query", "key", "value"}) {
        m.put(p + "attention.self." + qkv + ".weight", new long[] {h, h}); // [H, H]
        m.put(p + "attention.self." + qkv + ".bias", new long[] {h});
      }
      m.put(p + "attention.output.dense.weight", new long[] {h, h});
      m.put(p + "attention.output.dense.bias", new long[] {h});
      m.put(p + "attention.output.LayerNorm.weight", new long[] {h});
      m.put(p + "attention.output.LayerNorm.bias", new long[] {h});
      m.put(p + "intermediate.dense.weight", new long[] {i, h}); // [I, H]
      m.put(p + "intermediate.dense.bias", new long[] {i});
      m.put(p + "output.dense.weight", new long[] {h, i}); // [H, I]
      m.put(p + "output.dense.bias", new long[] {h});
      m.put(p + "output.LayerNorm.weight", new long[] {h});
      m.put(p + "output.LayerNorm.bias", new long[] {h});
    }
    return m;
  }

  /** Returns the pooler's parameter shapes. */
  public static Map<String, long[]> poolerShapes(BertConfig c) {
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("bert.pooler.dense.weight", new long[] {c.hiddenSize(), c.hiddenSize()});
    m.put("bert.pooler.dense.bias", new long[] {c.hiddenSize()});
    return m;
  }

  /** Returns the masked-LM head's parameter shapes (the decoder weight is tied, so absent). */
  public static Map<String, long[]> mlmHeadShapes(BertConfig c) {
    long h = c.hiddenSize();
    Map<String, long[]> m = new LinkedHashMap<>();
    m.put("cls.predictions.transform.dense.weight", new long[] {h, h});
    m.put("cls.predictions.transform.dense.bias", new long[] {h});
    m.put("cls.predictions.transform.LayerNorm.weight", new long[] {h});
    m.put("cls.predictions.transform.LayerNorm.bias", new long[] {h});
    m.put("cls.predictions.bias", new long[] {c.vocabSize()});
    return m;
  }

  /** Returns whether the state dict holds the pooler. */
  public static boolean hasPooler(StateDict sd) {
    return sd.contains("bert.pooler.dense.weight");
  }

  /** Returns whether the state dict holds the masked-LM head. */
  public static boolean hasMlmHead(StateDict sd) {
    return sd.contains("cls.predictions.bias");
  }

  /**
   * Checks that the encoder is complete, that the pooler and MLM head are complete if present, and
   * that every one of those tensors has the shape {@code c} implies.
   *
   * @param c the configuration
   * @param sd the weights
   * @throws RetortException naming the first missing or misshapen tensor
   */
  public static void check(BertConfig c, StateDict sd) {
    checkGroup(encoderShapes(c), sd, c);
    if (sd.contains("bert.pooler.dense.weight") || sd.contains("bert.pooler.dense.bias")) {
      checkGroup(poolerShapes(c), sd, c);
    }
    if (sd.names().stream().anyMatch(n -> n.startsWith("cls.predictions."))) {
      checkGroup(mlmHeadShapes(c), sd, c);
    }
  }

  private static void checkGroup(Map<String, long[]> shapes, StateDict sd, BertConfig c) {
    for (var e : shapes.entrySet()) {
      HostTensor t = sd.require(e.getKey());
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new RetortException(
            sd.source() + " tensor '" + e.getKey() + "'",
            "has shape "
                + t.shapeString()
                + " but the configuration ("
                + describe(c)
                + ") needs "
                + Arrays.toString(e.getValue()),
            "Check that config.json matches the weights");
      }
    }
  }

  /**
   * Returns the same tensors in the canonical order: encoder, pooler, MLM head, then the rest in
   * their original order.
   *
   * @param c the configuration
   * @param sd the weights
   * @return a new state dict with the same source and metadata
   */
  public static StateDict canonicalOrder(BertConfig c, StateDict sd) {
    StateDict out = new StateDict(sd.source());
    out.metadata().putAll(sd.metadata());
    for (Map<String, long[]> group : List.of(encoderShapes(c), poolerShapes(c), mlmHeadShapes(c))) {
      for (String name : group.keySet()) {
        if (sd.contains(name)) {
          out.put(name, sd.get(name));
        }
      }
    }
    sd.asMap()
        .forEach(
            (k, v) -> {
              if (!out.contains(k)) {
                out.put(k, v);
              }
            });
    return out;
  }

  /**
   * Infers a configuration from tensor shapes: V, P, T and H from the embeddings, I from the first
   * feed-forward layer, the layer count from the highest layer index. Heads and the activation are
   * not in the weights, so they are arguments.
   *
   * @param sd weights with Hugging Face names ({@code bert.} prefix)
   * @param numHeads attention heads, A
   * @param gelu the activation the model was trained with
   * @return the configuration, with BERT's defaults for dropout and epsilon
   * @throws RetortException if an embedding or the first layer is missing
   */
  public static BertConfig inferConfig(StateDict sd, int numHeads, Gelu gelu) {
    HostTensor word = sd.require("bert.embeddings.word_embeddings.weight"); // [V, H]
    HostTensor pos = sd.require("bert.embeddings.position_embeddings.weight"); // [P, H]
    HostTensor type = sd.require("bert.embeddings.token_type_embeddings.weight"); // [T, H]
    HostTensor ffn = sd.require("bert.encoder.layer.0.intermediate.dense.weight"); // [I, H]
    int layers = 0;
    while (sd.contains("bert.encoder.layer." + layers + ".attention.self.query.weight")) {
      layers++;
    }
    return BertConfig.builder()
        .setVocabSize((int) word.dim(0))
        .setHiddenSize((int) word.dim(1))
        .setNumLayers(layers)
        .setNumHeads(numHeads)
        .setIntermediateSize((int) ffn.dim(0))
        .optMaxPositions((int) pos.dim(0))
        .optTypeVocabSize((int) type.dim(0))
        .optGelu(gelu)
        .build();
  }

  /** Returns a one-line summary such as {@code 12 layers, H 768, 12 heads, I 3072, V 30522}. */
  public static String describe(BertConfig c) {
    return c.numLayers()
        + " layers, H "
        + c.hiddenSize()
        + ", "
        + c.numHeads()
        + " heads, I "
        + c.intermediateSize()
        + ", V "
        + c.vocabSize()
        + ", P "
        + c.maxPositions();
  }
}
