package dev.retort.core.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.data.BatchOrder;
import dev.retort.core.data.Batcher;
import dev.retort.core.data.EncodedDataset;
import dev.retort.core.engine.Torch;
import dev.retort.core.metrics.MetricSet;
import dev.retort.core.metrics.SplitPredictions;
import dev.retort.core.metrics.TaskMetric;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.BertOutputs;
import dev.retort.core.model.Taps;
import dev.retort.core.text.LengthBuckets;

/**
 * Scores a model on a whole split: every prediction is collected first and the metrics are
 * computed over the corpus, not averaged over batches (the EfficientBERT code averages per batch,
 * which biases F1, MCC and correlations). Multi-domain models use each example's own head.
 */
public final class Evaluator {
  private final TaskMetric metric;
  private final int batchSize;
  private final LengthBuckets buckets;

  /**
   * Creates an evaluator.
   *
   * @param metric what to compute
   * @param batchSize examples per forward pass
   * @param buckets padded lengths
   */
  public Evaluator(TaskMetric metric, int batchSize, LengthBuckets buckets) {
    this.metric = metric;
    this.batchSize = batchSize;
    this.buckets = buckets;
  }

  /**
   * Evaluates a model on a labelled split.
   *
   * @param model the model (dropout off)
   * @param data the encoded split
   * @param parent a manager for the temporary arrays
   * @return every metric of the task, and the selection value
   */
  public MetricSet evaluate(BertForSequenceClassification model, EncodedDataset data, NDManager parent) {
    return evaluate(model, data, parent, () -> { });
  }

  /**
   * Evaluates a model on a labelled split, reporting progress after every batch.
   *
   * @param model the model (dropout off)
   * @param data the encoded split
   * @param parent a manager for the temporary arrays
   * @param afterBatch called after each batch's forward pass, on the calling thread: a service
   *     tells its liveness check that a long evaluation is still computing
   * @return every metric of the task, and the selection value
   */
  public MetricSet evaluate(
      BertForSequenceClassification model, EncodedDataset data, NDManager parent, Runnable afterBatch) {
    Torch.noGradOnThisThread();
    int n = data.size();
    SplitPredictions predictions = new SplitPredictions(n, model.head().regression());
    if (n > 0) {
      Batcher batcher =
          Batcher.builder().setData(data).setBatchSize(Math.min(batchSize, n)).optBuckets(buckets)
              .optOrder(BatchOrder.SEQUENTIAL).optDropLast(false).build();
      for (Batch b : batcher.epoch(0)) {
        try (NDManager m = parent.newSubManager()) {
          BertInput in = BertInput.of(m, b.inputIds(), b.segmentIds(), b.attentionMask());
          ParameterStore ps = new ParameterStore(m, false);
          BertOutputs out = model.bert().forward(ps, in, Taps.NONE, false);
          int[] dom = b.domainIds();
          for (int d : java.util.Arrays.stream(dom).distinct().toArray()) {
            int head = model.head().multiDomain() ? d : 0;
            NDArray logits = model.logits(ps, out.pooled(), false, head); // [B, C]
            predictions.add(
                logits.toType(DataType.FLOAT32, false).toFloatArray(),
                (int) logits.getShape().get(1),
                b.exampleIndices(),
                row -> dom[row] == d);
          }
        }
        afterBatch.run();
      }
    }
    return predictions.score(metric, data.labels(), data.targets(), model.head().numLabels());
  }
}
