package dev.retort.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.Expr;
import dev.retort.core.efficientbert.ExprParser;
import dev.retort.core.engine.Torch;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.PooledActivation;
import dev.retort.core.model.StateDicts;
import dev.retort.core.model.Taps;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import dev.retort.core.text.Vocabulary;
import dev.retort.core.text.WordPieceTokenizer;
import dev.retort.core.weights.TokenizerFiles;
import dev.retort.core.weights.WeightLoader;
import dev.retort.core.weights.LoadOptions;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An EfficientBERT directory loaded by Hugging Face {@code transformers} itself, through the model
 * code the directory carries ({@code trust_remote_code=True}): a 7-layer student whose layers use
 * the six published FFN expressions plus one with {@code add} and {@code swish} (so every primitive
 * appears, with stacks of 1 to 4, widths I/1 to I/3, and {@code add} truncating x from H = 48 to
 * the linear's 32 channels), every weight random, is
 * written by {@link EfficientBertDirectory#write}. transformers must pick retort's class, load every
 * weight by name with none missing or left over, tokenise as retort does, and compute retort's
 * logits within 1e-5: for a classifier with the tanh pooler and for a regression head with
 * BERT-EMD's ReLU pooler.
 *
 * <p>Needs a Python with {@code torch} and {@code transformers} ({@code -Dretort.python=PATH} or
 * {@code RETORT_PYTHON}); skipped without one, as CI has none.
 */
class EfficientBertTransformersParityTest {
  private static final List<String> SENTENCES =
      List.of(
          "Distillation keeps most of the accuracy.",
          "A searched feed-forward network, evaluated in PyTorch!",
          "short");
  private static final int LENGTH = 20;
  private static final List<String> EXPRESSIONS = new ArrayList<>(EfficientBertArch.PUBLISHED_FFN);

  static {
    EXPRESSIONS.add("linear1_3(swish(add(linear1_3(x,wb1),x)),wb2)");
  }

  @TempDir Path dir;

  @Test
  void transformersLoadsAnEfficientBertClassifierWithItsCodeAndComputesRetortsLogits()
      throws Exception {
    check(HeadConfig.forClassification(3), List.of("contradiction", "entailment", "neutral"), "classifier");
  }

  @Test
  void transformersAppliesTheReluPoolerOfARegressionStudent() throws Exception {
    check(
        HeadConfig.forRegression().withPooledActivation(PooledActivation.RELU),
        List.of("score"),
        "regression");
  }

  private void check(HeadConfig head, List<String> labels, String name) throws Exception {
    String python = TransformersScript.python();
    assumeTrue(python != null, "no Python given (-Dretort.python=PATH or RETORT_PYTHON)");
    Torch.noGradOnThisThread();
    TokenizerFiles tokenizer =
        WeightLoader.load("all-minilm-l6-v2", LoadOptions.defaults()).tokenizer();
    Vocabulary vocab = Vocabulary.of(tokenizer.vocab(), "MiniLM");
    TransformersScript.Batch batch =
        TransformersScript.encode(WordPieceTokenizer.uncased(vocab), SENTENCES, LENGTH);
    List<Expr> exprs = EXPRESSIONS.stream().map(ExprParser::parse).toList();
    EfficientBertArch arch =
        EfficientBertArch.builder()
            .setHiddenSize(48)
            .setLayerExpressions(exprs)
            .optNumHeads(4)
            .optEmbeddingSize(16)
            .optFfnHiddenSize(96)
            .optVocabSize(tokenizer.vocab().size())
            .optMaxPositions(64)
            .optFitSize(32)
            .build();
    AutoBertOptions options = AutoBertOptions.reference();
    Path export = dir.resolve(name);
    float[][] logits;
    try (NDManager m = NDManager.newBaseManager()) {
      EfficientBertModel model = new EfficientBertModel(arch, options, head);
      model.initializeParameters(m);
      StateDicts.load(model, randomized(StateDicts.toStateDict(model, name)), m, LoadPolicy.STRICT);
      EfficientBertDirectory.write(
          export, new EfficientBertStudent(model, options, tokenizer, labels, name));
      BertInput input = BertInput.of(m, batch.ids(), batch.types(), batch.mask());
      float[] flat =
          model.forward(new ParameterStore(m, false), input, Taps.NONE, false).logits().toFloatArray(); // [B, C]
      logits = TransformersScript.rows(flat, head.numLabels());
    }

    TransformersScript.assertLoadsWithSameLogits(
        python, dir, export, SENTENCES, batch, logits, true, "RetortEfficientBertForSequenceClassification");
    // Not a vacuous match: the sentences get different outputs.
    assertThat(Math.abs(logits[0][0] - logits[1][0]) + Math.abs(logits[1][0] - logits[2][0]))
        .isGreaterThan(1e-3f);
  }

  /** Every weight drawn at random (LayerNorm scales around 1), so no bias or scale is trivial. */
  private static StateDict randomized(StateDict sd) {
    Random random = new Random(11);
    StateDict out = new StateDict(sd.source());
    sd.asMap()
        .forEach(
            (k, t) -> {
              float[] v = new float[(int) HostTensor.numel(t.shape())];
              boolean scale = k.endsWith("layernorm.weight") || k.endsWith("LayerNorm.weight");
              for (int i = 0; i < v.length; i++) {
                v[i] = (scale ? 1f : 0f) + 0.2f * (float) random.nextGaussian();
              }
              out.put(k, HostTensor.ofFloats(t.shape(), v));
            });
    return out;
  }
}
