package dev.retort.core.data;

/** A GLUE file role: labelled training or development data, or unlabelled test data. */
public enum GlueSplit {
  /** {@code train.tsv}. */
  TRAIN,
  /** {@code dev.tsv} ({@code dev_matched.tsv} / {@code dev_mismatched.tsv} for MNLI). */
  DEV,
  /** {@code test.tsv} ({@code test_matched.tsv} / {@code test_mismatched.tsv} for MNLI). */
  TEST
}
