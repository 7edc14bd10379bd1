package dev.retort.core.train;

/**
 * The batches of a training phase, addressed by (epoch, index) so that any position can be
 * regenerated exactly after a restart.
 *
 * @param <B> the batch type (a padded single-domain batch, or one step of a multi-domain sampler)
 */
public interface BatchPlan<B> {

  /** Returns the number of batches in every epoch. */
  int batchesPerEpoch();

  /**
   * Returns the batch at a position; the same position always gives the same batch.
   *
   * @param epoch 0-based epoch
   * @param index 0-based index within the epoch
   * @return the batch
   */
  B batch(int epoch, int index);

  /** Returns the number of training examples in a batch (for throughput). */
  int examples(B batch);
}
