package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.LoadReport;
import dev.retort.core.model.StateDicts;
import dev.retort.core.model.Taps;
import dev.retort.core.tensor.StateDict;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SupernetTest {
  private static final EfficientBertArch DIMS = SmallModels.arch(24, SmallModels.PUBLISHED);

  @Test
  void supernetStoresFourFullWidthFfnsPerLayer() {
    var s = new Supernet(EfficientBertArch.efficientBert(), AutoBertOptions.reference());
    var shapes = s.model().declaredShapes();
    assertThat(shapes.get("encoder.5.all_ffn.3.dense1.weight")).isEqualTo(new Shape(540, 540));
    assertThat(shapes.get("encoder.5.all_ffn.3.dense2.weight")).isEqualTo(new Shape(540, 540));
    assertThat(shapes).doesNotContainKey("encoder.0.all_ffn.4.dense1.weight");
    assertThat(s.arch().linearSizes()).containsOnly(LinearSize.of(4, 1));
    assertThat(Supernet.referenceArch().hiddenSize()).isEqualTo(540);
    assertThat(Supernet.referenceArch().numLayers()).isEqualTo(6);
    // 6 layers of attention plus 4 FFNs of width 540, with the embedding and fit_dense.
    long ffn = 4L * (2 * 540 * 540 + 540 + 540 + 2 * 540);
    long expected =
        ParamCount.embedding(s.arch())
            + ParamCount.fitDense(s.arch())
            + 6 * (ParamCount.attention(540) + ffn);
    assertThat(s.model().parameterCount()).isEqualTo(expected);
  }

  @Test
  void sliceAtFourStacksAndRatioOneComputesExactlyTheSupernet() {
    Engine.getInstance().setRandomSeed(21);
    try (NDManager manager = NDManager.newBaseManager()) {
      var supernet = new Supernet(DIMS, SmallModels.noDropout());
      supernet.model().initializeParameters(manager);
      EfficientBertArch full =
          supernet.subArchitecture(Collections.nCopies(6, LinearSize.of(4, 1)));
      EfficientBertModel standalone = sliced(supernet, full, manager);

      BertInput in = SmallModels.input(manager);
      BertOutputs a = supernet.forward(new ParameterStore(manager, false), in, Taps.ALL, false);
      BertOutputs b = standalone.forward(new ParameterStore(manager, false), in, Taps.ALL, false);
      for (int i = 0; i <= 6; i++) {
        assertThat(a.hiddenStates().get(i).eq(b.hiddenStates().get(i)).all().getBoolean())
            .as("hidden state %d", i)
            .isTrue();
      }
      for (int i = 0; i < 6; i++) {
        assertThat(a.attentionScores().get(i).eq(b.attentionScores().get(i)).all().getBoolean())
            .isTrue();
      }
    }
  }

  @Test
  void candidateOnTheSupernetEqualsItsSlicedStandaloneModel() {
    Engine.getInstance().setRandomSeed(22);
    try (NDManager manager = NDManager.newBaseManager()) {
      var supernet = new Supernet(DIMS, SmallModels.noDropout());
      supernet.model().initializeParameters(manager);
      // The published EfficientBERT at H 24: sizes 4_2 2_1 1_2 2_2 1_2 2_3 and its six expressions.
      EfficientBertArch candidate =
          supernet.subArchitecture(DIMS.linearSizes(), DIMS.layerExpressions());
      assertThat(candidate).isEqualTo(DIMS);
      EfficientBertModel standalone = sliced(supernet, candidate, manager);
      assertThat(standalone.parameterCount()).isEqualTo(ParamCount.total(candidate));

      BertInput in = SmallModels.input(manager);
      BertOutputs onSupernet =
          supernet.forward(new ParameterStore(manager, false), in, candidate, Taps.ALL, false);
      BertOutputs alone =
          standalone.forward(new ParameterStore(manager, false), in, Taps.ALL, false);
      for (int i = 0; i <= 6; i++) {
        assertThat(
                SmallModels.maxDiff(onSupernet.hiddenStates().get(i), alone.hiddenStates().get(i)))
            .as("hidden state %d", i)
            .isLessThan(1e-5f);
      }
      // The candidate really is another network than the full supernet.
      BertOutputs full = supernet.forward(new ParameterStore(manager, false), in, Taps.NONE, false);
      assertThat(SmallModels.maxDiff(full.sequenceOutput(), alone.sequenceOutput()))
          .isGreaterThan(1e-2f);
    }
  }

  @Test
  void baseGeluCandidateUsesTheFirstStacksOnly() {
    Engine.getInstance().setRandomSeed(23);
    try (NDManager manager = NDManager.newBaseManager()) {
      var supernet = new Supernet(DIMS, SmallModels.noDropout());
      supernet.model().initializeParameters(manager);
      List<LinearSize> sizes =
          List.of(
              LinearSize.of(1, 4),
              LinearSize.of(3, 3),
              LinearSize.of(2, 2),
              LinearSize.of(4, 1),
              LinearSize.of(1, 1),
              LinearSize.of(2, 4));
      EfficientBertArch candidate = supernet.subArchitecture(sizes);
      assertThat(candidate.layerExpressions().get(0).toString())
          .isEqualTo("linear1_4(gelu(linear1_4(x,wb1)),wb2)");
      EfficientBertModel standalone = sliced(supernet, candidate, manager);
      assertThat(standalone.declaredShapes().get("encoder.0.all_ffn.0.dense1.weight"))
          .isEqualTo(new Shape(6, 24));
      BertInput in = SmallModels.input(manager);
      BertOutputs a =
          supernet.forward(new ParameterStore(manager, false), in, candidate, Taps.NONE, false);
      BertOutputs b = standalone.forward(new ParameterStore(manager, false), in, Taps.NONE, false);
      assertThat(SmallModels.maxDiff(a.sequenceOutput(), b.sequenceOutput())).isLessThan(1e-5f);
    }
  }

  @Test
  void slicedEncoderWeightsLoadUnderAFreshHead() {
    Engine.getInstance().setRandomSeed(24);
    try (NDManager manager = NDManager.newBaseManager()) {
      var supernet = new Supernet(DIMS, SmallModels.noDropout());
      supernet.model().initializeParameters(manager);
      var headed =
          new EfficientBertModel(DIMS, SmallModels.noDropout(), HeadConfig.forClassification(3));
      StateDict slice =
          SupernetSlicer.slice(
              StateDicts.toStateDict(supernet.model(), "supernet"), supernet.model(), headed);
      assertThat(slice.names())
          .noneMatch(n -> n.startsWith("cls_pooler") || n.startsWith("classifier"));
      LoadReport report =
          StateDicts.load(headed, slice, manager, EfficientBertModel.ENCODER_WEIGHTS);
      assertThat(report.freshlyInitialized())
          .containsExactlyInAnyOrder(
              "cls_pooler.dense.weight",
              "cls_pooler.dense.bias",
              "classifier.weight",
              "classifier.bias");
      BertOutputs out =
          headed.forward(
              new ParameterStore(manager, false), SmallModels.input(manager), Taps.NONE, false);
      assertThat(out.logits().getShape()).isEqualTo(new Shape(2, 3));
    }
  }

  @Test
  void subArchitectureNeedsOneSizeAndExpressionPerLayer() {
    var supernet = new Supernet(DIMS, SmallModels.noDropout());
    assertThatThrownBy(() -> supernet.subArchitecture(List.of(LinearSize.of(1, 1))))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("6 layers");
  }

  private static EfficientBertModel sliced(
      Supernet supernet, EfficientBertArch arch, NDManager manager) {
    EfficientBertModel target = new EfficientBertModel(arch, SmallModels.noDropout());
    StateDict weights = StateDicts.toStateDict(supernet.model(), "supernet");
    StateDict slice = SupernetSlicer.slice(weights, supernet.model(), target);
    StateDicts.load(target, slice, manager, LoadPolicy.STRICT);
    return target;
  }
}
