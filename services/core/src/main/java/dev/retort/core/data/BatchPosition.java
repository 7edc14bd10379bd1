package dev.retort.core.data;

/**
 * A place in the batch stream: the batch at {@code index} of {@code epoch}.
 *
 * <p>Batchers and samplers are pure functions of (seed, epoch, index), so a saved position is all
 * that resuming needs: the next batch after a checkpoint at position p is {@code batch(p)}.
 *
 * @param epoch the epoch, from 0
 * @param index the batch index within the epoch, from 0
 */
public record BatchPosition(int epoch, int index) {
  /** The first batch of the first epoch. */
  public static final BatchPosition START = new BatchPosition(0, 0);

  /** Checks that both are non-negative. */
  public BatchPosition {
    if (epoch < 0 || index < 0) {
      throw new IllegalArgumentException("epoch and index must be >= 0: " + epoch + ", " + index);
    }
  }

  /**
   * Returns the position after this one.
   *
   * @param batchesPerEpoch the number of batches in an epoch
   * @return {@code (epoch, index + 1)}, or {@code (epoch + 1, 0)} at the end of the epoch
   */
  public BatchPosition next(int batchesPerEpoch) {
    return index + 1 < batchesPerEpoch
        ? new BatchPosition(epoch, index + 1)
        : new BatchPosition(epoch + 1, 0);
  }

  /**
   * Returns the number of batches before this position.
   *
   * @param batchesPerEpoch the number of batches in an epoch
   * @return {@code epoch * batchesPerEpoch + index}
   */
  public long step(int batchesPerEpoch) {
    return (long) epoch * batchesPerEpoch + index;
  }
}
