package dev.retort.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.ExprPrinter;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.weights.HfTokenizerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The files that make an EfficientBERT directory loadable by Hugging Face {@code transformers}
 * with remote code ({@code AutoModelForSequenceClassification.from_pretrained(dir,
 * trust_remote_code=True)} and {@code AutoModel}, and {@code AutoTokenizer.from_pretrained(dir)}).
 *
 * <p>transformers has no EfficientBERT, so the directory carries its own model code: {@value
 * #MODELING_FILE}, a PyTorch module of retort's computation under retort's parameter names (a
 * resource of this package). {@code config.json} names it in {@code auto_map} and holds the
 * dimensions, the per-layer expressions with their stack counts and inner widths, dropout,
 * LayerNorm epsilon, the pooled activation and the labels. The weights are the directory's {@code
 * model.safetensors}, which retort reads too.
 */
final class EfficientBertTransformersFiles {
  /** The model code that {@code config.json}'s {@code auto_map} points to. */
  static final String MODELING_FILE = "modeling_retort_efficientbert.py";

  /** The {@code model_type} of the configuration. */
  static final String MODEL_TYPE = "retort_efficientbert";

  private static final String MODULE = "modeling_retort_efficientbert.";
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private EfficientBertTransformersFiles() {}

  /**
   * Writes {@code config.json}, {@value #MODELING_FILE}, {@code tokenizer_config.json} and {@code
   * special_tokens_map.json} into a directory that already has (or will have) the student's {@code
   * model.safetensors} and {@code vocab.txt}.
   *
   * @param dir the directory
   * @param s the student, with one classification or regression head
   * @throws IOException if writing fails
   */
  static void write(Path dir, EfficientBertStudent s) throws IOException {
    try (InputStream code = EfficientBertTransformersFiles.class.getResourceAsStream(MODELING_FILE)) {
      if (code == null) {
        throw new IOException(MODELING_FILE + " is missing from retort's core jar; rebuild it");
      }
      Files.copy(code, dir.resolve(MODELING_FILE), StandardCopyOption.REPLACE_EXISTING);
    }
    JSON.writeValue(dir.resolve("config.json").toFile(), config(s));
    JSON.writeValue(
        dir.resolve(HfTokenizerConfig.TOKENIZER_CONFIG).toFile(),
        HfTokenizerConfig.tokenizerConfig(
            s.tokenizerFiles().lowercase(), s.model().arch().maxPositions()));
    JSON.writeValue(
        dir.resolve(HfTokenizerConfig.SPECIAL_TOKENS_MAP).toFile(),
        HfTokenizerConfig.specialTokensMap());
  }

  /** Returns {@code config.json} for a student. */
  static ObjectNode config(EfficientBertStudent s) {
    EfficientBertArch a = s.model().arch();
    AutoBertOptions o = s.options();
    HeadConfig head = s.model().head();
    ObjectNode n = JSON.createObjectNode();
    n.putArray("architectures").add("RetortEfficientBertForSequenceClassification");
    ObjectNode autoMap = n.putObject("auto_map");
    autoMap.put("AutoConfig", MODULE + "RetortEfficientBertConfig");
    autoMap.put("AutoModel", MODULE + "RetortEfficientBertModel");
    autoMap.put(
        "AutoModelForSequenceClassification",
        MODULE + "RetortEfficientBertForSequenceClassification");
    n.put("model_type", MODEL_TYPE);
    n.put("vocab_size", a.vocabSize());
    n.put("hidden_size", a.hiddenSize());
    n.put("num_attention_heads", a.numHeads());
    n.put("num_hidden_layers", a.numLayers());
    n.put("embedding_size", a.embeddingSize());
    n.put("intermediate_size", a.ffnHiddenSize());
    n.put("max_position_embeddings", a.maxPositions());
    n.put("type_vocab_size", a.typeVocabSize());
    n.put("fit_size", a.fitSize());
    ArrayNode exprs = n.putArray("ffn_expressions");
    ArrayNode stacks = n.putArray("ffn_stacks");
    ArrayNode widths = n.putArray("ffn_inner_sizes");
    for (int l = 0; l < a.numLayers(); l++) {
      exprs.add(ExprPrinter.print(a.layerExpressions().get(l)));
      stacks.add(a.linearSize(l).stacks());
      widths.add(a.innerWidth(l));
    }
    n.put("hidden_dropout_prob", o.hiddenDropout());
    n.put("attention_probs_dropout_prob", o.attentionDropout());
    n.put("layer_norm_eps", o.layerNormEps());
    n.put("initializer_range", o.initializerRange());
    n.put(
        "pooled_activation",
        head.pooledActivation() == PooledActivation.RELU ? "relu" : "tanh");
    n.put("classifier_dropout", head.classifierDropout());
    n.put("pad_token_id", 0);
    labels(n, head, s.labels());
    return n;
  }

  private static void labels(ObjectNode n, HeadConfig head, List<String> labels) {
    n.put("num_labels", head.numLabels());
    n.put("problem_type", head.regression() ? "regression" : "single_label_classification");
    ObjectNode id2label = n.putObject("id2label");
    ObjectNode label2id = n.putObject("label2id");
    for (int c = 0; c < head.numLabels(); c++) {
      String name =
          !head.regression() && c < labels.size()
              ? labels.get(c)
              : String.format(Locale.ROOT, "LABEL_%d", c);
      id2label.put(String.valueOf(c), name);
      label2id.put(name, c);
    }
  }
}
