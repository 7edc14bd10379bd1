package dev.retort.core.efficientbert.search;

import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertModel;

/**
 * The two teachers of EfficientBERT's distillation (methods.md 3.3): a pre-trained encoder for
 * task-agnostic pre-training KD and the task's fine-tuned model for downstream KD. Both need the
 * students' head count for the attention loss; their layer counts must be multiples of the
 * students'.
 *
 * @param pretraining the pre-trained encoder (reference: BERT-base)
 * @param task the fine-tuned teacher with the task's head
 */
public record SearchTeachers(BertModel pretraining, BertForSequenceClassification task) {

  /** Returns the pre-training teacher's layer count. */
  public int pretrainingLayers() {
    return pretraining.config().numLayers();
  }

  /** Returns the task teacher's layer count. */
  public int taskLayers() {
    return task.config().numLayers();
  }
}
