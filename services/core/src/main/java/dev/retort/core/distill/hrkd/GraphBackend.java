package dev.retort.core.distill.hrkd;

import dev.retort.core.tensor.HostTensor;

/**
 * Evaluates HRKD's graph for a step: in-process ({@link LocalGraphBackend}) or in the loss
 * service over Kafka. Both compute the same numbers from the same inputs and seed, so a
 * distributed run trains the same student as an in-process one.
 */
public interface GraphBackend extends AutoCloseable {

  /**
   * Computes the ratios and the prototypes' vector-Jacobian product; in trained mode also updates
   * the graph.
   *
   * @param step the optimiser step (seeds the graph's dropout)
   * @param prototypes detached P, [M+1, D, H]
   * @param layerLosses detached ℓ, [M+1, D]
   * @param snapshot whether the caller checkpoints after this step (the graph snapshots its state)
   * @return ratios and gradient
   */
  GraphResult evaluate(long step, HostTensor prototypes, HostTensor layerLosses, boolean snapshot);

  /** Restores the graph state of a checkpointed step before the first call after a restart. */
  default void resumeFrom(long step) {}

  @Override
  default void close() {}
}
