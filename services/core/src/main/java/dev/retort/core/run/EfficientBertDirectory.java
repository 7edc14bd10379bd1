package dev.retort.core.run;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.core.RetortException;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.ExprParser;
import dev.retort.core.efficientbert.ExprPrinter;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.StateDicts;
import dev.retort.core.weights.SafetensorsReader;
import dev.retort.core.weights.SafetensorsWriter;
import dev.retort.core.weights.TokenizerFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The directory of an EfficientBERT student, which both retort and Hugging Face {@code
 * transformers} load. It holds {@code efficientbert.json} (dimensions, the per-layer expressions,
 * options, head and labels), {@code model.safetensors} (every weight, head included) and {@code
 * vocab.txt}, from which {@link #read} rebuilds the model exactly. transformers has no EfficientBERT,
 * so the directory also carries its model code and a {@code config.json} naming it ({@link
 * EfficientBertTransformersFiles}): {@code AutoModelForSequenceClassification.from_pretrained(dir,
 * trust_remote_code=True)} loads the same weights and computes the same logits.
 */
public final class EfficientBertDirectory {
  /** The description file; its presence marks an EfficientBERT directory. */
  public static final String CONFIG_FILE = "efficientbert.json";

  private static final String WEIGHTS_FILE = "model.safetensors";
  private static final String VOCAB_FILE = "vocab.txt";
  private static final ObjectMapper JSON = new ObjectMapper();

  private EfficientBertDirectory() {}

  /**
   * Writes a student.
   *
   * @param dir the directory (created; files replaced)
   * @param s the student, with one classification or regression head
   * @throws IOException if writing fails
   * @throws IllegalArgumentException for a student with one head per domain
   */
  public static void write(Path dir, EfficientBertStudent s) throws IOException {
    if (s.model().head().multiDomain()) {
      // Neither read() nor the model code for transformers describes one head per domain.
      throw new IllegalArgumentException(
          "an EfficientBERT student with one head per domain cannot be saved as a directory:"
              + " give it one classification or regression head (a HeadConfig without domains)");
    }
    Files.createDirectories(dir);
    EfficientBertArch a = s.model().arch();
    HeadConfig head = s.model().head();
    ObjectNode n = JSON.createObjectNode();
    n.put("format", "retort-efficientbert-1");
    n.put("hidden_size", a.hiddenSize());
    n.put("num_heads", a.numHeads());
    n.put("embedding_size", a.embeddingSize());
    n.put("ffn_hidden_size", a.ffnHiddenSize());
    n.put("vocab_size", a.vocabSize());
    n.put("max_positions", a.maxPositions());
    n.put("type_vocab_size", a.typeVocabSize());
    n.put("fit_size", a.fitSize());
    n.putPOJO("ffn_expressions", a.layerExpressions().stream().map(ExprPrinter::print).toList());
    AutoBertOptions o = s.options();
    n.put("hidden_dropout", o.hiddenDropout());
    n.put("attention_dropout", o.attentionDropout());
    n.put("layer_norm_eps", o.layerNormEps());
    n.put("initializer_range", o.initializerRange());
    n.put("regression", head.regression());
    n.put("num_labels", head.numLabels());
    n.put("pooled_activation", head.pooledActivation().name().toLowerCase(Locale.ROOT));
    n.put("classifier_dropout", head.classifierDropout());
    n.putPOJO("labels", s.labels());
    n.put("lowercase", s.tokenizerFiles().lowercase());
    n.put("source", s.source());
    SafetensorsWriter.write(
        dir.resolve(WEIGHTS_FILE),
        StateDicts.toStateDict(s.model(), dir.toString()),
        Map.of("format", "pt")); // transformers reads only files that say they hold PyTorch tensors
    s.tokenizerFiles().writeVocabTxt(dir.resolve(VOCAB_FILE));
    EfficientBertTransformersFiles.write(dir, s);
    JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve(CONFIG_FILE).toFile(), n);
  }

  /**
   * Returns whether a directory was written by {@link #write}.
   *
   * @param dir the directory
   * @return whether it holds {@link #CONFIG_FILE}
   */
  public static boolean isEfficientBertDirectory(Path dir) {
    return Files.isRegularFile(dir.resolve(CONFIG_FILE));
  }

  /**
   * Reads a student written by {@link #write}.
   *
   * @param dir the directory
   * @param manager where the weights are allocated
   * @return the student, weights exactly as written
   * @throws RetortException if the directory is missing or not an EfficientBERT directory
   */
  public static EfficientBertStudent read(Path dir, NDManager manager) {
    if (!isEfficientBertDirectory(dir)) {
      throw new RetortException(
          dir.toString(),
          "is not an EfficientBERT model directory (no " + CONFIG_FILE + ")",
          "Point at the student/best or export directory of an EfficientBERT distillation run");
    }
    try {
      JsonNode n = JSON.readTree(dir.resolve(CONFIG_FILE).toFile());
      List<dev.retort.core.efficientbert.Expr> exprs = new ArrayList<>();
      n.get("ffn_expressions").forEach(e -> exprs.add(ExprParser.parse(e.asText())));
      EfficientBertArch arch =
          EfficientBertArch.builder()
              .setHiddenSize(n.get("hidden_size").asInt())
              .setLayerExpressions(exprs)
              .optNumHeads(n.get("num_heads").asInt())
              .optEmbeddingSize(n.get("embedding_size").asInt())
              .optFfnHiddenSize(n.get("ffn_hidden_size").asInt())
              .optVocabSize(n.get("vocab_size").asInt())
              .optMaxPositions(n.get("max_positions").asInt())
              .optTypeVocabSize(n.get("type_vocab_size").asInt())
              .optFitSize(n.get("fit_size").asInt())
              .build();
      AutoBertOptions options =
          new AutoBertOptions(
              (float) n.get("hidden_dropout").asDouble(),
              (float) n.get("attention_dropout").asDouble(),
              (float) n.get("layer_norm_eps").asDouble(),
              (float) n.get("initializer_range").asDouble());
      List<String> labels = new ArrayList<>();
      n.get("labels").forEach(l -> labels.add(l.asText()));
      HeadConfig head =
          new HeadConfig(
              n.get("num_labels").asInt(),
              n.get("regression").asBoolean(),
              List.of("default"),
              PooledActivation.valueOf(n.get("pooled_activation").asText().toUpperCase(Locale.ROOT)),
              (float) n.get("classifier_dropout").asDouble());
      EfficientBertModel model = new EfficientBertModel(arch, options, head);
      StateDicts.load(
          model, SafetensorsReader.read(dir.resolve(WEIGHTS_FILE)), manager, LoadPolicy.STRICT);
      TokenizerFiles tok =
          TokenizerFiles.fromVocabTxt(dir.resolve(VOCAB_FILE), n.get("lowercase").asBoolean());
      return new EfficientBertStudent(model, options, tok, labels, dir.toString());
    } catch (IOException | RuntimeException e) {
      if (e instanceof RetortException r) {
        throw r;
      }
      throw new RetortException(
          dir.resolve(CONFIG_FILE).toString(),
          "cannot be read: " + e.getMessage(),
          "Write the directory again with retort distill");
    }
  }
}
