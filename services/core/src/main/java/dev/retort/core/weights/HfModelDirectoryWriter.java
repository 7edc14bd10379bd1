package dev.retort.core.weights;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.retort.core.RetortException;
import dev.retort.core.io.DirectorySink;
import dev.retort.core.io.FileSink;
import dev.retort.core.model.BertConfig;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a fine-tuned BERT classifier as a Hugging Face model directory that {@code
 * transformers.BertForSequenceClassification.from_pretrained(dir)} and {@code
 * AutoTokenizer.from_pretrained(dir)} load: {@code config.json}, {@code model.safetensors} (with
 * {@code format: pt} metadata), {@code vocab.txt}, {@code tokenizer_config.json} and {@code
 * special_tokens_map.json}.
 *
 * <p>Only {@code bert.*} (encoder and pooler; the prefix is added if missing) and {@code
 * classifier.*} tensors are written; pre-training heads and anything else (distillation
 * projections) are left out. A {@code tokenizer.json} is not copied, because the one shipped with
 * some models has fixed padding built in; transformers builds a fast tokenizer from {@code
 * vocab.txt}.
 */
public final class HfModelDirectoryWriter {
  private static final Logger LOG = LoggerFactory.getLogger(HfModelDirectoryWriter.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private HfModelDirectoryWriter() {}

  /**
   * Writes a classifier, or a regression model if {@code labels} has one entry.
   *
   * @param dir the directory (created if needed; files in it are replaced)
   * @param config the encoder configuration
   * @param stateDict encoder, pooler and {@code classifier.weight} [C, H] / {@code classifier.bias}
   *     [C]
   * @param labels class names by id, C of them
   * @param tokenizer the vocabulary and lowercase flag
   * @throws IOException if writing fails
   */
  public static void write(
      Path dir,
      BertConfig config,
      StateDict stateDict,
      List<String> labels,
      TokenizerFiles tokenizer)
      throws IOException {
    HfConfig c =
        labels.size() == 1 ? HfConfig.regression(config) : HfConfig.classifier(config, labels);
    write(dir, c, stateDict, tokenizer);
  }

  /**
   * Writes a model directory.
   *
   * @param dir the directory (created if needed; files in it are replaced)
   * @param config the configuration with labels and problem type
   * @param stateDict the weights; see {@link #write(Path, BertConfig, StateDict, List,
   *     TokenizerFiles)}
   * @param tokenizer the vocabulary and lowercase flag
   * @throws IOException if writing fails
   * @throws RetortException if a tensor is missing or has the wrong shape
   */
  public static void write(Path dir, HfConfig config, StateDict stateDict, TokenizerFiles tokenizer)
      throws IOException {
    write(new DirectorySink(dir), config, stateDict, tokenizer);
  }

  /**
   * Writes a model directory's files to a sink: a directory, or a digest of the content.
   *
   * @param sink where the files go
   * @param config the configuration with labels and problem type
   * @param stateDict the weights; see {@link #write(Path, BertConfig, StateDict, List,
   *     TokenizerFiles)}
   * @param tokenizer the vocabulary and lowercase flag
   * @throws IOException if writing fails
   * @throws RetortException if a tensor is missing or has the wrong shape
   */
  public static void write(
      FileSink sink, HfConfig config, StateDict stateDict, TokenizerFiles tokenizer)
      throws IOException {
    StateDict out = exportedTensors(config, stateDict);
    if (tokenizer.size() > config.bert().vocabSize()) {
      throw new RetortException(
          "tokenizer",
          tokenizer.size() + " tokens do not fit vocab_size " + config.bert().vocabSize(),
          "Export with the tokenizer the model was trained with");
    }
    sink.writeString("config.json", HfConfigJson.toString(config));
    sink.write(HfModelDirectory.SAFETENSORS, ch -> SafetensorsWriter.write(ch, out, Map.of("format", "pt")));
    sink.writeString("vocab.txt", tokenizer.vocabTxt());
    sink.writeBytes(
        HfTokenizerConfig.TOKENIZER_CONFIG,
        JSON.writeValueAsBytes(
            HfTokenizerConfig.tokenizerConfig(tokenizer.lowercase(), config.bert().maxPositions())));
    sink.writeBytes(
        HfTokenizerConfig.SPECIAL_TOKENS_MAP,
        JSON.writeValueAsBytes(HfTokenizerConfig.specialTokensMap()));
    if (sink.stores()) {
      LOG.info("Wrote {} tensors ({} parameters) to {}", out.size(), out.totalElements(), sink);
    }
  }

  /** Selects, renames and checks the tensors to export. */
  static StateDict exportedTensors(HfConfig config, StateDict sd) {
    StateDict renamed = new StateDict(sd.source());
    List<String> dropped = new ArrayList<>();
    for (var e : sd.asMap().entrySet()) {
      String n = e.getKey();
      if (HfNames.isEncoderName(n)) {
        n = "bert." + n;
      }
      if ((n.startsWith("bert.") && !n.equals("bert.embeddings.position_ids"))
          || n.startsWith("classifier.")) {
        renamed.put(n, e.getValue().toF32());
      } else {
        dropped.add(n);
      }
    }
    if (!dropped.isEmpty()) {
      LOG.info("Not exported (not part of BertForSequenceClassification): {}", dropped);
    }
    BertConfig b = config.bert();
    BertLayout.check(b, renamed);
    for (String p : BertLayout.poolerShapes(b).keySet()) {
      if (!renamed.contains(p)) {
        throw new RetortException(
            sd.source() + " tensor '" + p + "'",
            "is missing; BertForSequenceClassification " + "classifies the pooled [CLS] state",
            "Export a model that has a pooler");
      }
    }
    int c = config.numLabels();
    checkShape(renamed, "classifier.weight", new long[] {c, b.hiddenSize()}); // [C, H]
    checkShape(renamed, "classifier.bias", new long[] {c}); // [C]
    return BertLayout.canonicalOrder(b, renamed);
  }

  private static void checkShape(StateDict sd, String name, long[] shape) {
    HostTensor t = sd.require(name);
    if (!Arrays.equals(t.shape(), shape)) {
      throw new RetortException(
          sd.source() + " tensor '" + name + "'",
          "has shape "
              + t.shapeString()
              + " but "
              + Arrays.toString(shape)
              + " is needed for "
              + shape[0]
              + " labels",
          "Pass as many labels as the classifier has outputs");
    }
  }
}
