package dev.retort.trainer.remote;

import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.core.distill.emd.TransportPlan;
import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.distill.hrkd.GraphResult;
import dev.retort.messaging.MatrixCodec;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.EmdOptions;
import java.util.Arrays;

/** Maps the loss service's requests and replies to and from the core's values. */
public final class LossMapper {
  private final MatrixCodec matrices;
  private final TensorCodec tensors;

  /**
   * Creates the mapper.
   *
   * @param matrices validates and converts matrices
   * @param tensors validates and converts tensors
   */
  public LossMapper(MatrixCodec matrices, TensorCodec tensors) {
    this.matrices = matrices;
    this.tensors = tensors;
  }

  /** Returns the wire form of a cost-attention rule. */
  public static EmdOptions options(CostAttention c) {
    return EmdOptions.newBuilder()
        .setWeightUpdate(c.normalisation() == CostAttention.Normalisation.V2020_SOFTMAX ? "v2020-softmax" : "v2022-sum")
        .setTEmd(c.temperature())
        .setSeparate(c.separate())
        .setGuard(c.guard() == CostAttention.Guard.OFFICIAL ? "official" : "safe")
        .build();
  }

  /** Returns the wire form of layer weights. */
  public static dev.retort.proto.v1.EmdLayerWeights weights(EmdLayerWeights w) {
    return dev.retort.proto.v1.EmdLayerWeights.newBuilder()
        .addAllStudentAtt(boxed(w.studentAtt()))
        .addAllTeacherAtt(boxed(w.teacherAtt()))
        .addAllStudentHid(boxed(w.studentHid()))
        .addAllTeacherHid(boxed(w.teacherHid()))
        .build();
  }

  /** Returns layer weights from their wire form. */
  public static EmdLayerWeights weights(dev.retort.proto.v1.EmdLayerWeights w) {
    return new EmdLayerWeights(
        unboxed(w.getStudentAttList()), unboxed(w.getTeacherAttList()),
        unboxed(w.getStudentHidList()), unboxed(w.getTeacherHidList()));
  }

  /** Returns a matrix's wire form. */
  public dev.retort.proto.v1.Matrix matrix(double[][] m) {
    return matrices.encode(m);
  }

  /** Decodes an EMD solution; it has no attention plan when the request had no attention distances. */
  public EmdSolution solution(dev.retort.proto.v1.EmdSolution s) {
    TransportPlan att = s.hasAttFlow() ? new TransportPlan(matrices.decode("attention flow", s.getAttFlow()), s.getAttCost(), 0) : null;
    double[][] hid = matrices.decode("hidden flow", s.getHidFlow());
    return new EmdSolution(att, new TransportPlan(hid, s.getHidCost(), 0), weights(s.getNextWeights()));
  }

  /** Returns the wire form of graph options. */
  public static dev.retort.proto.v1.GraphOptions options(GraphOptions o) {
    return dev.retort.proto.v1.GraphOptions.newBuilder()
        .setMode(o.trained() ? "trained" : "frozen")
        .setHierarchical(o.hierarchical())
        .setHeads(o.heads())
        .setDropout(o.dropout())
        .setLeakyReluSlope(o.slope())
        .setLearningRate(o.learningRate())
        .setWeightDecay(o.weightDecay())
        .setTotalSteps(o.totalSteps())
        .setWarmup(o.warmup())
        .setSeed(o.seed())
        .setNumLayers(o.numLayers())
        .setNumDomains(o.numDomains())
        .setHidden(o.hidden())
        .build();
  }

  /** Returns the wire form of a tensor. */
  public dev.retort.proto.v1.Tensor tensor(dev.retort.core.tensor.HostTensor t) {
    return tensors.encode(t);
  }

  /** Decodes a graph result. */
  public GraphResult graph(dev.retort.proto.v1.GraphResult g) {
    return new GraphResult(
        tensors.decode("ratios", g.getRatios()),
        tensors.decode("prototype gradient", g.getPrototypeGrad()),
        g.hasHierarchy() ? tensors.decode("hierarchy", g.getHierarchy()) : null);
  }

  private static Iterable<Double> boxed(double[] v) {
    return Arrays.stream(v).boxed().toList();
  }

  private static double[] unboxed(java.util.List<Double> v) {
    return v.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
