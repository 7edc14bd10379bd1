package dev.retort.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetAndResultTest {

  @Test
  void atLeastTargetIsReachedOnTheThresholdAndSaysHowFarBelow() {
    Target t = Target.atLeast(0.6);
    assertThat(t.reachedBy(0.6)).isTrue();
    assertThat(t.reachedBy(0.42)).isFalse();
    assertThat(t.reachedBy(Double.NaN)).isFalse();
    assertThat(t.shortfall(0.42)).isEqualTo("0.180 short");
    assertThat(t.shortfall(0.7)).isEmpty();
    assertThat(t.describe()).isEqualTo("≥ 0.6");
  }

  @Test
  void atMostTargetSaysHowManyTimesTheLimit() {
    Target t = Target.atMost(0.01);
    assertThat(t.reachedBy(0.004)).isTrue();
    assertThat(t.reachedBy(0.025)).isFalse();
    assertThat(t.shortfall(0.025)).isEqualTo("2.50x the limit");
    assertThat(t.describe()).isEqualTo("≤ 0.01");
    assertThat(t.describedAs("no growth").describe()).isEqualTo("no growth");
  }

  @Test
  void verdictCombinesTargetAndExtraCondition() {
    FigureResult ok =
        FigureResult.measured(FigureId.WIRE_SIZE, 0.1, "0.1", Target.atMost(0.3), Map.of());
    assertThat(ok.reached()).isTrue();
    assertThat(ok.verdict()).isEqualTo("yes");
    FigureResult lossy = ok.withUnmet("loss differs by 3%");
    assertThat(lossy.reached()).isFalse();
    assertThat(lossy.verdict()).isEqualTo("no (loss differs by 3%)");
    FigureResult big =
        FigureResult.measured(FigureId.WIRE_SIZE, 0.6, "0.6", Target.atMost(0.3), Map.of())
            .withUnmet("x");
    assertThat(big.verdict()).isEqualTo("no (2.00x the limit; x)");
  }

  @Test
  void skippedAndInformationalFiguresHaveNoVerdict() {
    FigureResult s = FigureResult.skipped(FigureId.PLATFORM_OVERHEAD, "services not built");
    assertThat(s.reached()).isNull();
    assertThat(s.measured()).isEqualTo("skipped: services not built");
    assertThat(s.verdict()).isEqualTo("–");
    FigureResult i = FigureResult.info(FigureId.MATMUL, "90 GFLOP/s", Map.of("n", 2048));
    assertThat(i.reached()).isNull();
    assertThat(i.verdict()).isEqualTo("stated");
    assertThat(i.toMap())
        .containsEntry("status", "info")
        .containsEntry("reached", null)
        .containsEntry("value", null);
  }

  @Test
  void unknownFigureNameListsTheKnownOnes() {
    assertThat(FigureId.parse(" Wire-Size ")).isEqualTo(FigureId.WIRE_SIZE);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> FigureId.parse("speed"))
        .hasMessageContaining("speed")
        .hasMessageContaining("step-efficiency, step-split");
  }
}
