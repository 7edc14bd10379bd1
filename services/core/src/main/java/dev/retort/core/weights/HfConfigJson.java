package dev.retort.core.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.model.Gelu;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads and writes Hugging Face {@code config.json} files of BERT models.
 *
 * <p>Missing encoder keys take Hugging Face's {@code BertConfig} defaults (BERT-base). Labels come
 * from {@code id2label} (ids must be 0..C-1), checked against {@code num_labels} and {@code
 * label2id} when those are present. Written files carry {@code model_type "bert"}, the
 * architectures, {@code pad_token_id 0} and {@code position_embedding_type "absolute"}, which
 * {@code transformers.BertForSequenceClassification.from_pretrained} needs.
 */
public final class HfConfigJson {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private HfConfigJson() {}

  /**
   * Reads a {@code config.json} file.
   *
   * @param file the file
   * @return the configuration
   * @throws RetortException naming the file and key for unreadable or inconsistent values
   */
  public static HfConfig read(Path file) {
    try {
      return parse(Files.readAllBytes(file), file.toString());
    } catch (IOException e) {
      throw new RetortException(file.toString(), "cannot read: " + e, "Check the path", e);
    }
  }

  /**
   * Parses {@code config.json} content.
   *
   * @param json the content
   * @param source a name for errors
   * @return the configuration
   */
  public static HfConfig parse(byte[] json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new RetortException(source, "is not valid JSON: " + e.getMessage(), "Fix the file", e);
    }
    if (root == null || !root.isObject()) {
      throw new RetortException(source, "is not a JSON object", "Fix the file");
    }
    String modelType = root.path("model_type").asText("bert");
    if (modelType.equals("retort_efficientbert")) {
      throw new RetortException(
          source,
          "belongs to an EfficientBERT student (model_type 'retort_efficientbert'), not a BERT model",
          "Load it in Python with transformers (AutoModelForSequenceClassification.from_pretrained("
              + "dir, trust_remote_code=True)); in Java, EfficientBertDirectory.read reads it");
    }
    if (!modelType.equals("bert")) {
      throw new RetortException(
          source + " key 'model_type'",
          "is '" + modelType + "'; only BERT models are supported",
          "Use a model with model_type \"bert\"");
    }
    String pet = root.path("position_embedding_type").asText("absolute");
    if (!pet.equals("absolute")) {
      throw new RetortException(
          source + " key 'position_embedding_type'",
          "is '" + pet + "'; only absolute is supported",
          "Use a model with absolute position embeddings");
    }
    String act = root.path("hidden_act").asText("gelu");
    Gelu gelu;
    try {
      gelu = Gelu.parse(act);
    } catch (IllegalArgumentException e) {
      throw new RetortException(
          source + " key 'hidden_act'",
          "activation '" + act + "' is not supported",
          "BERT models use gelu (erf) or gelu_new (tanh)");
    }
    BertConfig bert;
    try {
      bert =
          BertConfig.builder()
              .setVocabSize(intKey(root, "vocab_size", 30522, source))
              .setHiddenSize(intKey(root, "hidden_size", 768, source))
              .setNumLayers(intKey(root, "num_hidden_layers", 12, source))
              .setNumHeads(intKey(root, "num_attention_heads", 12, source))
              .setIntermediateSize(intKey(root, "intermediate_size", 3072, source))
              .optMaxPositions(intKey(root, "max_position_embeddings", 512, source))
              .optTypeVocabSize(intKey(root, "type_vocab_size", 2, source))
              .optGelu(gelu)
              .optHiddenDropout(floatKey(root, "hidden_dropout_prob", 0.1f, source))
              .optAttentionDropout(floatKey(root, "attention_probs_dropout_prob", 0.1f, source))
              .optLayerNormEps(floatKey(root, "layer_norm_eps", 1e-12f, source))
              .optInitializerRange(floatKey(root, "initializer_range", 0.02f, source))
              .build();
    } catch (RetortException e) {
      throw new RetortException(source + " " + e.where(), e.what(), e.fix(), e);
    }
    List<String> labels = labels(root, source);
    HfConfig.ProblemType pt = null;
    if (root.hasNonNull("problem_type")) {
      pt = HfConfig.ProblemType.parse(root.get("problem_type").asText());
      if (pt == null) {
        throw new RetortException(
            source + " key 'problem_type'",
            "unknown value " + root.get("problem_type"),
            "Use single_label_classification, multi_label_classification or regression");
      }
    }
    List<String> arch = new ArrayList<>();
    root.path("architectures").forEach(a -> arch.add(a.asText()));
    return new HfConfig(bert, labels, pt, arch);
  }

  private static List<String> labels(JsonNode root, String source) {
    JsonNode id2label = root.path("id2label");
    Integer numLabels =
        root.hasNonNull("num_labels") ? intKey(root, "num_labels", 0, source) : null;
    List<String> labels;
    if (id2label.isObject() && id2label.size() > 0) {
      String[] byId = new String[id2label.size()];
      var it = id2label.properties().iterator();
      while (it.hasNext()) {
        var e = it.next();
        int id;
        try {
          id = Integer.parseInt(e.getKey());
        } catch (NumberFormatException ex) {
          id = -1;
        }
        if (id < 0 || id >= byId.length || byId[id] != null) {
          throw new RetortException(
              source + " key 'id2label'",
              "id '" + e.getKey() + "' is not one of 0.." + (byId.length - 1),
              "Number the labels 0..C-1, each once");
        }
        byId[id] = e.getValue().asText();
      }
      labels = Arrays.asList(byId);
    } else {
      labels = numLabels == null ? List.of() : HfConfig.defaultLabels(numLabels);
    }
    if (numLabels != null && numLabels != labels.size()) {
      throw new RetortException(
          source + " key 'num_labels'",
          "is " + numLabels + " but id2label has " + labels.size() + " entries",
          "Make num_labels equal the number of labels");
    }
    JsonNode label2id = root.path("label2id");
    if (label2id.isObject() && label2id.size() > 0) {
      for (int i = 0; i < labels.size(); i++) {
        JsonNode id = label2id.get(labels.get(i));
        if (id == null || id.asInt(-1) != i || label2id.size() != labels.size()) {
          throw new RetortException(
              source + " key 'label2id'",
              "does not invert id2label (label '" + labels.get(i) + "' should map to " + i + ")",
              "Make label2id the inverse of id2label");
        }
      }
    }
    return labels;
  }

  private static int intKey(JsonNode root, String key, int dflt, String source) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt()) {
      throw new RetortException(
          source + " key '" + key + "'", "must be an integer, got " + n, "Fix the value");
    }
    return n.asInt();
  }

  private static float floatKey(JsonNode root, String key, float dflt, String source) {
    JsonNode n = root.get(key);
    if (n == null || n.isNull()) {
      return dflt;
    }
    if (!n.isNumber()) {
      throw new RetortException(
          source + " key '" + key + "'", "must be a number, got " + n, "Fix the value");
    }
    return (float) n.asDouble();
  }

  /**
   * Renders a configuration as a {@code config.json} tree (keys sorted as transformers writes
   * them).
   *
   * @param c the configuration
   * @return the JSON object
   */
  public static ObjectNode toJson(HfConfig c) {
    BertConfig b = c.bert();
    ObjectNode o = JSON.createObjectNode();
    var arch = o.putArray("architectures");
    c.architectures().forEach(arch::add);
    o.put("attention_probs_dropout_prob", exact(b.attentionDropout()));
    o.putNull("classifier_dropout");
    o.put("hidden_act", b.gelu().hfName());
    o.put("hidden_dropout_prob", exact(b.hiddenDropout()));
    o.put("hidden_size", b.hiddenSize());
    if (!c.labels().isEmpty()) {
      ObjectNode id2label = o.putObject("id2label");
      for (int i = 0; i < c.labels().size(); i++) {
        id2label.put(Integer.toString(i), c.labels().get(i));
      }
    }
    o.put("initializer_range", exact(b.initializerRange()));
    o.put("intermediate_size", b.intermediateSize());
    if (!c.labels().isEmpty()) {
      ObjectNode label2id = o.putObject("label2id");
      for (int i = 0; i < c.labels().size(); i++) {
        label2id.put(c.labels().get(i), i);
      }
    }
    o.put("layer_norm_eps", exact(b.layerNormEps()));
    o.put("max_position_embeddings", b.maxPositions());
    o.put("model_type", "bert");
    o.put("num_attention_heads", b.numHeads());
    o.put("num_hidden_layers", b.numLayers());
    if (!c.labels().isEmpty()) {
      o.put("num_labels", c.labels().size());
    }
    o.put("pad_token_id", 0);
    o.put("position_embedding_type", "absolute");
    if (c.problemType() != null) {
      o.put("problem_type", c.problemType().hfName());
    }
    o.put("torch_dtype", "float32");
    o.put("type_vocab_size", b.typeVocabSize());
    o.put("use_cache", true);
    o.put("vocab_size", b.vocabSize());
    return o;
  }

  /**
   * Writes {@code config.json}.
   *
   * @param file the target file
   * @param c the configuration
   * @throws IOException if writing fails
   */
  public static void write(Path file, HfConfig c) throws IOException {
    Files.writeString(file, toString(c));
  }

  /** Returns the pretty-printed JSON text of a configuration. */
  public static String toString(HfConfig c) {
    try {
      return JSON.writeValueAsString(toJson(c)) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Widens a float to the double with the same shortest decimal form (0.1f becomes 0.1). */
  private static double exact(float f) {
    return Double.parseDouble(Float.toString(f));
  }
}
