package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.retort.core.RetortException;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.LoadPolicy;
import dev.retort.core.model.StateDicts;
import dev.retort.core.model.Taps;
import dev.retort.core.tensor.HostTensor;
import dev.retort.core.tensor.StateDict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SupernetSlicerTest {

  @Test
  void plan540To360SlicesEveryTensorAsTheReferenceLoaderDoes() {
    var supernet = new Supernet(Supernet.referenceArch(), AutoBertOptions.reference());
    var tiny =
        new EfficientBertModel(EfficientBertArch.efficientBertTiny(), AutoBertOptions.reference());
    Map<String, SliceStep> plan = byTarget(SupernetSlicer.plan(supernet.model(), tiny));

    assertThat(plan.keySet()).containsExactlyElementsOf(tiny.declaredShapes().keySet());
    expect(plan, "embeddings.token_embeddings.weight", shape(30522, 128), shape(30522, 128));
    expect(plan, "embeddings.segment_embeddings.weight", shape(2, 540), shape(2, 360));
    expect(plan, "embeddings.position_embeddings.weight", shape(512, 540), shape(512, 360));
    expect(plan, "embeddings.dense.weight", shape(540, 384), shape(360, 384));
    expect(plan, "embeddings.dense.bias", shape(540), shape(360));
    expect(plan, "embeddings.layernorm.weight", shape(540), shape(360));
    expect(plan, "encoder.0.attention.self.query.weight", shape(540, 540), shape(360, 360));
    expect(plan, "encoder.0.attention.output.LayerNorm.bias", shape(540), shape(360));
    // Layer 1 is linear4_2: four FFNs, inner width 360 / 2 = 180.
    expect(plan, "encoder.0.all_ffn.3.dense1.weight", shape(540, 540), shape(180, 360));
    expect(plan, "encoder.0.all_ffn.3.dense1.bias", shape(540), shape(180));
    expect(plan, "encoder.0.all_ffn.3.dense2.weight", shape(540, 540), shape(360, 180));
    expect(plan, "encoder.0.all_ffn.3.dense2.bias", shape(540), shape(360));
    expect(plan, "fit_dense.weight", shape(768, 540), shape(768, 360));
    expect(plan, "fit_dense.bias", shape(768), shape(768));
    long total = plan.values().stream().mapToLong(s -> s.targetShape().size()).sum();
    assertThat(total).isEqualTo(9_375_144L);
  }

  @Test
  void plan540To12x360ReadsSupernetLayerIForLayers2iAnd2iPlus1() {
    var supernet = new Supernet(Supernet.referenceArch(), AutoBertOptions.reference());
    var plusPlus =
        new EfficientBertModel(
            EfficientBertArch.efficientBertPlusPlus(), AutoBertOptions.reference());
    Map<String, SliceStep> plan = byTarget(SupernetSlicer.plan(supernet.model(), plusPlus));
    assertThat(plan.get("encoder.10.attention.self.key.bias").source())
        .isEqualTo("encoder.5.attention.self.key.bias");
    assertThat(plan.get("encoder.11.all_ffn.1.dense2.weight").source())
        .isEqualTo("encoder.5.all_ffn.1.dense2.weight");
    assertThat(plan.get("encoder.3.all_ffn.0.dense1.weight").source())
        .isEqualTo("encoder.1.all_ffn.0.dense1.weight");
    assertThat(plan.get("encoder.3.all_ffn.0.dense1.weight").targetShape())
        .isEqualTo(shape(360, 360)); // layers 3 and 4 are linear2_1
    long total = plan.values().stream().mapToLong(s -> s.targetShape().size()).sum();
    assertThat(total).isEqualTo(14_241_864L);
  }

  @Test
  void twelveLayerNarrowTargetCopiesEachSupernetLayerTwiceWithLeadingSlices() {
    Engine.getInstance().setRandomSeed(31);
    List<String> six = SmallModels.PUBLISHED;
    List<String> twelve = new ArrayList<>();
    six.forEach(e -> twelve.addAll(List.of(e, e)));
    EfficientBertArch dims = SmallModels.arch(48, six);
    EfficientBertArch narrow = SmallModels.arch(24, twelve);
    try (NDManager manager = NDManager.newBaseManager()) {
      var supernet = new Supernet(dims, SmallModels.noDropout());
      supernet.model().initializeParameters(manager);
      StateDict source = StateDicts.toStateDict(supernet.model(), "supernet");
      var target = new EfficientBertModel(narrow, SmallModels.noDropout());
      StateDict out = SupernetSlicer.slice(source, supernet.model(), target);

      for (int i = 0; i < 6; i++) {
        for (String rest :
            List.of(
                "attention.self.value.weight",
                "attention.output.dense.bias",
                "all_ffn.0.dense1.weight",
                "all_ffn.0.dense2.weight",
                "all_ffn.0.layernorm.weight")) {
          HostTensor expected =
              corner(
                  source.require("encoder." + i + "." + rest),
                  target.declaredShapes().get("encoder." + (2 * i) + "." + rest));
          assertThat(out.require("encoder." + (2 * i) + "." + rest)).isEqualTo(expected);
          assertThat(out.require("encoder." + (2 * i + 1) + "." + rest)).isEqualTo(expected);
        }
      }
      // Layer 1 (linear4_2, m = 12) keeps the first 12 inner units of the first 4 FFNs.
      assertThat(out.require("encoder.1.all_ffn.3.dense1.weight").shape()).containsExactly(12, 24);
      assertThat(out.require("encoder.1.all_ffn.3.dense2.weight").shape()).containsExactly(24, 12);
      assertThat(out.require("embeddings.dense.weight").shape()).containsExactly(24, 24);
      assertThat(out.require("embeddings.position_embeddings.weight").shape())
          .containsExactly(32, 24);
      assertThat(out.require("fit_dense.weight").shape()).containsExactly(24, 24);
      assertThat(out.require("embeddings.token_embeddings.weight"))
          .isEqualTo(source.require("embeddings.token_embeddings.weight"));

      // The sliced weights load strictly and run.
      StateDicts.load(target, out, manager, LoadPolicy.STRICT);
      BertOutputs o =
          target.forward(
              new ParameterStore(manager, false), SmallModels.input(manager), Taps.ALL, false);
      assertThat(o.hiddenStates()).hasSize(13);
      assertThat(o.sequenceOutput().getShape()).isEqualTo(new Shape(2, 7, 24));
    }
  }

  @Test
  void layerCountsThatDoNotDivideAreRejected() {
    var supernet =
        new Supernet(SmallModels.arch(48, SmallModels.PUBLISHED), SmallModels.noDropout());
    var nine =
        new EfficientBertModel(
            SmallModels.arch(48, SmallModels.PUBLISHED.subList(0, 3)), SmallModels.noDropout());
    assertThatThrownBy(() -> SupernetSlicer.plan(supernet.model(), nine))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("multiple");
  }

  @Test
  void targetWiderThanTheSupernetIsRejected() {
    var supernet =
        new Supernet(SmallModels.arch(24, SmallModels.PUBLISHED), SmallModels.noDropout());
    var wide =
        new EfficientBertModel(
            SmallModels.arch(48, SmallModels.PUBLISHED), SmallModels.noDropout());
    assertThatThrownBy(() -> SupernetSlicer.plan(supernet.model(), wide))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("does not fit");
  }

  @Test
  void leadingSliceOfARank2TensorKeepsRowsAndColumnsInPlace() {
    // 3 x 4 matrix with entry (r, c) = 10 r + c; the [2, 3] corner is {0, 1, 2, 10, 11, 12}.
    float[] v = new float[12];
    for (int r = 0; r < 3; r++) {
      for (int c = 0; c < 4; c++) {
        v[r * 4 + c] = 10 * r + c;
      }
    }
    SliceStep step = new SliceStep("t", "s", shape(3, 4), shape(2, 3));
    HostTensor out = step.apply(HostTensor.ofFloats(new long[] {3, 4}, v));
    assertThat(out.toFloats()).containsExactly(0, 1, 2, 10, 11, 12);
    assertThat(out.shape()).containsExactly(2, 3);
    assertThatThrownBy(() -> step.apply(HostTensor.ofFloats(new long[] {4, 3}, v)))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("[4, 3]");
  }

  /** Independent leading-corner slice of a rank-1 or rank-2 tensor. */
  private static HostTensor corner(HostTensor t, Shape to) {
    float[] v = t.toFloats();
    if (to.dimension() == 1) {
      float[] out = new float[(int) to.get(0)];
      System.arraycopy(v, 0, out, 0, out.length);
      return HostTensor.ofFloats(to.getShape(), out);
    }
    int rows = (int) to.get(0);
    int cols = (int) to.get(1);
    int srcCols = (int) t.shape()[1];
    float[] out = new float[rows * cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        out[r * cols + c] = v[r * srcCols + c];
      }
    }
    return HostTensor.ofFloats(to.getShape(), out);
  }

  private static Map<String, SliceStep> byTarget(List<SliceStep> plan) {
    Map<String, SliceStep> out = new LinkedHashMap<>();
    plan.forEach(s -> out.put(s.target(), s));
    return out;
  }

  private static void expect(Map<String, SliceStep> plan, String name, Shape from, Shape to) {
    SliceStep s = plan.get(name);
    assertThat(s).as(name).isNotNull();
    assertThat(s.source()).isEqualTo(name);
    assertThat(s.sourceShape()).as(name).isEqualTo(from);
    assertThat(s.targetShape()).as(name).isEqualTo(to);
  }

  private static Shape shape(long... dims) {
    return new Shape(dims);
  }
}
