package dev.retort.core.run;

import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import dev.retort.core.weights.TokenizerFiles;
import java.util.List;

/**
 * An EfficientBERT student with its weights in memory, the options it was built with and the
 * tokenizer it reads: the EfficientBERT counterpart of {@link LoadedModel}.
 *
 * @param model the model, with a head (weights owned by the caller's manager)
 * @param options dropout, LayerNorm epsilon and initialiser the model was built with
 * @param tokenizerFiles the vocabulary and casing (the teacher's)
 * @param labels the label names by id (one entry for regression)
 * @param source where the initial weights came from
 */
public record EfficientBertStudent(
    EfficientBertModel model,
    AutoBertOptions options,
    TokenizerFiles tokenizerFiles,
    List<String> labels,
    String source) {

  /** Copies the labels. */
  public EfficientBertStudent {
    labels = List.copyOf(labels);
  }

  /** Returns a WordPiece tokenizer over the model's vocabulary. */
  public WordPieceTokenizer tokenizer() {
    Vocabulary v = Vocabulary.of(tokenizerFiles.vocab(), source);
    return tokenizerFiles.lowercase() ? WordPieceTokenizer.uncased(v) : WordPieceTokenizer.cased(v);
  }

  /** Returns the number of weights, pooler and classifier included. */
  public long parameters() {
    return model.parameterCount();
  }
}
