package dev.retort.core.metrics;

/** The corpus-level metrics a task can report, with the keys used in logs and results. */
public enum MetricName {
  /** Accuracy: correct / N. */
  ACC("acc"),
  /** Binary F1 of the positive class (label id 1). */
  F1("f1"),
  /** Unweighted mean of the per-class F1 scores. */
  MACRO_F1("macro_f1"),
  /** Matthews correlation coefficient. */
  MCC("mcc"),
  /** Pearson correlation. */
  PEARSON("pearson"),
  /** Spearman rank correlation (average ranks for ties). */
  SPEARMAN("spearman"),
  /** (Pearson + Spearman) / 2. */
  CORR("corr"),
  /** (accuracy + F1) / 2. */
  ACC_AND_F1("acc_and_f1");

  private final String key;

  MetricName(String key) {
    this.key = key;
  }

  /** Returns the key, such as {@code "acc"} or {@code "acc_and_f1"}. */
  public String key() {
    return key;
  }

  /** Returns whether the metric needs real-valued predictions (regression). */
  public boolean isCorrelation() {
    return this == PEARSON || this == SPEARMAN || this == CORR;
  }
}
