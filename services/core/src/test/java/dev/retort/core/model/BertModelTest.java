package dev.retort.core.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.RetortException;
import java.util.List;
import org.junit.jupiter.api.Test;

class BertModelTest {

  @Test
  void parameterNamesAreHuggingFaceStateDictKeys() {
    BertForSequenceClassification m =
        new BertForSequenceClassification(BertConfig.tiny(), HeadConfig.forClassification(3));
    List<String> names = List.copyOf(m.declaredShapes().keySet());
    assertThat(names)
        .startsWith(
            "bert.embeddings.word_embeddings.weight",
            "bert.embeddings.position_embeddings.weight",
            "bert.embeddings.token_type_embeddings.weight",
            "bert.embeddings.LayerNorm.weight",
            "bert.embeddings.LayerNorm.bias",
            "bert.encoder.layer.0.attention.self.query.weight",
            "bert.encoder.layer.0.attention.self.query.bias",
            "bert.encoder.layer.0.attention.self.key.weight",
            "bert.encoder.layer.0.attention.self.key.bias",
            "bert.encoder.layer.0.attention.self.value.weight",
            "bert.encoder.layer.0.attention.self.value.bias",
            "bert.encoder.layer.0.attention.output.dense.weight",
            "bert.encoder.layer.0.attention.output.dense.bias",
            "bert.encoder.layer.0.attention.output.LayerNorm.weight",
            "bert.encoder.layer.0.attention.output.LayerNorm.bias",
            "bert.encoder.layer.0.intermediate.dense.weight",
            "bert.encoder.layer.0.intermediate.dense.bias",
            "bert.encoder.layer.0.output.dense.weight",
            "bert.encoder.layer.0.output.dense.bias",
            "bert.encoder.layer.0.output.LayerNorm.weight",
            "bert.encoder.layer.0.output.LayerNorm.bias")
        .endsWith(
            "bert.pooler.dense.weight",
            "bert.pooler.dense.bias",
            "classifier.weight",
            "classifier.bias");
    // 5 embedding + 16 per layer + 2 pooler + 2 classifier, as in transformers' state_dict().
    assertThat(names).hasSize(5 + 16 * 2 + 2 + 2);
    assertThat(m.declaredShapes().get("bert.encoder.layer.1.intermediate.dense.weight"))
        .isEqualTo(new Shape(64, 32));
  }

  @Test
  void bertBaseHasTheKnownParameterCount() {
    // 110,104,890 weights in Google's checkpoint minus the MLM head's transform (768*768 + 768 +
    // 2*768) and output bias (30522) = BertModel's 109,482,240.
    assertThat(new BertModel(BertConfig.bertBase()).parameterCount()).isEqualTo(109_482_240L);
  }

  @Test
  void multiDomainModelHasOneNamedHeadPerDomain() {
    HeadConfig head = HeadConfig.forClassification(2).withDomains(List.of("books", "dvd", "kitchen"));
    var m = new BertForSequenceClassification(BertConfig.tiny(), head);
    assertThat(m.declaredShapes().keySet())
        .contains("classifiers.0.weight", "classifiers.2.bias")
        .doesNotContain("classifier.weight");
  }

