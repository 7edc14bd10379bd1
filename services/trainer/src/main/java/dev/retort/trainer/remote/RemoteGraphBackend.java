package dev.retort.trainer.remote;

import dev.retort.core.distill.hrkd.GraphBackend;
import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.distill.hrkd.GraphResult;
import dev.retort.core.tensor.HostTensor;
import dev.retort.proto.v1.GraphEvaluate;
import dev.retort.proto.v1.LossReply;
import dev.retort.proto.v1.LossRequest;

/**
 * HRKD's graph evaluated by the loss service, which owns the graph (and, in trained mode, updates
 * it): prototypes and layer losses out, ratios and the prototypes' vector-Jacobian product back.
 */
public final class RemoteGraphBackend implements GraphBackend {
  private final LossClient client;
  private final LossMapper mapper;
  private final GraphOptions options;
  private long resumeFrom = -1;

  /**
   * Creates the backend.
   *
   * @param client the job's loss client
   * @param mapper maps values
   * @param options the job's graph settings
   */
  public RemoteGraphBackend(LossClient client, LossMapper mapper, GraphOptions options) {
    this.client = client;
    this.mapper = mapper;
    this.options = options;
  }

  /** {@inheritDoc} */
  @Override
  public GraphResult evaluate(long step, HostTensor prototypes, HostTensor layerLosses, boolean snapshot) {
    var opts = LossMapper.options(options).toBuilder().setSnapshot(snapshot);
    if (resumeFrom >= 0) {
      opts.setResumeFromStep(resumeFrom);
      resumeFrom = -1;
    }
    GraphEvaluate g =
        GraphEvaluate.newBuilder()
            .setOptions(opts)
            .setPrototypes(mapper.tensor(prototypes))
            .setLayerLosses(mapper.tensor(layerLosses))
            .build();
    LossReply reply = client.call(step, "graph", LossRequest.newBuilder().setGraph(g));
    if (!reply.hasGraph()) {
      throw new IllegalStateException("the loss service answered a graph request without ratios");
    }
    return mapper.graph(reply.getGraph());
  }

  /** {@inheritDoc} */
  @Override
  public void resumeFrom(long step) {
    this.resumeFrom = step;
  }
}
