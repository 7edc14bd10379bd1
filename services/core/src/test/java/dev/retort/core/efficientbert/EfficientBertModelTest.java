package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.Taps;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EfficientBertModelTest {

  @Test
  void publishedModelsHaveExactlyTheReferenceParameterCounts() {
    AutoBertOptions o = AutoBertOptions.reference();
    EfficientBertArch base = EfficientBertArch.efficientBert();
    EfficientBertArch tiny = EfficientBertArch.efficientBertTiny();
    EfficientBertArch plus = EfficientBertArch.efficientBertPlusPlus();
    // Pooler and classifier excluded, fit_dense included, as ParamCount counts them.
    assertThat(new EfficientBertModel(base, o).parameterCount())
        .isEqualTo(15_737_724L)
        .isEqualTo(ParamCount.total(base));
    assertThat(new EfficientBertModel(tiny, o).parameterCount())
        .isEqualTo(9_375_144L)
        .isEqualTo(ParamCount.total(tiny));
    assertThat(new EfficientBertModel(plus, o).parameterCount())
        .isEqualTo(14_241_864L)
        .isEqualTo(ParamCount.total(plus));
  }

  @Test
  void parameterNamesAndShapesMirrorTheReferenceCode() {
    var m = new EfficientBertModel(EfficientBertArch.efficientBert(), AutoBertOptions.reference());
    Map<String, Shape> s = m.declaredShapes();
    assertThat(List.copyOf(s.keySet()))
        .startsWith(
            "embeddings.token_embeddings.weight",
            "embeddings.segment_embeddings.weight",
            "embeddings.position_embeddings.weight",
            "embeddings.dense.weight",
            "embeddings.dense.bias",
            "embeddings.layernorm.weight",
            "embeddings.layernorm.bias",
            "encoder.0.attention.self.query.weight")
        .endsWith("fit_dense.weight", "fit_dense.bias");
    assertThat(s.get("embeddings.token_embeddings.weight")).isEqualTo(new Shape(30522, 128));
    assertThat(s.get("embeddings.dense.weight")).isEqualTo(new Shape(540, 384));
    assertThat(s.get("embeddings.position_embeddings.weight")).isEqualTo(new Shape(512, 540));
    // Layer 1 is linear4_2: four FFNs of inner width 270.
    assertThat(s.get("encoder.0.all_ffn.3.dense1.weight")).isEqualTo(new Shape(270, 540));
    assertThat(s.get("encoder.0.all_ffn.3.dense2.weight")).isEqualTo(new Shape(540, 270));
    assertThat(s.get("encoder.0.all_ffn.3.layernorm.weight")).isEqualTo(new Shape(540));
    // Layer 3 is linear1_2: only one FFN is instantiated.
    assertThat(s)
        .containsKey("encoder.2.all_ffn.0.dense1.bias")
        .doesNotContainKey("encoder.2.all_ffn.1.dense1.bias");
    // Layer 6 is linear2_3: inner width 180.
    assertThat(s.get("encoder.5.all_ffn.1.dense1.bias")).isEqualTo(new Shape(180));
    assertThat(s.get("fit_dense.weight")).isEqualTo(new Shape(768, 540));
    assertThat(s.keySet()).noneMatch(n -> n.startsWith("cls_pooler") || n.startsWith("classifier"));
  }

  @Test
  void headAddsOnlyPoolerAndClassifier() {
    EfficientBertArch arch = EfficientBertArch.efficientBert();
    var bare = new EfficientBertModel(arch, AutoBertOptions.reference());
    var headed =
        new EfficientBertModel(arch, AutoBertOptions.reference(), HeadConfig.forClassification(3));
    long h = 540;
    assertThat(headed.parameterCount() - bare.parameterCount()).isEqualTo(h * h + h + 3 * h + 3);
    assertThat(headed.declaredShapes())
        .containsKeys("cls_pooler.dense.weight", "classifier.weight", "classifier.bias");
    var multi =
        new EfficientBertModel(
            arch,
            AutoBertOptions.reference(),
            HeadConfig.forClassification(2).withDomains(List.of("mnli", "qqp")));
    assertThat(multi.declaredShapes()).containsKeys("classifiers.0.weight", "classifiers.1.bias");
  }

  @Test
  void forwardFollowsTheBertOutputsContract() {
    Engine.getInstance().setRandomSeed(3);
    EfficientBertArch arch = SmallModels.arch(48, SmallModels.PUBLISHED);
    try (NDManager manager = NDManager.newBaseManager()) {
      var m =
          new EfficientBertModel(arch, SmallModels.noDropout(), HeadConfig.forClassification(3));
      m.initializeParameters(manager);
      BertInput in = SmallModels.input(manager);
      BertOutputs out = m.forward(new ParameterStore(manager, false), in, Taps.ALL, false);
      assertThat(out.hiddenStates()).hasSize(7);
      assertThat(out.attentionScores()).hasSize(6);
      assertThat(out.attentionProbs()).hasSize(6);
      for (NDArray h : out.hiddenStates()) {
        assertThat(h.getShape()).isEqualTo(new Shape(2, 7, 48));
      }
      assertThat(out.attentionScores().get(0).getShape()).isEqualTo(new Shape(2, 12, 7, 7));
      assertThat(out.hiddenStates().get(6).eq(out.sequenceOutput()).all().getBoolean()).isTrue();
      assertThat(out.pooled().getShape()).isEqualTo(new Shape(2, 48));
      assertThat(out.logits().getShape()).isEqualTo(new Shape(2, 3));
      // Pre-softmax scores carry the -10000 mask on the padded keys of row 0.
      assertThat(out.attentionScores().get(3).get("0, :, :, 5:").max().getFloat())
          .isLessThan(-9000f);
      // Every FFN ends in a LayerNorm with weight 1 and bias 0: zero mean per position.
      assertThat(out.sequenceOutput().mean(new int[] {2}).abs().max().getFloat()).isLessThan(1e-5f);
      // Deterministic without dropout.
      BertOutputs again = m.forward(new ParameterStore(manager, false), in, Taps.NONE, false);
      assertThat(SmallModels.maxDiff(again.logits(), out.logits())).isZero();
    }
  }

  @Test
  void architectureWiderThanTheStoredWeightsIsRejected() {
    EfficientBertArch arch = SmallModels.arch(48, SmallModels.PUBLISHED);
    try (NDManager manager = NDManager.newBaseManager()) {
      var m = new EfficientBertModel(arch, SmallModels.noDropout());
      m.initializeParameters(manager);
      // Layer 3 stores one FFN of width 24; linear2_1 needs two of width 48.
      List<String> wider = new java.util.ArrayList<>(SmallModels.PUBLISHED);
      wider.set(2, "sigmoid(linear2_1(relu(linear2_1(x,wb1)),wb2))");
      EfficientBertArch active = SmallModels.arch(48, wider);
      BertInput in = SmallModels.input(manager);
      assertThatThrownBy(
              () -> m.forward(new ParameterStore(manager, false), in, active, Taps.NONE, false))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("layer 3")
          .hasMessageContaining("linear2_1");
      EfficientBertArch otherWidth = SmallModels.arch(36, SmallModels.PUBLISHED);
      assertThatThrownBy(
              () -> m.forward(new ParameterStore(manager, false), in, otherWidth, Taps.NONE, false))
          .isInstanceOf(RetortException.class)
          .hasMessageContaining("hidden_size");
    }
  }
}
