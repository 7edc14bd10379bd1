package dev.retort.core.distill;

/**
 * Which losses a step optimises. BERT-EMD, HRKD and EfficientBERT train everything jointly; TinyBERT's
 * task distillation trains the intermediate layers first and the prediction layer second.
 */
public enum Phase {
  /** Intermediate and prediction losses together. */
  JOINT,
  /** Embedding, hidden and attention losses only. */
  INTERMEDIATE,
  /** The prediction loss only. */
  PREDICTION
}
