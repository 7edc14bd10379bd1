package dev.retort.core.weights;

import dev.retort.core.RetortException;
import dev.retort.core.model.BertConfig;
import dev.retort.core.tensor.StateDict;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Loads a BERT exported to ONNX (a {@code .onnx} file plus a {@code tokenizer.json}) as {@link
 * PretrainedWeights}.
 */
public final class OnnxBertLoader {
  private OnnxBertLoader() {}

  /**
   * Loads an ONNX file from disk.
   *
   * @param onnx the model file
   * @param tokenizerJson the tokenizer, or {@code null} to look for {@code X-tokenizer.json} or
   *     {@code tokenizer.json} next to {@code X.onnx}
   * @param heads the head count, or {@code null} to find it in the graph
   * @return the weights, configuration and tokenizer
   */
  public static PretrainedWeights load(Path onnx, Path tokenizerJson, Integer heads) {
    Path tok = tokenizerJson != null ? tokenizerJson : findTokenizer(onnx);
    if (!Files.isRegularFile(tok)) {
      throw new RetortException(
          tok.toString(),
          "tokenizer file not found",
          "Put tokenizer.json next to the model or give it: onnx:MODEL.onnx,tokenizer=PATH");
    }
    OnnxModel model = OnnxModelReader.read(onnx);
    return toWeights(model, TokenizerFiles.fromTokenizerJson(tok), heads, onnx.toString());
  }

  /**
   * Builds the weights from a decoded model and its tokenizer.
   *
   * @param model the decoded model
   * @param tokenizer the tokenizer files
   * @param heads the head count, or {@code null} to find it in the graph
   * @param source a name for errors
   * @return the weights in canonical order, checked against the inferred configuration
   */
  static PretrainedWeights toWeights(
      OnnxModel model, TokenizerFiles tokenizer, Integer heads, String source) {
    StateDict hf = OnnxBertMapper.toHf(model, source);
    BertConfig config = OnnxBertMapper.inferConfig(model, hf, heads);
    BertLayout.check(config, hf);
    if (tokenizer.size() != config.vocabSize()) {
      throw new RetortException(
          source,
          "the tokenizer has "
              + tokenizer.size()
              + " tokens but the word embeddings have "
              + config.vocabSize()
              + " rows",
          "Use the tokenizer.json exported with this model");
    }
    return new PretrainedWeights(config, BertLayout.canonicalOrder(config, hf), tokenizer, source);
  }

  private static Path findTokenizer(Path onnx) {
    String file = onnx.getFileName().toString();
    String base = file.endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
    Path dir = onnx.toAbsolutePath().getParent();
    Path named = dir.resolve(base + "-tokenizer.json");
    return Files.exists(named) ? named : dir.resolve("tokenizer.json");
  }
}
