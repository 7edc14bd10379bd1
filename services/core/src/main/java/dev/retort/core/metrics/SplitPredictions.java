package dev.retort.core.metrics;

import java.util.function.IntPredicate;

/**
 * The predictions of a whole split, gathered batch by batch from logits and scored once over the
 * corpus: the EfficientBERT code averages its metrics over batches, which biases F1, MCC and
 * correlations (methods.md 3.7).
 */
public final class SplitPredictions {
  private final boolean regression;
  private final int[] classes; // [N], the argmax of each row (classification)
  private final float[] values; // [N], the single logit of each row (regression)

  /**
   * Creates an empty set.
   *
   * @param size the examples of the split
   * @param regression whether each row holds one value instead of class logits
   */
  public SplitPredictions(int size, boolean regression) {
    this.regression = regression;
    this.classes = new int[size];
    this.values = new float[size];
  }

  /**
   * Records a batch's predictions.
   *
   * @param logits the batch's logits, row-major // [B, C]
   * @param columns C
   * @param exampleIndices each row's example index in the split // [B]
   */
  public void add(float[] logits, int columns, int[] exampleIndices) {
    add(logits, columns, exampleIndices, row -> true);
  }

  /**
   * Records the rows of a batch that a filter keeps (a multi-domain batch is scored by one head
   * per domain, each head's logits kept for its own rows).
   *
   * @param logits the batch's logits, row-major // [B, C]
   * @param columns C
   * @param exampleIndices each row's example index in the split // [B]
   * @param keep which rows to record
   */
  public void add(float[] logits, int columns, int[] exampleIndices, IntPredicate keep) {
    for (int row = 0; row < exampleIndices.length; row++) {
      if (!keep.test(row)) {
        continue;
      }
      int example = exampleIndices[row];
      if (regression) {
        values[example] = logits[row * columns];
      } else {
        classes[example] = argmax(logits, row * columns, columns);
      }
    }
  }

  /** Returns the first index of the largest of {@code columns} values from {@code offset}. */
  private static int argmax(float[] logits, int offset, int columns) {
    int best = 0;
    for (int k = 1; k < columns; k++) {
      if (logits[offset + k] > logits[offset + best]) {
        best = k;
      }
    }
    return best;
  }

  /**
   * Scores the predictions against the split's answers.
   *
   * @param metric the task's metric
   * @param labels the class ids, for classification // [N]
   * @param targets the regression targets, for regression // [N]
   * @param numLabels the classes
   * @return every metric of the task, and the selection value
   */
  public MetricSet score(TaskMetric metric, int[] labels, float[] targets, int numLabels) {
    return regression
        ? metric.evaluate(values, targets)
        : metric.evaluate(classes, labels, numLabels);
  }
}
