package dev.retort.loss.emd;

import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.core.distill.emd.LocalTransportBackend;
import dev.retort.core.distill.emd.TransportSolver;
import dev.retort.loss.config.ArtifactStore;
import dev.retort.loss.config.LossConfig;
import dev.retort.loss.metrics.LossMetrics;
import dev.retort.messaging.BadMessageException;
import dev.retort.proto.v1.EmdSolve;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Serves BERT-EMD requests: the same {@link LocalTransportBackend#solve} the in-process trainer
 * runs, on the request's weights and distances, so a distributed run trains the same student.
 * Each solution's next weights are appended to the job's {@link EmdHistory}.
 */
@ApplicationScoped
public class EmdSolver {
  private final TransportSolver solver = TransportSolver.create();
  private final EmdMapper mapper;
  private final ArtifactStore store;
  private final LossMetrics metrics;
  private final int historySize;

  /**
   * Creates the solver.
   *
   * @param config the service settings
   * @param store the artifact store
   * @param metrics the meters
   */
  @Inject
  public EmdSolver(LossConfig config, ArtifactStore store, LossMetrics metrics) {
    this.mapper = new EmdMapper(config.limits().maxElements());
    this.store = store;
    this.metrics = metrics;
    this.historySize = config.state().emdHistory();
  }

  /**
   * Solves one step.
   *
   * @param jobId the job
   * @param step the step
   * @param request the request
   * @return the flows, costs and next weights
   * @throws BadMessageException if the request is malformed or the problem has no solution
   */
  public dev.retort.proto.v1.EmdSolution solve(String jobId, long step, EmdSolve request) {
    EmdInput in = mapper.toInput(request);
    EmdSolution s;
    try {
      s = LocalTransportBackend.solve(solver, in.rule(), in.weights(), in.attention(),
          in.hidden());
    } catch (IllegalArgumentException e) {
      throw new BadMessageException("emd", "the transport problem cannot be solved: "
          + e.getMessage());
    }
    try {
      EmdHistory.append(store.lossDir(jobId).resolve(EmdHistory.FILE), step, s.next(),
          historySize);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the EMD history of job " + jobId, e);
    }
    metrics.emd(jobId, s);
    return mapper.toProto(s);
  }
}
