package dev.retort.core.distill.emd;

/**
 * Solves a step's transport problems and updates the layer weights: in-process ({@link
 * LocalTransportBackend}) or in the loss service over Kafka. Both run {@link TransportSolver} and
 * {@link CostAttention} on the same inputs, so a distributed run trains the same student.
 */
public interface TransportBackend extends AutoCloseable {

  /**
   * Solves one step.
   *
   * @param step the optimiser step (for idempotency and logs)
   * @param current the layer weights this step uses
   * @param attDistances detached attention distances, M x N
   * @param hidDistances detached hidden-state distances, M x N
   * @return the flows and the next weights
   */
  EmdSolution solve(long step, EmdLayerWeights current, double[][] attDistances, double[][] hidDistances);

  @Override
  default void close() {}
}