  @Test
  void forwardReturnsEveryTapInDocumentedOrderAndShape() {
    Engine.getInstance().setRandomSeed(7);
    BertConfig c = BertConfig.tiny();
    try (NDManager manager = NDManager.newBaseManager()) {
      var m = new BertForSequenceClassification(c, HeadConfig.forClassification(3));
      m.initializeParameters(manager);
      int[][] ids = {{101, 7592, 2088, 102, 0}, {101, 2023, 102, 2003, 102}};
      int[][] types = {{0, 0, 0, 0, 0}, {0, 0, 0, 1, 1}};
      int[][] mask = {{1, 1, 1, 1, 0}, {1, 1, 1, 1, 1}};
      try (NDManager step = manager.newSubManager()) {
        BertInput in = BertInput.of(step, ids, types, mask);
        BertOutputs out = m.forward(new ParameterStore(step, false), in, Taps.ALL, false);
        assertThat(out.hiddenStates()).hasSize(c.numLayers() + 1);
        assertThat(out.attentionScores()).hasSize(c.numLayers());
        assertThat(out.attentionProbs()).hasSize(c.numLayers());
        assertThat(out.hiddenStates().get(0).getShape()).isEqualTo(new Shape(2, 5, 32));
        assertThat(out.attentionScores().get(0).getShape()).isEqualTo(new Shape(2, 4, 5, 5));
        assertThat(out.pooled().getShape()).isEqualTo(new Shape(2, 32));
        assertThat(out.logits().getShape()).isEqualTo(new Shape(2, 3));
        // The last hidden state is the sequence output.
        assertThat(out.hiddenStates().get(c.numLayers()).eq(out.sequenceOutput()).all().getBoolean())
            .isTrue();
        // The padded key of row 0 carries the -10000 mask in the pre-softmax scores ...
        NDArray s = out.attentionScores().get(1);
        assertThat(s.get("0, :, :, 4").max().getFloat()).isLessThan(-9000f);
        // ... and gets (numerically) zero probability.
        assertThat(out.attentionProbs().get(1).get("0, :, :, 4").max().getFloat()).isLessThan(1e-6f);
        // Probabilities are the softmax of the scores.
        assertThat(
                out.attentionProbs().get(0).sub(out.attentionScores().get(0).softmax(-1)).abs().max().getFloat())
            .isLessThan(1e-7f);
      }
    }
  }

  @Test
  void tapsThatWereNotRequestedAreEmpty() {
    try (NDManager manager = NDManager.newBaseManager()) {
      var m = new BertModel(BertConfig.tiny());
      m.initializeParameters(manager);
      BertInput in = BertInput.of(manager, new int[][] {{101, 102}}, new int[][] {{0, 0}}, new int[][] {{1, 1}});
      BertOutputs out = m.forward(new ParameterStore(manager, false), in, Taps.NONE, false);
      assertThat(out.hiddenStates()).isEmpty();
      assertThat(out.attentionScores()).isEmpty();
      assertThat(out.sequenceOutput().getShape()).isEqualTo(new Shape(1, 2, 32));
    }
  }

  @Test
  void layersLeaveOnlyTheRequestedTapsInTheCallersManager() {
    // Before LayerStack, every op's result stayed in the caller's manager until it closed: about
    // 20 arrays per layer, 9 GB for BERT-base scoring 64 examples at length 128.
    int[] layers = {2, 6};
    int[][] counts = new int[2][];
    for (int k = 0; k < layers.length; k++) {
      BertConfig c = BertConfig.tiny().toBuilder().setNumLayers(layers[k]).build();
      try (NDManager manager = NDManager.newBaseManager()) {
        var m = new BertModel(c);
        m.initializeParameters(manager);
        counts[k] = new int[] {managedAfterForward(m, manager, Taps.NONE),
            managedAfterForward(m, manager, Taps.DISTILLATION)};
      }
    }
    assertThat(counts[1][0]).as("arrays left with no taps").isEqualTo(counts[0][0]);
    // Four more layers keep four more hidden states and four more score tensors, nothing else.
    assertThat(counts[1][1] - counts[0][1]).as("arrays left with distillation taps").isEqualTo(8);
  }

  private static int managedAfterForward(BertModel m, NDManager manager, Taps taps) {
    try (NDManager step = manager.newSubManager()) {
      int[][] ids = {{101, 7592, 2088, 102}};
      int[][] types = {{0, 0, 0, 0}};
      int[][] mask = {{1, 1, 1, 1}};
      BertInput in = BertInput.of(step, ids, types, mask);
      m.forward(new ParameterStore(step, false), in, taps, false);
      return step.getManagedArrays().size();
    }
  }

  @Test
  void hiddenSizeNotDivisibleByHeadsIsRejectedWithBothNumbers() {
    assertThatThrownBy(
            () -> BertConfig.builder().setVocabSize(100).setHiddenSize(100).setNumLayers(1).setNumHeads(12).setIntermediateSize(10).build())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("hidden_size")
        .hasMessageContaining("100 is not divisible by 12");
  }
}
