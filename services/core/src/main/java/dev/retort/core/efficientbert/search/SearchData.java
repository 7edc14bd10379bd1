package dev.retort.core.efficientbert.search;

import dev.retort.core.data.EncodedDataset;
import dev.retort.core.metrics.TaskMetric;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.text.LengthBuckets;

/**
 * The encoded data a search trains and scores candidates on. The task's dev split is not part of
 * it: the fitness is measured on the held-out tail of the training split ({@link FitnessHoldout}).
 *
 * @param train the task's training examples before the held-out tail (downstream KD)
 * @param heldOut the held-out tail of the training split (the fitness)
 * @param corpus pre-training examples from a plain-text corpus, or null without pre-training KD
 * @param buckets the padded lengths of the task's batches
 * @param metric the task's metric; its selection value is the fitness
 * @param head the candidates' prediction head
 */
public record SearchData(
    EncodedDataset train,
    EncodedDataset heldOut,
    EncodedDataset corpus,
    LengthBuckets buckets,
    TaskMetric metric,
    HeadConfig head) {}
