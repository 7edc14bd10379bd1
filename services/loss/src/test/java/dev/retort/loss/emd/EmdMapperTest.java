package dev.retort.loss.emd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.core.distill.emd.LocalTransportBackend;
import dev.retort.core.distill.emd.TransportPlan;
import dev.retort.core.distill.emd.TransportSolver;
import dev.retort.loss.LossRequests;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.MatrixCodec;
import dev.retort.proto.v1.EmdOptions;
import dev.retort.proto.v1.EmdSolve;
import dev.retort.proto.v1.Matrix;
import org.junit.jupiter.api.Test;

class EmdMapperTest {
  private final EmdMapper mapper = new EmdMapper(1000);

  private static EmdSolve.Builder valid() {
    return LossRequests.emd("j", 1, "r", 3).getEmd().toBuilder();
  }

  @Test
  void optionsMapAsTheJobKeysDo() {
    EmdInput in = mapper.toInput(valid().setOptions(EmdOptions.newBuilder()
        .setWeightUpdate("v2020-softmax").setTEmd(5).setSeparate(true).setGuard("official"))
        .build());
    assertThat(in.rule().normalisation()).isEqualTo(CostAttention.Normalisation.V2020_SOFTMAX);
    assertThat(in.rule().temperature()).isEqualTo(5);
    assertThat(in.rule().separate()).isTrue();
    assertThat(in.rule().guard()).isEqualTo(CostAttention.Guard.OFFICIAL);

    EmdInput defaults = mapper.toInput(valid().setOptions(EmdOptions.getDefaultInstance()).build());
    assertThat(defaults.rule().normalisation()).isEqualTo(CostAttention.Normalisation.V2022_SUM);
    assertThat(defaults.rule().temperature()).as("0 means unset").isEqualTo(1);
    assertThat(defaults.rule().guard()).isEqualTo(CostAttention.Guard.SAFE);
    assertThat(defaults.weights()).isEqualTo(EmdLayerWeights.uniform(2, 4));
    assertThat(defaults.attention()).isEqualTo(LossRequests.distances(3));
    assertThat(defaults.hidden()).isEqualTo(LossRequests.distances(4));
  }

  @Test
  void malformedRequestsNameTheField() {
    assertRejected(valid().setOptions(EmdOptions.newBuilder().setWeightUpdate("v1")),
        "emd.options.weight_update");
    assertRejected(valid().setOptions(EmdOptions.newBuilder().setGuard("none")),
        "emd.options.guard");
    assertRejected(valid().setOptions(EmdOptions.newBuilder().setTEmd(-1)), "emd.options");
    assertRejected(valid().setWeights(valid().getWeights().toBuilder().addStudentAtt(0.1)),
        "emd.weights");
    assertRejected(valid().setHidDistances(MatrixCodec.defaults().encode(new double[4][2])),
        "emd.hid_distances");
    double[][] nan = LossRequests.distances(1);
    nan[1][2] = Double.NaN;
    assertRejected(valid().setAttDistances(MatrixCodec.defaults().encode(nan)),
        "emd.att_distances");
    assertRejected(valid().setAttDistances(MatrixCodec.defaults().encode(new double[40][40])),
        "limit");
  }

  @Test
  void solutionAndWeightsRoundTrip() {
    EmdLayerWeights w = new EmdLayerWeights(new double[] {0.3, 0.7}, new double[] {0.5, 0.5},
        new double[] {0.1, 0.9}, new double[] {0.2, 0.8});
    assertThat(EmdMapper.weights(EmdMapper.toProto(w))).isEqualTo(w);
    EmdSolution s = new EmdSolution(new TransportPlan(new double[][] {{0.3, 0}, {0.2, 0.5}}, 1.5, 2),
        new TransportPlan(new double[][] {{0.1, 0}, {0.1, 0.8}}, 2.5, 1), w);
    var p = mapper.toProto(s);
    assertThat(MatrixCodec.defaults().decode("a", p.getAttFlow()))
        .isEqualTo(new double[][] {{0.3, 0}, {0.2, 0.5}});
    assertThat(MatrixCodec.defaults().decode("h", p.getHidFlow()))
        .isEqualTo(new double[][] {{0.1, 0}, {0.1, 0.8}});
    assertThat(p.getAttCost()).isEqualTo(1.5);
    assertThat(p.getHidCost()).isEqualTo(2.5);
    assertThat(EmdMapper.weights(p.getNextWeights())).isEqualTo(w);
  }

  @Test
  void aRequestWithoutAttentionDistancesIsSolvedForTheHiddenStatesAlone() {
    // A bert-emd job with distill.use-attention: false sends no att_distances.
    EmdInput in = mapper.toInput(valid().clearAttDistances().build());
    assertThat(in.attention()).isNull();
    EmdSolution s = LocalTransportBackend.solve(TransportSolver.create(), in.rule(), in.weights(), null, in.hidden());
    assertThat(s.attention()).isNull();
    // The attention weights enter the average unchanged, as the official use_att=False.
    assertThat(s.next()).isEqualTo(in.rule().update(in.weights(), null, null, s.hidden().flow(), in.hidden()));

    var p = mapper.toProto(s);
    assertThat(p.hasAttFlow()).isFalse();
    assertThat(p.hasHidFlow()).isTrue();
    assertThat(EmdMapper.weights(p.getNextWeights())).isEqualTo(s.next());
  }

  @Test
  void anEmptyMatrixOfTwoBillionRowsIsRejectedNotAllocated() {
    // About ten bytes on the wire; decoded, 2e9 empty rows would exhaust the heap.
    assertRejected(valid().setAttDistances(Matrix.newBuilder().setRows(2_000_000_000).setCols(0)),
        "emd.att_distances");
  }

  private void assertRejected(EmdSolve.Builder b, String where) {
    assertThatThrownBy(() -> mapper.toInput(b.build())).isInstanceOf(BadMessageException.class)
        .hasMessageContaining(where);
  }
}
