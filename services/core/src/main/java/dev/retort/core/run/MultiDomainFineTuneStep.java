package dev.retort.core.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.retort.core.data.Batch;
import dev.retort.core.data.MultiDomainStep;
import dev.retort.core.distill.DistillationStep;
import dev.retort.core.distill.LossBreakdown;
import dev.retort.core.distill.loss.HardCrossEntropy;
import dev.retort.core.distill.loss.RegressionMse;
import dev.retort.core.model.BertForSequenceClassification;
import dev.retort.core.model.BertInput;
import dev.retort.core.model.Taps;
import dev.retort.core.train.StepFunction;
import dev.retort.core.train.StepTimer;
import dev.retort.core.train.TrainState;
import java.util.Map;

/**
 * HRKD's multi-domain teacher ({@code MetaBert}): a shared encoder with one head per domain, trained
 * on {@code Σ_d CE(head_d(x_d), y_d)} with every step holding a sub-batch of every domain.
 */
final class MultiDomainFineTuneStep implements StepFunction<MultiDomainStep> {
  private final BertForSequenceClassification model;
  private final HardCrossEntropy ce = new HardCrossEntropy();
  private final RegressionMse mse = new RegressionMse(RegressionMse.GOLD);

  MultiDomainFineTuneStep(BertForSequenceClassification model) {
    this.model = model;
  }

  @Override
  public LossBreakdown loss(MultiDomainStep step, NDManager manager, TrainState state, StepTimer timer) {
    NDArray total = null;
    ParameterStore ps = new ParameterStore(manager, false);
    for (int d = 0; d < step.batches().size(); d++) {
      Batch b = step.batches().get(d);
      BertInput in = BertInput.of(manager, b.inputIds(), b.segmentIds(), b.attentionMask());
      NDArray logits = model.forward(ps, in, Taps.NONE, true, d).logits();
      NDArray labels = DistillationStep.labels(b, manager);
      NDArray l = model.head().regression() ? mse.compute(logits, labels) : ce.compute(logits, labels);
      total = total == null ? l : total.add(l);
    }
    return new LossBreakdown(total, Map.of(HardCrossEntropy.NAME, total));
  }
}
