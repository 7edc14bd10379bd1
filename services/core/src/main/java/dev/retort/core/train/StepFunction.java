package dev.retort.core.train;

import ai.djl.ndarray.NDManager;
import dev.retort.core.distill.LossBreakdown;

/**
 * Computes the loss of one (micro-)batch inside the loop's gradient collector.
 *
 * @param <B> the batch type
 */
public interface StepFunction<B> {

  /**
   * Computes the loss.
   *
   * @param batch the batch
   * @param manager the step's manager: allocate everything here, it is closed after the step
   * @param state the state before this step (its {@code step} is the step being computed)
   * @param timer records teacher and loss-service waits
   * @return the loss to back-propagate and its terms
   */
  LossBreakdown loss(B batch, NDManager manager, TrainState state, StepTimer timer);

  /**
   * Called after the optimiser applied the step.
   *
   * @param state the state after the step
   */
  default void afterStep(TrainState state) {}
}
