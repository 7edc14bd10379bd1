/**
 * Corpus-level evaluation metrics (accuracy, F1, macro-F1, MCC, Pearson, Spearman and their
 * combinations) and, per task, which metrics are reported and which one selects checkpoints.
 *
 * <p>Undefined values (zero denominators, constant series) are reported as 0, never NaN. Shape
 * legend: N examples.
 */
package dev.retort.core.metrics;
