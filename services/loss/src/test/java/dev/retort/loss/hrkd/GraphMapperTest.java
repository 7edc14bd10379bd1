package dev.retort.loss.hrkd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.distill.hrkd.GraphResult;
import dev.retort.core.tensor.HostTensor;
import dev.retort.loss.LossRequests;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.GraphEvaluate;
import org.junit.jupiter.api.Test;

class GraphMapperTest {
  private final GraphMapper mapper = new GraphMapper(10_000, 1_000_000);

  private static GraphEvaluate.Builder valid(boolean trained) {
    return LossRequests.graph(trained, 1, 4, true).toBuilder();
  }

  @Test
  void optionsAndTensorsDecodeExactly() {
    GraphInput in = mapper.toInput(valid(true).build());
    assertThat(in.options()).isEqualTo(LossRequests.graphOptions(true));
    assertThat(in.resumeFromStep()).isEqualTo(4);
    assertThat(in.snapshot()).isTrue();
    assertThat(in.prototypes()).isEqualTo(LossRequests.prototypes(1));
    assertThat(in.layerLosses()).isEqualTo(LossRequests.losses(1));
    assertThat(mapper.toInput(valid(false).build()).options().trained()).isFalse();
  }

  @Test
  void malformedRequestsNameTheField() {
    GraphEvaluate.Builder v = valid(false);
    assertRejected(v.clone().setOptions(v.getOptions().toBuilder().setMode("")),
        "graph.options.mode");
    assertRejected(v.clone().setOptions(v.getOptions().toBuilder().setHeads(0)),
        "graph.options.heads");
    assertRejected(v.clone().setOptions(v.getOptions().toBuilder().setDropout(1)),
        "graph.options.dropout");
    assertRejected(v.clone().setOptions(v.getOptions().toBuilder().setHidden(1000)),
        "max-graph-weights");
    assertRejected(v.clone().setOptions(v.getOptions().toBuilder().setNumDomains(3)),
        "graph.prototypes");
    assertRejected(v.clone().setLayerLosses(TensorCodec.defaults().encode(
        HostTensor.ofLongs(new long[] {3, 2}, new long[6]))), "graph.layer_losses");
    float[] inf = LossRequests.losses(1).toFloats();
    inf[0] = Float.POSITIVE_INFINITY;
    assertRejected(v.clone().setLayerLosses(TensorCodec.defaults().encode(
        HostTensor.ofFloats(new long[] {3, 2}, inf))), "graph.layer_losses");
  }

  @Test
  void aGraphWhoseWeightCountOverflowsALongIsRejected() {
    // 1 layer × (2^18)² × (1 + 1 + 2^28 − 2) = 2^64, which wraps round to 0 in a long.
    GraphEvaluate.Builder v = valid(true);
    assertRejected(v.clone().setOptions(v.getOptions().toBuilder().setNumLayers(1)
        .setHidden(1 << 18).setNumDomains(1).setHeads((1 << 28) - 2)), "max-graph-weights");
    assertThat(GraphMapper.graphWeights(1, 1 << 18, 1, (1 << 28) - 2)).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void resultIsSentAsFp32() {
    HostTensor r = HostTensor.ofFloats(new long[] {1, 2}, new float[] {0.25f, 0.75f});
    HostTensor g = HostTensor.ofFloats(new long[] {1, 2, 1}, new float[] {1e-3f, -2f});
    var p = mapper.toProto(new GraphResult(r, g, null));
    assertThat(p.getRatios().getDtype()).isEqualTo(DType.DTYPE_FP32);
    assertThat(TensorCodec.defaults().decode("r", p.getRatios())).isEqualTo(r);
    assertThat(TensorCodec.defaults().decode("g", p.getPrototypeGrad())).isEqualTo(g);
    assertThat(p.hasHierarchy()).isFalse();
  }

  private void assertRejected(GraphEvaluate.Builder b, String where) {
    assertThatThrownBy(() -> mapper.toInput(b.build())).isInstanceOf(BadMessageException.class)
        .hasMessageContaining(where);
  }
}
