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

  /** The predictions of a split. */
  public record Predictions(int[] classes, float[] values) {}

  /**
   * Predicts every example.
   *
   * @param model the model (dropout off)
   * @param data the encoded split
   * @param parent a manager for the temporary arrays
   * @return class ids for classification, values for regression
   */
  public Predictions predict(BertForSequenceClassification model, EncodedDataset data, NDManager parent) {
    Torch.noGradOnThisThread();
    boolean regression = model.head().regression();
    int n = data.size();
    int[] classes = new int[n];
    float[] values = new float[n];
    if (n == 0) {
      return new Predictions(classes, values);
    }
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
          NDArray logits = model.logits(ps, out.pooled(), false, model.head().multiDomain() ? d : 0); // [B, C]
          float[] flat = logits.toType(DataType.FLOAT32, false).toFloatArray();
          int c = (int) logits.getShape().get(1);
          for (int i = 0; i < b.size(); i++) {
            if (dom[i] != d) {
              continue;
            }
            int idx = b.exampleIndices()[i];
            if (regression) {
              values[idx] = flat[i];
            } else {
              int best = 0;
              for (int k = 1; k < c; k++) {
                if (flat[i * c + k] > flat[i * c + best]) {
                  best = k;
                }
              }
              classes[idx] = best;
            }
          }
        }
      }
    }
    return new Predictions(classes, values);
  }

  /**
   * Evaluates a model on a labelled split.
   *
   * @param model the model
   * @param data the encoded split
   * @param parent a manager for temporaries
   * @return every metric of the task, and the selection value
   */
  public MetricSet evaluate(BertForSequenceClassification model, EncodedDataset data, NDManager parent) {
    Predictions p = predict(model, data, parent);
    if (model.head().regression()) {
      return metric.evaluate(p.values(), data.targets());
    }
    return metric.evaluate(p.classes(), data.labels(), model.head().numLabels());
  }
}
