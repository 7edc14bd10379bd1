package dev.retort.core.metrics;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which metrics a task reports and which one selects the best checkpoint.
 *
 * @param reported the metrics to compute, in reporting order
 * @param selectBy the selection metric; computed even if not in {@code reported}
 */
public record TaskMetric(List<MetricName> reported, MetricName selectBy) {
  /** Accuracy only (SST-2, QNLI, RTE, WNLI, MNLI, multi-domain sentiment). */
  public static final TaskMetric ACCURACY = new TaskMetric(List.of(MetricName.ACC), MetricName.ACC);

  /** Matthews correlation (CoLA). */
  public static final TaskMetric MATTHEWS = new TaskMetric(List.of(MetricName.MCC), MetricName.MCC);

  /** Accuracy and F1, selected by their mean (MRPC, QQP; EfficientBERT's rule). */
  public static final TaskMetric ACC_AND_F1 =
      new TaskMetric(
          List.of(MetricName.ACC, MetricName.F1, MetricName.ACC_AND_F1), MetricName.ACC_AND_F1);

  /** Pearson and Spearman, selected by their mean (STS-B). */
  public static final TaskMetric CORRELATION =
      new TaskMetric(
          List.of(MetricName.PEARSON, MetricName.SPEARMAN, MetricName.CORR), MetricName.CORR);

  /** Copies the list and checks that classification and correlation metrics are not mixed. */
  public TaskMetric {
    reported = List.copyOf(reported);
    boolean correlation = selectBy.isCorrelation();
    for (MetricName m : reported) {
      if (m.isCorrelation() != correlation) {
        throw new IllegalArgumentException(
            "cannot mix classification and correlation metrics: " + reported + ", " + selectBy);
      }
    }
  }

  /**
   * Returns the same reported metrics with another selection metric (e.g. BERT-EMD selects MRPC and
   * QQP by accuracy).
   *
   * @param key the selection metric
   * @return the changed task metric
   */
  public TaskMetric withSelection(MetricName key) {
    return new TaskMetric(reported, key);
  }

  /** Returns whether the metrics are correlations (regression tasks). */
  public boolean isRegression() {
    return selectBy.isCorrelation();
  }

  /**
   * Evaluates classification predictions.
   *
   * @param predictions predicted class ids // [N]
   * @param gold gold class ids // [N]
   * @param numClasses C (for macro F1)
   * @return the metric set
   */
  public MetricSet evaluate(int[] predictions, int[] gold, int numClasses) {
    if (isRegression()) {
      throw new IllegalStateException(this + " needs real-valued predictions");
    }
    Map<MetricName, Double> values = new LinkedHashMap<>();
    for (MetricName m : reported) {
      values.put(m, classification(m, predictions, gold, numClasses));
    }
    values.computeIfAbsent(selectBy, m -> classification(m, predictions, gold, numClasses));
    return new MetricSet(values, selectBy);
  }

  /**
   * Evaluates regression predictions.
   *
   * @param predictions predicted values // [N]
   * @param gold gold values // [N]
   * @return the metric set
   */
  public MetricSet evaluate(float[] predictions, float[] gold) {
    if (!isRegression()) {
      throw new IllegalStateException(this + " needs class predictions");
    }
    double[] x = CorrelationMetrics.toDoubles(predictions);
    double[] y = CorrelationMetrics.toDoubles(gold);
    Map<MetricName, Double> values = new LinkedHashMap<>();
    for (MetricName m : reported) {
      values.put(m, correlation(m, x, y));
    }
    values.computeIfAbsent(selectBy, m -> correlation(m, x, y));
    return new MetricSet(values, selectBy);
  }

  private static double classification(MetricName m, int[] p, int[] g, int numClasses) {
    switch (m) {
      case ACC:
        return ClassificationMetrics.accuracy(p, g);
      case F1:
        return ClassificationMetrics.f1(p, g);
      case MACRO_F1:
        return ClassificationMetrics.macroF1(p, g, numClasses);
      case MCC:
        return ClassificationMetrics.mcc(p, g);
      case ACC_AND_F1:
        return (ClassificationMetrics.accuracy(p, g) + ClassificationMetrics.f1(p, g)) / 2;
      default:
        throw new IllegalArgumentException(m + " is not a classification metric");
    }
  }

  private static double correlation(MetricName m, double[] x, double[] y) {
    switch (m) {
      case PEARSON:
        return CorrelationMetrics.pearson(x, y);
      case SPEARMAN:
        return CorrelationMetrics.spearman(x, y);
      case CORR:
        return (CorrelationMetrics.pearson(x, y) + CorrelationMetrics.spearman(x, y)) / 2;
      default:
        throw new IllegalArgumentException(m + " is not a correlation metric");
    }
  }
}
