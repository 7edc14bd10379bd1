package dev.retort.trainer.remote;

import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.core.distill.emd.TransportBackend;
import dev.retort.proto.v1.EmdSolve;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * BERT-EMD's transport problems solved by the loss service: the detached distances and the
 * current layer weights go out, the flows and next weights come back.
 */
public final class RemoteTransportBackend implements TransportBackend {
  /** Daemon threads for in-flight round trips, shared by all jobs; idle ones end after a minute. */
  private static final ExecutorService ROUND_TRIPS = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "emd-round-trip");
    t.setDaemon(true);
    return t;
  });

  private final LossClient client;
  private final LossMapper mapper;
  private final CostAttention rule;

  /**
   * Creates the backend.
   *
   * @param client the job's loss client
   * @param mapper maps values
   * @param rule the job's cost-attention rule
   */
  public RemoteTransportBackend(LossClient client, LossMapper mapper, CostAttention rule) {
    this.client = client;
    this.mapper = mapper;
    this.rule = rule;
  }

  /**
   * Sends the request from a round-trip thread, so that the trainer computes the terms that do not
   * need the flows meanwhile. Only Kafka and protobuf work happens there; no tensor is touched.
   */
  @Override
  public CompletableFuture<EmdSolution> solveAsync(long step, EmdLayerWeights current, double[][] att, double[][] hid) {
    return CompletableFuture.supplyAsync(() -> solve(step, current, att, hid), ROUND_TRIPS);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Without attention distances ({@code distill.use-attention: false}) the request carries no
   * {@code att_distances}, and the service solves the hidden-state problem alone.
   */
  @Override
  public EmdSolution solve(long step, EmdLayerWeights current, double[][] att, double[][] hid) {
    EmdSolve.Builder solve =
        EmdSolve.newBuilder()
            .setOptions(LossMapper.options(rule))
            .setWeights(LossMapper.weights(current))
            .setHidDistances(mapper.matrix(hid));
    if (att != null) {
      solve.setAttDistances(mapper.matrix(att));
    }
    LossReply reply = client.call(step, "emd", LossRequest.newBuilder().setEmd(solve));
    if (!reply.hasEmd()) {
      throw new IllegalStateException("the loss service answered an EMD request without a solution");
    }
    return mapper.solution(reply.getEmd());
  }
}
