package dev.retort.core.metrics;

/**
 * Corpus-level classification metrics over predicted and gold class ids.
 *
 * <p>Degenerate cases follow scikit-learn: a zero denominator gives 0 (F1 with no predicted and no
 * gold positives, MCC when all predictions or all gold labels are one class). Empty inputs give 0.
 */
public final class ClassificationMetrics {
  private ClassificationMetrics() {}

  /**
   * Returns the accuracy.
   *
   * <p>{@code acc = (1/N) * sum_i [pred_i == gold_i]}
   *
   * @param predictions predicted class ids // [N]
   * @param gold gold class ids // [N]
   * @return the accuracy in [0, 1]
   */
  public static double accuracy(int[] predictions, int[] gold) {
    check(predictions, gold);
    if (gold.length == 0) {
      return 0;
    }
    int correct = 0;
    for (int i = 0; i < gold.length; i++) {
      if (predictions[i] == gold[i]) {
        correct++;
      }
    }
    return (double) correct / gold.length;
  }

  /**
   * Returns the binary F1 of the positive class 1.
   *
   * <p>{@code F1 = 2 TP / (2 TP + FP + FN)}, 0 when the denominator is 0.
   *
   * @param predictions predicted class ids // [N]
   * @param gold gold class ids // [N]
   * @return the F1 in [0, 1]
   */
  public static double f1(int[] predictions, int[] gold) {
    return classF1(predictions, gold, 1);
  }

  /**
   * Returns the macro-averaged F1: the unweighted mean over classes 0..C-1 of each class's
   * one-vs-rest F1.
   *
   * @param predictions predicted class ids // [N]
   * @param gold gold class ids // [N]
   * @param numClasses C
   * @return the macro F1 in [0, 1]
   */
  public static double macroF1(int[] predictions, int[] gold, int numClasses) {
    double sum = 0;
    for (int c = 0; c < numClasses; c++) {
      sum += classF1(predictions, gold, c);
    }
    return numClasses == 0 ? 0 : sum / numClasses;
  }

  private static double classF1(int[] predictions, int[] gold, int positive) {
    check(predictions, gold);
    long tp = 0;
    long fp = 0;
    long fn = 0;
    for (int i = 0; i < gold.length; i++) {
      boolean p = predictions[i] == positive;
      boolean g = gold[i] == positive;
      if (p && g) {
        tp++;
      } else if (p) {
        fp++;
      } else if (g) {
        fn++;
      }
    }
    long denominator = 2 * tp + fp + fn;
    return denominator == 0 ? 0 : 2.0 * tp / denominator;
  }

  /**
   * Returns the Matthews correlation coefficient, multi-class form (Gorodkin 2004), which equals
   * the binary {@code (TP*TN - FP*FN) / sqrt((TP+FP)(TP+FN)(TN+FP)(TN+FN))} for two classes.
   *
   * <p>With N examples, c correct, {@code p_k} predictions and {@code t_k} gold labels of class k:
   * {@code MCC = (c*N - sum_k p_k t_k) / sqrt((N^2 - sum_k p_k^2) (N^2 - sum_k t_k^2))}; 0 when the
   * denominator is 0.
   *
   * @param predictions predicted class ids, non-negative // [N]
   * @param gold gold class ids, non-negative // [N]
   * @return the MCC in [-1, 1]
   */
  public static double mcc(int[] predictions, int[] gold) {
    check(predictions, gold);
    int classes = 0;
    for (int i = 0; i < gold.length; i++) {
      classes = Math.max(classes, Math.max(predictions[i], gold[i]) + 1);
    }
    double[] p = new double[classes];
    double[] t = new double[classes];
    double correct = 0;
    for (int i = 0; i < gold.length; i++) {
      p[predictions[i]]++;
      t[gold[i]]++;
      if (predictions[i] == gold[i]) {
        correct++;
      }
    }
    double n = gold.length;
    double pt = 0;
    double pp = 0;
    double tt = 0;
    for (int k = 0; k < classes; k++) {
      pt += p[k] * t[k];
      pp += p[k] * p[k];
      tt += t[k] * t[k];
    }
    double denominator = Math.sqrt((n * n - pp) * (n * n - tt));
    return denominator == 0 ? 0 : (correct * n - pt) / denominator;
  }

  private static void check(int[] predictions, int[] gold) {
    if (predictions.length != gold.length) {
      throw new IllegalArgumentException(
          predictions.length + " predictions for " + gold.length + " gold labels");
    }
  }
}
