package dev.retort.bench.compute;

import dev.retort.core.data.Batch;
import dev.retort.core.train.BatchPlan;
import java.util.List;

/** A plan that cycles through a fixed list of batches: every step sees the same shapes. */
public final class FixedBatchPlan implements BatchPlan<Batch> {
  private final List<Batch> batches;

  /**
   * Creates the plan.
   *
   * @param batches the batches of every epoch, in order
   */
  public FixedBatchPlan(List<Batch> batches) {
    if (batches.isEmpty()) {
      throw new IllegalArgumentException("a plan needs at least one batch");
    }
    this.batches = List.copyOf(batches);
  }

  /** {@inheritDoc} */
  @Override
  public int batchesPerEpoch() {
    return batches.size();
  }

  /** {@inheritDoc} */
  @Override
  public Batch batch(int epoch, int index) {
    return batches.get(index);
  }

  /** {@inheritDoc} */
  @Override
  public int examples(Batch batch) {
    return batch.size();
  }
}
