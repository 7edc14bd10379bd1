package dev.retort.core.model;

/**
 * What sits between the tanh pooler and the classifier.
 *
 * <p>Hugging Face's {@code BertForSequenceClassification} applies dropout only ({@link #NONE}).
 * TinyBERT's {@code TinyBertForSequenceClassification}, which the BERT-EMD code runs both teacher
 * and student through during distillation, applies a ReLU and no dropout ({@link #RELU},
 * {@code modeling.py:1168}).
 */
public enum PooledActivation {
  /** {@code classifier(dropout(pooled))}: Hugging Face, HRKD and EfficientBERT. */
  NONE,
  /** {@code classifier(relu(pooled))}: the BERT-EMD/TinyBERT code. */
  RELU
}
