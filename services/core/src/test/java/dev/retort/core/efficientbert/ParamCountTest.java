package dev.retort.core.efficientbert;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamCountTest {

  @Test
  void publishedModelsHaveThePublishedSizes() {
    assertThat(ParamCount.millions(EfficientBertArch.efficientBert().paramCount()))
        .isEqualTo(15.74);
    assertThat(ParamCount.millions(EfficientBertArch.efficientBertTiny().paramCount()))
        .isEqualTo(9.38);
    assertThat(ParamCount.millions(EfficientBertArch.efficientBertPlusPlus().paramCount()))
        .isEqualTo(14.24);
  }

  @Test
  void exactCountsMatchTheHandComputedSums() {
    // H 540: embedding 4,393,356 + fit_dense 415,488 + 6 x attn 1,169,640 + FFNs 3,911,040
    assertThat(EfficientBertArch.efficientBert().paramCount()).isEqualTo(15_737_724L);
    assertThat(EfficientBertArch.efficientBertTiny().paramCount()).isEqualTo(9_375_144L);
    assertThat(EfficientBertArch.efficientBertPlusPlus().paramCount()).isEqualTo(14_241_864L);
  }

  @Test
  void componentsMatchTheTrigramEmbeddingAndLayerFormulas() {
    EfficientBertArch arch = EfficientBertArch.efficientBert();
    long h = 540;
    assertThat(ParamCount.embedding(arch))
        .isEqualTo(30522L * 128 + (384 * h + h) + 512 * h + 2 * h + 2 * h)
        .isEqualTo(4_393_356L);
    assertThat(ParamCount.fitDense(arch)).isEqualTo(h * 768 + 768);
    assertThat(ParamCount.attention(540)).isEqualTo(4 * h * h + 4 * h + 2 * h);
    // linear2_3: 2 x (dense1 540x180 + 180, dense2 180x540 + 540, LayerNorm 1080)
    assertThat(ParamCount.ffn(540, 540, LinearSize.of(2, 3)))
        .isEqualTo(2 * (540L * 180 + 180 + 180L * 540 + 540 + 1080));
  }

  @Test
  void paramListAgreesWithTheReferenceTablesToFourDecimals() {
    Map<String, Long> big = ParamCount.paramList(EfficientBertArch.efficientBert());
    assertThat(m4(big.get("embed_fit_dense"))).isEqualTo(4.8088);
    assertThat(m4(big.get("attn"))).isEqualTo(1.1696);
    assertThat(m4(big.get("1_1"))).isEqualTo(0.5854);
    assertThat(m4(big.get("1_4"))).isEqualTo(0.1476);
    assertThat(m4(big.get("3_3"))).isEqualTo(0.5886);
    assertThat(m4(big.get("4_2"))).isEqualTo(1.1740);
    Map<String, Long> small = ParamCount.paramList(EfficientBertArch.efficientBertTiny());
    assertThat(m4(small.get("embed_fit_dense"))).isEqualTo(4.5084);
    assertThat(m4(small.get("attn"))).isEqualTo(0.5206);
    assertThat(m4(small.get("1_3"))).isEqualTo(0.0876);
    assertThat(m4(small.get("4_4"))).isEqualTo(0.2639);
    assertThat(big).hasSize(18);
  }

  @Test
  void searchTotalFromParamListEqualsArchitectureTotal() {
    EfficientBertArch arch = EfficientBertArch.efficientBert();
    assertThat(ParamCount.total(ParamCount.paramList(arch), arch.linearSizes()))
        .isEqualTo(arch.paramCount());
  }

  @Test
  void fitDenseIsWhatMakesThePublishedFigures() {
    for (EfficientBertArch arch :
        new EfficientBertArch[] {
          EfficientBertArch.efficientBert(),
          EfficientBertArch.efficientBertTiny(),
          EfficientBertArch.efficientBertPlusPlus()
        }) {
      long without = arch.paramCount() - ParamCount.fitDense(arch);
      assertThat(ParamCount.millions(without)).isNotEqualTo(ParamCount.millions(arch.paramCount()));
    }
  }

  private static double m4(long count) {
    return Math.round(count / 100.0) / 1e4;
  }
}
