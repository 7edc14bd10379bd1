package dev.retort.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  private static final double EPS = 1e-12;

  @Test
  void accuracyCountsExactMatches() {
    assertThat(ClassificationMetrics.accuracy(new int[] {1, 0, 1, 1}, new int[] {1, 1, 1, 0}))
        .isEqualTo(0.5);
    assertThat(ClassificationMetrics.accuracy(new int[0], new int[0])).isZero();
  }

  @Test
  void f1OfThePositiveClassFromTruePositivesAndErrors() {
    // TP 2, FP 1, FN 1 -> 2*2 / (4 + 1 + 1)
    int[] pred = {1, 1, 0, 0, 1};
    int[] gold = {1, 0, 0, 1, 1};
    assertThat(ClassificationMetrics.f1(pred, gold)).isCloseTo(4.0 / 6, within(EPS));
  }

  @Test
  void f1WithNoPositivesAnywhereIsZero() {
    assertThat(ClassificationMetrics.f1(new int[] {0, 0}, new int[] {0, 0})).isZero();
  }

  @Test
  void binaryMccMatchesTheConfusionMatrixFormula() {
    // TP 2, TN 1, FP 1, FN 1: (2*1 - 1*1) / sqrt(3*3*2*2) = 1/6
    int[] pred = {1, 1, 0, 0, 1};
    int[] gold = {1, 0, 0, 1, 1};
    assertThat(ClassificationMetrics.mcc(pred, gold)).isCloseTo(1.0 / 6, within(EPS));
    assertThat(ClassificationMetrics.mcc(gold, gold)).isCloseTo(1, within(EPS));
    assertThat(ClassificationMetrics.mcc(new int[] {0, 1, 0, 1}, new int[] {1, 0, 1, 0}))
        .isCloseTo(-1, within(EPS));
  }

  @Test
  void mccIsZeroWhenAllPredictionsOrAllLabelsAreOneClass() {
    assertThat(ClassificationMetrics.mcc(new int[] {1, 1, 1, 1}, new int[] {1, 0, 1, 0})).isZero();
    assertThat(ClassificationMetrics.mcc(new int[] {1, 0, 1, 0}, new int[] {0, 0, 0, 0})).isZero();
  }

  @Test
  void multiClassMccAndMacroF1ByHand() {
    int[] gold = {0, 1, 2, 0, 1, 2};
    int[] pred = {0, 1, 1, 0, 2, 2};
    // c=4, N=6, p=t=(2,2,2): (4*6 - 12) / sqrt((36-12)(36-12)) = 0.5
    assertThat(ClassificationMetrics.mcc(pred, gold)).isCloseTo(0.5, within(EPS));
    // F1 per class: 1, 0.5, 0.5
    assertThat(ClassificationMetrics.macroF1(pred, gold, 3)).isCloseTo(2.0 / 3, within(EPS));
  }

  @Test
  void pearsonAndSpearmanWithTiesByHand() {
    double[] x = {1, 2, 3, 4, 5};
    double[] y = {2, 4, 5, 4, 5};
    // sxy 6, sxx 10, syy 6
    assertThat(CorrelationMetrics.pearson(x, y)).isCloseTo(6 / Math.sqrt(60), within(EPS));
    // ranks of y: 1, 2.5, 4.5, 2.5, 4.5 -> sxy 7, sxx 10, syy 9
    assertThat(CorrelationMetrics.ranks(y)).containsExactly(1, 2.5, 4.5, 2.5, 4.5);
    assertThat(CorrelationMetrics.spearman(x, y)).isCloseTo(7 / Math.sqrt(90), within(EPS));
  }

  @Test
  void constantPredictionsGiveZeroCorrelationNotNaN() {
    double[] x = {3, 3, 3};
    double[] y = {1, 2, 3};
    assertThat(CorrelationMetrics.pearson(x, y)).isZero();
    assertThat(CorrelationMetrics.spearman(x, y)).isZero();
    assertThat(CorrelationMetrics.pearson(new double[] {1}, new double[] {2})).isZero();
    MetricSet m = TaskMetric.CORRELATION.evaluate(new float[] {3, 3, 3}, new float[] {1, 2, 3});
    assertThat(m.selection()).isZero();
  }

  @Test
  void accAndF1TaskMetricReportsInOrderAndSelectsTheMean() {
    MetricSet m =
        TaskMetric.ACC_AND_F1.evaluate(new int[] {1, 1, 0, 0, 1}, new int[] {1, 0, 0, 1, 1}, 2);
    assertThat(m.values().keySet())
        .containsExactly(MetricName.ACC, MetricName.F1, MetricName.ACC_AND_F1);
    assertThat(m.get(MetricName.ACC)).isCloseTo(0.6, within(EPS));
    assertThat(m.selection()).isCloseTo((0.6 + 4.0 / 6) / 2, within(EPS));
    assertThat(m.byKey()).containsKeys("acc", "f1", "acc_and_f1");
    assertThat(m.toString())
        .isEqualTo("acc=0.6000 f1=0.6667 acc_and_f1=0.6333 (select acc_and_f1)");
  }

  @Test
  void selectionMetricIsComputedEvenIfNotReported() {
    TaskMetric bertEmd = TaskMetric.ACC_AND_F1.withSelection(MetricName.ACC);
    assertThat(bertEmd.selectBy()).isEqualTo(MetricName.ACC);
    TaskMetric macro = new TaskMetric(List.of(MetricName.ACC), MetricName.MACRO_F1);
    MetricSet m = macro.evaluate(new int[] {0, 1, 1, 0, 2, 2}, new int[] {0, 1, 2, 0, 1, 2}, 3);
    assertThat(m.selection()).isCloseTo(2.0 / 3, within(EPS));
  }

  @Test
  void correlationTaskMetricAveragesPearsonAndSpearman() {
    MetricSet m =
        TaskMetric.CORRELATION.evaluate(new float[] {1, 2, 3, 4, 5}, new float[] {2, 4, 5, 4, 5});
    double p = 6 / Math.sqrt(60);
    double s = 7 / Math.sqrt(90);
    assertThat(m.get(MetricName.PEARSON)).isCloseTo(p, within(1e-9));
    assertThat(m.get(MetricName.SPEARMAN)).isCloseTo(s, within(1e-9));
    assertThat(m.get(MetricName.CORR)).isCloseTo((p + s) / 2, within(1e-9));
  }
}
