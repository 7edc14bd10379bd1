package dev.retort.bench.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.retort.core.model.BertConfig;
import org.junit.jupiter.api.Test;

class StatsAndFlopsTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertThat(Stats.median(new double[] {5, 1, 3})).isEqualTo(3);
    assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
  }

  @Test
  void tinyBertEncoderFlopsMatchHandCount() {
    // Per token and layer: 2·(4·312² + 2·312·1200) + 4·128·312 = 2,436,096; × 4 layers × 32·128
    // tokens.
    assertThat(FlopCount.encoder(BertConfig.tinyBert4L312(), 32, 128))
        .isEqualTo(2_436_096.0 * 4 * 4096);
  }

  @Test
  void teacherForwardAddsPoolerAndClassifier() {
    // Encoder: 14,548,992 per token and layer × 12 × 4096; head: 32·(2·768² + 2·768·3) =
    // 37,896,192.
    FlopCount f = FlopCount.teacherForward(BertConfig.bertBase(), 32, 128, 3);
    assertThat(f.flops()).isEqualTo(14_548_992.0 * 12 * 4096 + 37_896_192.0);
    assertThat(f.formula()).contains(FlopCount.ENCODER);
  }

  @Test
  void studentStepIsThreeForwardsIncludingProjection() {
    BertConfig s = BertConfig.tinyBert4L312();
    FlopCount f = FlopCount.studentStep(s, 768, 5, 32, 128, 3);
    double forward =
        2_436_096.0 * 4 * 4096
            + 32 * (2.0 * 312 * 312 + 2.0 * 312 * 3)
            + 5 * 4096 * 2.0 * 312 * 768;
    assertThat(f.flops()).isCloseTo(3 * forward, within(1.0));
    assertThat(f.inputs()).containsEntry("P", 5).containsEntry("H_T", 768);
  }

  @Test
  void pairedRatioIsTheMedianOfPerPairEfficiencies() {
    // Work 100 FLOPs; matmul 10 FLOPs. Pairs: (100/2)/(10/1) = 5, (100/4)/(10/1) = 2.5,
    // (100/1)/(10/4) = 40.
    double r = MatmulSampler.pairedRatio(100, new double[] {2, 4, 1}, 10, new double[] {1, 1, 4});
    assertThat(r).isEqualTo(5);
  }

  @Test
  void matmulIsTwoNCubed() {
    assertThat(FlopCount.matmul(2048)).isEqualTo(2.0 * 2048 * 2048 * 2048);
  }
}
