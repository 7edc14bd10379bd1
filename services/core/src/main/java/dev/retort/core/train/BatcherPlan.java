package dev.retort.core.train;

import dev.retort.core.data.Batch;
import dev.retort.core.data.Batcher;

/** Adapts a {@link Batcher} to the loop's {@link BatchPlan}. */
public final class BatcherPlan implements BatchPlan<Batch> {
  private final Batcher batcher;

  /** Wraps a batcher. */
  public BatcherPlan(Batcher batcher) {
    this.batcher = batcher;
  }

  /** {@inheritDoc} */
  @Override
  public int batchesPerEpoch() {
    return batcher.batchesPerEpoch();
  }

  /** {@inheritDoc} */
  @Override
  public Batch batch(int epoch, int index) {
    return batcher.batch(epoch, index);
  }

  /** {@inheritDoc} */
  @Override
  public int examples(Batch batch) {
    return batch.size();
  }
}
