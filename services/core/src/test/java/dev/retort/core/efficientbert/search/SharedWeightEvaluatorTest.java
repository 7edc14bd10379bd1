package dev.retort.core.efficientbert.search;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.data.TaskType;
import dev.retort.core.efficientbert.AutoBertOptions;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.efficientbert.Supernet;
import dev.retort.core.engine.Torch;
import dev.retort.core.metrics.TaskMetric;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.StateDicts;
import dev.retort.core.text.EncodedExample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SharedWeightEvaluatorTest {
  private static final EfficientBertArch DIMS =
      EfficientBertArch.builder()
          .setHiddenSize(48)
          .setLayerExpressions(Collections.nCopies(2, Supernet.baseExpression(null)))
          .optNumHeads(4)
          .optEmbeddingSize(8)
          .optVocabSize(64)
          .optMaxPositions(32)
          .optFitSize(24)
          .build();

  @Test
  void sizeVectorsGetTheirOwnFitnessFromTheSameUntouchedWeights() {
    Torch.noGradOnThisThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      // A wide initialiser: with BERT's 0.02 every [CLS] vector of a random model is nearly the
      // same and every example gets the same class, whatever the sizes.
      var model =
          new EfficientBertModel(
              Supernet.largestOf(DIMS),
              new AutoBertOptions(0f, 0f, 1e-5f, 0.3f),
              HeadConfig.forClassification(3));
      Torch.seed(3);
      model.initializeParameters(manager);
      var before = StateDicts.toStateDict(model, "before");
      var evaluator =
          new SharedWeightEvaluator(
              model, data(), new DevScorer(TaskMetric.ACCURACY, 16, null), manager);

      List<Double> values = new ArrayList<>();
      for (String size : List.of("1_4", "4_1", "2_2", "3_3", "1_1")) {
        values.add(evaluator.evaluate(spec(size)).value());
      }

      assertThat(values.stream().distinct().count())
          .as("fitness per size %s", values)
          .isGreaterThan(2);
      assertThat(evaluator.evaluate(spec("1_4")).value()).isEqualTo(values.get(0));
      var after = StateDicts.toStateDict(model, "after");
      for (String name : before.names()) {
        assertThat(after.require(name).data()).as(name).isEqualTo(before.require(name).data());
      }
    }
  }

  @Test
  void fullSizeCandidateScoresLikeTheSupernetItself() {
    Torch.noGradOnThisThread();
    try (NDManager manager = NDManager.newBaseManager()) {
      var model =
          new EfficientBertModel(
              Supernet.largestOf(DIMS),
              AutoBertOptions.reference(),
              HeadConfig.forClassification(3));
      Torch.seed(4);
      model.initializeParameters(manager);
      var scorer = new DevScorer(TaskMetric.ACCURACY, 16, null);
      double full = scorer.evaluate(model, model.arch(), data(), manager).selection();
      var evaluator = new SharedWeightEvaluator(model, data(), scorer, manager);
      var spec =
          new CandidateSpec(
              0, 3, Collections.nCopies(2, "linear4_1(gelu(linear4_1(x,wb1)),wb2)"), 1);
      assertThat(evaluator.evaluate(spec).value()).isEqualTo(full);
      assertThat(evaluator.evaluate(spec).parameters()).isEqualTo(model.arch().paramCount());
    }
  }

  private static CandidateSpec spec(String size) {
    return new CandidateSpec(
        0,
        3,
        List.of(
            "tanh(linear" + size + "(gelu(linear" + size + "(x,wb1)),wb2))",
            "linear" + size + "(relu(mul(linear" + size + "(x,wb1),x)),wb2)"),
        1);
  }

  /** 90 random sequences of 6 to 12 tokens with random labels 0..2. */
  private static EncodedDataset data() {
    Random rnd = new Random(8);
    List<EncodedExample> inputs = new ArrayList<>();
    int n = 90;
    int[] labels = new int[n];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      int len = 6 + rnd.nextInt(7);
      int[] tok = new int[len];
      for (int j = 0; j < len; j++) {
        tok[j] = j == 0 ? 2 : j == len - 1 ? 3 : 4 + rnd.nextInt(60);
      }
      inputs.add(new EncodedExample(tok, new int[len], len));
      labels[i] = rnd.nextInt(3);
      ids.add("x" + i);
    }
    return new EncodedDataset(
        "random", TaskType.CLASSIFICATION, inputs, labels, null, new int[n], ids, 0);
  }
}
