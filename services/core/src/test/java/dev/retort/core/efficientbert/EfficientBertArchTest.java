package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.util.List;
import org.junit.jupiter.api.Test;

class EfficientBertArchTest {

  @Test
  void efficientBertHasSixLayersOfWidth540WithThePublishedSizes() {
    EfficientBertArch arch = EfficientBertArch.efficientBert();
    assertThat(arch.numLayers()).isEqualTo(6);
    assertThat(arch.hiddenSize()).isEqualTo(540);
    assertThat(arch.numHeads()).isEqualTo(12);
    assertThat(arch.embeddingSize()).isEqualTo(128);
    assertThat(arch.linearSizes())
        .containsExactly(
            LinearSize.of(4, 2),
            LinearSize.of(2, 1),
            LinearSize.of(1, 2),
            LinearSize.of(2, 2),
            LinearSize.of(1, 2),
            LinearSize.of(2, 3));
    assertThat(arch.innerWidth(0)).isEqualTo(270);
    assertThat(arch.innerWidth(1)).isEqualTo(540);
    assertThat(arch.innerWidth(5)).isEqualTo(180);
    assertThat(EfficientBertArch.efficientBertTiny().innerWidth(5)).isEqualTo(120);
  }

  @Test
  void plusPlusUsesEachExpressionForTwoConsecutiveLayers() {
    EfficientBertArch arch = EfficientBertArch.efficientBertPlusPlus();
    assertThat(arch.numLayers()).isEqualTo(12);
    assertThat(arch.hiddenSize()).isEqualTo(360);
    for (int i = 0; i < 12; i++) {
      assertThat(arch.layerExpressions().get(i).toString())
          .isEqualTo(EfficientBertArch.PUBLISHED_FFN.get(i / 2));
    }
  }

  @Test
  void invalidLayerExpressionIsRejectedNamingTheLayer() {
    List<Expr> layers = List.of(Expr.parse("linear1_2(gelu(linear1_1(x,wb1)),wb2)"));
    assertThatThrownBy(
            () -> EfficientBertArch.builder().setHiddenSize(48).setLayerExpressions(layers).build())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("EfficientBERT layer 1 FFN expression")
        .hasMessageContaining("INCONSISTENT_LINEAR");
  }

  @Test
  void genericLinearNeedsASize() {
    List<Expr> layers = List.of(Expr.parse("linear(gelu(linear(x,wb1)),wb2)"));
    assertThatThrownBy(
            () -> EfficientBertArch.builder().setHiddenSize(48).setLayerExpressions(layers).build())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("no sized linearA_B");
    Expr bound = ExprTrees.withLinearSize(layers.get(0), LinearSize.of(3, 4));
    EfficientBertArch arch =
        EfficientBertArch.builder().setHiddenSize(48).setLayerExpressions(List.of(bound)).build();
    assertThat(arch.linearSize(0)).isEqualTo(LinearSize.of(3, 4));
    assertThat(arch.innerWidth(0)).isEqualTo(12);
  }

  @Test
  void hiddenSizeMustBeDivisibleByHeads() {
    assertThatThrownBy(
            () ->
                EfficientBertArch.builder()
                    .setHiddenSize(50)
                    .setLayerExpressions(EfficientBertArch.efficientBert().layerExpressions())
                    .build())
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("not divisible by 12 heads");
  }
}
