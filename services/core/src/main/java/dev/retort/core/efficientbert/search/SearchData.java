package dev.retort.core.efficientbert.search;

import dev.retort.core.data.EncodedDataset;
import dev.retort.core.metrics.TaskMetric;
import dev.retort.core.model.HeadConfig;
import dev.retort.core.text.LengthBuckets;

/**
 * The encoded data a search trains and scores candidates on.
 *
 * @param train the task's training examples (downstream KD)
 * @param dev the task's dev examples (the fitness)
 * @param corpus pre-training examples from a plain-text corpus, or null without pre-training KD
 * @param buckets the padded lengths of the task's batches
 * @param metric the task's metric; its selection value is the fitness
 * @param head the candidates' prediction head
 */
public record SearchData(
    EncodedDataset train,
    EncodedDataset dev,
    EncodedDataset corpus,
    LengthBuckets buckets,
    TaskMetric metric,
    HeadConfig head) {}
