package dev.retort.core.efficientbert.search;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.data.BatchOrder;
import dev.retort.core.data.Batcher;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.efficientbert.EfficientBertArch;
import dev.retort.core.efficientbert.EfficientBertModel;
import dev.retort.core.engine.Torch;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.metrics.SplitPredictions;
import dev.retort.core.metrics.TaskMetric;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.Taps;
import dev.retort.core.text.LengthBuckets;

/**
 * Scores an {@link EfficientBertModel}, run with a chosen architecture, on a labelled split: all
 * predictions first, then corpus-level metrics (the reference averages MCC, F1 and correlations
 * over dev batches, see methods.md 3.7).
 */
public final class DevScorer {
  private final TaskMetric metric;
  private final int batchSize;
  private final LengthBuckets buckets;

  /**
   * Creates a scorer.
   *
   * @param metric what to compute
   * @param batchSize examples per forward pass
   * @param buckets the padded lengths, or null for the standard ones
   */
  public DevScorer(TaskMetric metric, int batchSize, LengthBuckets buckets) {
    this.metric = metric;
    this.batchSize = batchSize;
    this.buckets = buckets;
  }

  /**
   * Evaluates.
   *
   * @param model the model, with a head
   * @param active the architecture to run ({@code model.arch()} or a sub-architecture)
   * @param data the split
   * @param parent a manager for temporaries
   * @return the task's metrics and selection value
   */
  public MetricSet evaluate(
      EfficientBertModel model, EfficientBertArch active, EncodedDataset data, NDManager parent) {
    Torch.noGradOnThisThread();
    int n = data.size();
    SplitPredictions predictions = new SplitPredictions(n, model.head().regression());
    Batcher.Builder bb =
        Batcher.builder()
            .setData(data)
            .setBatchSize(Math.max(1, Math.min(batchSize, n)))
            .optOrder(BatchOrder.SEQUENTIAL)
            .optDropLast(false);
    if (buckets != null) {
      bb.optBuckets(buckets);
    }
    for (Batch b : bb.build().epoch(0)) {
      try (NDManager m = parent.newSubManager()) {
        BertInput in = BertInput.of(m, b.inputIds(), b.segmentIds(), b.attentionMask());
        NDArray logits =
            model
                .forward(new ParameterStore(m, false), in, active, Taps.NONE, false)
                .logits(); // [B, C]
        predictions.add(
            logits.toType(DataType.FLOAT32, false).toFloatArray(),
            (int) logits.getShape().get(1),
            b.exampleIndices());
      }
    }
    return predictions.score(metric, data.labels(), data.targets(), model.head().numLabels());
  }
}
