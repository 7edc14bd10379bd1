package dev.retort.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SplitPredictionsTest {

  @Test
  void batchesLandAtTheirExamplesAndTheCorpusIsScoredOnce() {
    SplitPredictions p = new SplitPredictions(4, false);
    // Batch 1 holds examples 3 and 0; batch 2 holds 1 and 2. Logits [B, 3].
    p.add(new float[] {0f, 2f, 1f, 5f, -1f, 0f}, 3, new int[] {3, 0});
    p.add(new float[] {1f, 1f, 0f, -3f, -2f, -1f}, 3, new int[] {1, 2});
    // Predicted: example 0 → 0, 1 → 0 (a tie goes to the first class), 2 → 2, 3 → 1.
    MetricSet m = p.score(TaskMetric.ACCURACY, new int[] {0, 1, 2, 1}, null, 3);
    assertThat(m.get(MetricName.ACC)).isCloseTo(0.75, within(1e-12));
  }

  @Test
  void aFilteredBatchRecordsOnlyTheRowsItKeeps() {
    SplitPredictions p = new SplitPredictions(2, false);
    float[] headA = {9f, 0f, 9f, 0f}; // [2, 2]: class 0 for both rows
    float[] headB = {0f, 9f, 0f, 9f}; // [2, 2]: class 1 for both rows
    int[] domain = {0, 1};
    p.add(headA, 2, new int[] {0, 1}, row -> domain[row] == 0);
    p.add(headB, 2, new int[] {0, 1}, row -> domain[row] == 1);
    MetricSet m = p.score(TaskMetric.ACCURACY, new int[] {0, 1}, null, 2);
    assertThat(m.get(MetricName.ACC)).isEqualTo(1.0);
  }

  @Test
  void regressionKeepsEachRowsSingleValue() {
    SplitPredictions p = new SplitPredictions(3, true);
    p.add(new float[] {3f, 1f, 2f}, 1, new int[] {2, 0, 1});
    MetricSet m = p.score(TaskMetric.CORRELATION, null, new float[] {1f, 2f, 3f}, 1);
    assertThat(m.get(MetricName.PEARSON)).isCloseTo(1.0, within(1e-9));
  }
}
