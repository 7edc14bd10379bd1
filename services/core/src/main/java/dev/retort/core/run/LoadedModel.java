package dev.retort.core.run;

import dev.retort.core.model.BertConfig;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadReport;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import dev.retort.core.weights.TokenizerFiles;
import java.util.List;

/**
 * A sequence model with its weights in memory and the tokenizer it was trained with.
 *
 * @param model the model (weights owned by the caller's manager)
 * @param tokenizerFiles the vocabulary and casing
 * @param labels the label names by id (one entry for regression)
 * @param source where the weights came from
 * @param report what loading copied and what stayed fresh
 */
public record LoadedModel(
    BertForSequenceClassification model,
    TokenizerFiles tokenizerFiles,
    List<String> labels,
    String source,
    LoadReport report) {

  /** Copies the labels. */
  public LoadedModel {
    labels = List.copyOf(labels);
  }

  /** Returns the encoder configuration. */
  public BertConfig config() {
    return model.config();
  }

  /** Returns the head configuration. */
  public HeadConfig head() {
    return model.head();
  }

  /** Returns a WordPiece tokenizer over the model's vocabulary. */
  public WordPieceTokenizer tokenizer() {
    Vocabulary v = Vocabulary.of(tokenizerFiles.vocab(), source);
    return tokenizerFiles.lowercase() ? WordPieceTokenizer.uncased(v) : WordPieceTokenizer.cased(v);
  }

  /** Returns the number of weights, excluding nothing (pooler and heads included). */
  public long parameters() {
    return model.parameterCount();
  }
}
