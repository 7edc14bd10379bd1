package dev.retort.core.distill.emd;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

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
   * @param attDistances detached attention distances, M x N, or null when the attention EMD is
   *     off (the solution then has no attention plan)
   * @param hidDistances detached hidden-state distances, M x N
   * @return the flows and the next weights
   */
  EmdSolution solve(long step, EmdLayerWeights current, double[][] attDistances, double[][] hidDistances);

  /**
   * Starts solving one step, so that the caller can do work that does not need the flows (BERT-EMD's
   * embedding and prediction terms) while a remote solve is in flight. The default solves at once,
   * in the calling thread: right for an in-process solve of a microsecond.
   *
   * @param step the optimiser step
   * @param current the layer weights this step uses
   * @param attDistances detached attention distances, M x N, or null when the attention EMD is off
   * @param hidDistances detached hidden-state distances, M x N
   * @return the solution, when it is there; {@link #await} unwraps its failure
   */
  default CompletableFuture<EmdSolution> solveAsync(
      long step, EmdLayerWeights current, double[][] attDistances, double[][] hidDistances) {
    try {
      return CompletableFuture.completedFuture(solve(step, current, attDistances, hidDistances));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Waits for a solution, rethrowing the solve's own exception (not a wrapper).
   *
   * @param solving from {@link #solveAsync}
   * @return the solution
   */
  static EmdSolution await(CompletableFuture<EmdSolution> solving) {
    try {
      return solving.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw e;
    }
  }

  @Override
  default void close() {}
}
