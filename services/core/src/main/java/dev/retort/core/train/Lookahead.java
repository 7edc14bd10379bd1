package dev.retort.core.train;

import java.util.ArrayList;
import java.util.List;

/**
 * The batches that follow a position of a phase's plan, up to a window and never past the phase's
 * last batch: what a remote teacher is asked to compute ahead of the steps that need it. A batch
 * past the end would be computed for nothing, on the cores the next job needs.
 *
 * @param plan the phase's batches
 * @param window how many batches ahead, at least 0
 * @param phaseBatches how many batches the phase trains on (its steps × gradient accumulation)
 * @param <B> the batch type
 */
public record Lookahead<B>(BatchPlan<B> plan, int window, long phaseBatches) {

  /** Checks the values. */
  public Lookahead {
    if (window < 0 || phaseBatches < 0) {
      throw new IllegalArgumentException(
          "lookahead window " + window + " and phase batches " + phaseBatches + " must be at least 0");
    }
  }

  /**
   * Returns the batches after a position, in training order (crossing into the next epoch).
   *
   * @param epoch the current batch's epoch
   * @param index the current batch's index in its epoch
   * @return at most {@code window} batches, none at or past position {@code phaseBatches}
   */
  public List<B> after(int epoch, int index) {
    int perEpoch = plan.batchesPerEpoch();
    List<B> next = new ArrayList<>();
    long position = (long) epoch * perEpoch + index;
    for (int k = 1; k <= window && position + k < phaseBatches; k++) {
      long p = position + k;
      next.add(plan.batch((int) (p / perEpoch), (int) (p % perEpoch)));
    }
    return next;
  }

  /**
   * Returns what to announce to a remote teacher when the batch at a position is about to be asked
   * for: that batch, then {@link #after} it; empty when the window is 0. The current batch comes
   * first because the teacher serves one job's requests in the order they were sent: announced
   * after its window, it waited behind batches the step did not need yet (a 4-batch window at
   * the start of a job kept the first step waiting for five BERT-base passes instead of one).
   *
   * @param current the batch at the position
   * @param epoch its epoch
   * @param index its index in its epoch
   * @return the current batch and the window after it, or nothing
   */
  public List<B> announce(B current, int epoch, int index) {
    if (window == 0) {
      return List.of();
    }
    List<B> all = new ArrayList<>();
    all.add(current);
    all.addAll(after(epoch, index));
    return all;
  }
}
