package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchFeaturesTest {

  @Test
  void stageOneIdsFollowDeapMappingOrder() {
    PrimitiveSet p = PrimitiveSet.stage1();
    assertThat(p.symbols()).hasSize(29);
    assertThat(p.id(LinearSize.of(1, 1))).isEqualTo(0);
    assertThat(p.id(LinearSize.of(4, 4))).isEqualTo(15);
    assertThat(p.id(BinaryOp.ADD)).isEqualTo(16);
    assertThat(p.id(BinaryOp.MAX)).isEqualTo(18);
    assertThat(p.id(Activation.GELU)).isEqualTo(19);
    assertThat(p.id(Activation.SWISH)).isEqualTo(25);
    assertThat(p.id(Terminal.X)).isEqualTo(26);
    assertThat(p.id(Terminal.WB2)).isEqualTo(28);
    assertThatThrownBy(() -> p.id(LinearSize.GENERIC)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stageTwoIdsStartWithTheGenericLinear() {
    PrimitiveSet p = PrimitiveSet.stage2();
    assertThat(p.symbols()).hasSize(14);
    assertThat(p.id(LinearSize.GENERIC)).isEqualTo(0);
    assertThat(p.id(BinaryOp.ADD)).isEqualTo(1);
    assertThat(p.id(Activation.TANH)).isEqualTo(6);
    assertThat(p.id(Terminal.X)).isEqualTo(11);
    assertThat(p.id(Terminal.WB2)).isEqualTo(13);
  }

  @Test
  void treeIdsArePrefixOrderPaddedToTwentyPerLayer() {
    List<Expr> layers = EfficientBertArch.efficientBert().layerExpressions();
    int[] ids = ArchFeatures.treeIds(layers, PrimitiveSet.stage1());
    assertThat(ids).hasSize(120);
    // tanh linear4_2 gelu linear4_2 x wb1 wb2
    int[] layer1 = java.util.Arrays.copyOfRange(ids, 0, 20);
    assertThat(layer1)
        .startsWith(21, 13, 19, 13, 26, 27, 28)
        .endsWith(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    // linear1_2 relu mul linear1_2 x wb1 x wb2
    assertThat(java.util.Arrays.copyOfRange(ids, 80, 88))
        .containsExactly(1, 22, 17, 1, 26, 27, 26, 28);
    assertThat(ids[88]).isEqualTo(-1);
  }

  @Test
  void stageTwoTreeIdsUseTheGenericNumbering() {
    Expr e =
        ExprTrees.withLinearSize(
            Expr.parse(EfficientBertArch.PUBLISHED_FFN.get(3)), LinearSize.GENERIC);
    // linear gelu linear max x tanh x wb1 wb2
    assertThat(ArchFeatures.treeIds(List.of(e), PrimitiveSet.stage2()))
        .startsWith(0, 4, 0, 3, 11, 6, 11, 12, 13, -1);
  }

  @Test
  void treesLongerThanTwentyNodesKeepTheirFirstTwentyIds() {
    String deep = "x";
    for (int i = 0; i < 25; i++) {
      deep = (i % 2 == 0 ? "tanh(" : "add(x,") + deep + ")";
    }
    Expr e = Expr.parse(deep);
    assertThat(ExprTrees.size(e)).isGreaterThan(20);
    int[] ids = ArchFeatures.treeIds(List.of(e, Expr.x()), PrimitiveSet.stage1());
    assertThat(ids).hasSize(40);
    assertThat(ids[20]).isEqualTo(26);
    assertThat(ids[21]).isEqualTo(-1);
  }

  @Test
  void sizeIdsAreFourTimesStacksPlusRatioIndex() {
    assertThat(ArchFeatures.sizeIds(EfficientBertArch.efficientBert().layerExpressions()))
        .containsExactly(13, 4, 1, 5, 1, 6);
  }
}
