package dev.retort.core.train;

import dev.retort.core.tensor.StateDict;
import java.util.List;

/**
 * Updates weights from their accumulated gradients. Implementations keep per-parameter state
 * (moments) that checkpoints save and restore exactly.
 */
public interface Optimizer extends AutoCloseable {

  /**
   * Applies one update to every parameter that has a gradient.
   *
   * @param params the parameters, in a stable order
   * @param lr the learning rate for this step (schedule already applied)
   */
  void step(List<TrainableParameter> params, float lr);

  /** Returns the number of updates applied so far. */
  long steps();

  /**
   * Returns the state as tensors named {@code <kind>.<param name>} plus a {@code step} count in
   * the metadata, for checkpoints.
   */
  StateDict state();

  /**
   * Restores the state written by {@link #state()}.
   *
   * @param state the saved state
   * @param params the parameters the state belongs to
   */
  void load(StateDict state, List<TrainableParameter> params);

  /** Frees the moment arrays. */
  @Override
  void close();
}
