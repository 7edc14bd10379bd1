package dev.retort.trainer.remote;

import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.core.distill.emd.TransportBackend;
import dev.retort.proto.v1.EmdSolve;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;

/**
 * BERT-EMD's transport problems solved by the loss service: the detached distances and the
 * current layer weights go out, the flows and next weights come back.
 */
public final class RemoteTransportBackend implements TransportBackend {
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

  /** {@inheritDoc} */
  @Override
  public EmdSolution solve(long step, EmdLayerWeights current, double[][] att, double[][] hid) {
    EmdSolve solve =
        EmdSolve.newBuilder()
            .setOptions(LossMapper.options(rule))
            .setWeights(LossMapper.weights(current))
            .setAttDistances(mapper.matrix(att))
            .setHidDistances(mapper.matrix(hid))
            .build();
    LossReply reply = client.call(step, "emd", LossRequest.newBuilder().setEmd(solve));
    if (!reply.hasEmd()) {
      throw new IllegalStateException("the loss service answered an EMD request without a solution");
    }
    return mapper.solution(reply.getEmd());
  }
}
