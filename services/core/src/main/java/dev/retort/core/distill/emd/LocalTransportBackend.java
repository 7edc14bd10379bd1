package dev.retort.core.distill.emd;

/**
 * Solves BERT-EMD's transport problems in this process: the in-process trainer's backend and the
 * loss service's implementation of the same request.
 */
public final class LocalTransportBackend implements TransportBackend {
  private final TransportSolver solver;
  private final CostAttention costAttention;

  /**
   * Creates the backend.
   *
   * @param costAttention the weight-update rule (normalisation, guard, averaging)
   */
  public LocalTransportBackend(CostAttention costAttention) {
    this.solver = TransportSolver.create();
    this.costAttention = costAttention;
  }

  /** {@inheritDoc} */
  @Override
  public EmdSolution solve(long step, EmdLayerWeights current, double[][] attDistances, double[][] hidDistances) {
    return solve(solver, costAttention, current, attDistances, hidDistances);
  }

  /**
   * The pure computation both backends share.
   *
   * @param solver the transport solver
   * @param costAttention the update rule
   * @param current this step's weights
   * @param att attention distances, M x N, or null when the attention EMD is off ({@code
   *     distill.use-attention: false})
   * @param hid hidden-state distances, M x N
   * @return flows and next weights; without attention distances no attention plan, and the
   *     attention weights enter the cost-attention average unchanged, as the official code's with
   *     {@code use_att=False}
   */
  public static EmdSolution solve(
      TransportSolver solver, CostAttention costAttention, EmdLayerWeights current, double[][] att, double[][] hid) {
    TransportPlan a = att == null ? null : solver.solve(current.studentAtt(), current.teacherAtt(), att);
    TransportPlan h = solver.solve(current.studentHid(), current.teacherHid(), hid);
    EmdLayerWeights next = costAttention.update(current, a == null ? null : a.flow(), att, h.flow(), hid);
    return new EmdSolution(a, h, next);
  }
}
