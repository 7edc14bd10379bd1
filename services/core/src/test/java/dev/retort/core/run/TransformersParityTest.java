package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.LoadReport;
import dev.retort.core.model.StateDicts;
import dev.retort.core.model.Taps;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import dev.retort.core.weights.LoadOptions;
import dev.retort.core.weights.PretrainedWeights;
import dev.retort.core.weights.WeightLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A retort export loaded by Hugging Face {@code transformers} itself, in a Python process: a
 * classifier on real MiniLM weights is written by {@link ModelDirectory#write}, then {@code
 * AutoModelForSequenceClassification} and {@code AutoTokenizer} load the directory, tokenise the
 * same sentences and compute logits. The token ids must be equal, no weight missing or left over,
 * and the logits equal to retort's within 1e-5.
 *
 * <p>Needs a Python with {@code torch} and {@code transformers}: {@code -Dretort.python=PATH} or
 * the environment variable {@code RETORT_PYTHON}; skipped without one (CI machines have none). See
 * the README section "Checking an export with transformers".
 */
class TransformersParityTest {
  private static final List<String> SENTENCES =
      List.of(
          "The quick brown fox jumps over the lazy dog.",
          "Knowledge distillation compresses a large model into a small one!",
          "unaffable naïveté: tokenisers disagree on rare words");
  private static final int LENGTH = 24;

  @TempDir Path dir;

  @Test
  void transformersLoadsTheExportAndComputesRetortsLogits() throws Exception {
    String python = TransformersScript.python();
    assumeTrue(python != null, "no Python given (-Dretort.python=PATH or RETORT_PYTHON)");
    Torch.noGradOnThisThread();
    PretrainedWeights w = WeightLoader.load("all-minilm-l6-v2", LoadOptions.defaults());
    Vocabulary vocab = Vocabulary.of(w.tokenizer().vocab(), w.source());
    WordPieceTokenizer tok = w.tokenizer().lowercase() ? WordPieceTokenizer.uncased(vocab) : WordPieceTokenizer.cased(vocab);
    TransformersScript.Batch batch = TransformersScript.encode(tok, SENTENCES, LENGTH);
    List<String> labels = List.of("negative", "neutral", "positive");
    Path export = dir.resolve("export");
    float[][] logits;
    try (NDManager m = NDManager.newBaseManager()) {
      Torch.seed(7);
      var model = new BertForSequenceClassification(w.config(), HeadConfig.forClassification(labels.size()));
      LoadReport report = StateDicts.load(model, w.weights(), m, LoadPolicy.PRETRAINED_ENCODER);
      ModelDirectory.write(export, new LoadedModel(model, w.tokenizer(), labels, "minilm classifier", report));
      BertInput input = BertInput.of(m, batch.ids(), batch.types(), batch.mask());
      float[] flat =
          model.forward(new ParameterStore(m, false), input, Taps.NONE, false).logits().toFloatArray(); // [B, C]
      logits = TransformersScript.rows(flat, labels.size());
    }

    TransformersScript.assertLoadsWithSameLogits(
        python, dir, export, SENTENCES, batch, logits, false, "BertForSequenceClassification");
    // Not a vacuous match: the logits differ between sentences and classes.
    assertThat(Math.abs(logits[0][0] - logits[1][0]) + Math.abs(logits[0][0] - logits[0][1])).isGreaterThan(1e-3f);
  }
}
