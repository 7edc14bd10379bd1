package dev.retort.loss.emd;

import dev.retort.core.distill.emd.CostAttention;
import dev.retort.core.distill.emd.EmdLayerWeights;
import dev.retort.core.distill.emd.EmdSolution;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.DecodeLimits;
import dev.retort.messaging.MatrixCodec;
import dev.retort.proto.v1.EmdOptions;
import dev.retort.proto.v1.EmdSolve;
import java.util.List;

/**
 * The one place where EMD messages meet core values: {@link EmdSolve} to an {@link EmdInput}, and
 * a core {@link EmdSolution} to its wire form.
 *
 * <p>Options map as the job file's keys do ({@code distill.emd.*}): {@code weight-update}
 * {@code v2022-sum} (default, also for an empty string) or {@code v2020-softmax}; {@code guard}
 * {@code safe} (default) or {@code official}; {@code t_emd} 0 means unset, i.e. 1. Distances must
 * be finite, M x N where M and N are the lengths of the weight vectors. A request without {@code
 * att_distances} (a job with {@code distill.use-attention: false}) is solved for the hidden states
 * alone, and its solution has no {@code att_flow}.
 */
public final class EmdMapper {
  private final MatrixCodec codec;

  /**
   * Creates a mapper.
   *
   * @param maxElements the largest matrix accepted
   */
  public EmdMapper(int maxElements) {
    this.codec = new MatrixCodec(new DecodeLimits(maxElements, true));
  }

  /**
   * Decodes and checks a request.
   *
   * @param solve the request
   * @return the input
   * @throws BadMessageException naming the first field that is wrong
   */
  public EmdInput toInput(EmdSolve solve) {
    CostAttention rule = rule(solve.getOptions());
    EmdLayerWeights weights = weights(solve.getWeights());
    double[][] att = solve.hasAttDistances() ? codec.decode("emd.att_distances", solve.getAttDistances()) : null;
    double[][] hid = codec.decode("emd.hid_distances", solve.getHidDistances());
    int m = weights.studentLayers();
    int n = weights.teacherLayers();
    if (att != null) {
      check("emd.att_distances", att, solve.getAttDistances().getCols(), m, n);
    }
    check("emd.hid_distances", hid, solve.getHidDistances().getCols(), m, n);
    return new EmdInput(rule, weights, att, hid);
  }

  /**
   * Encodes a solution.
   *
   * @param s the solution
   * @return its wire form
   */
  public dev.retort.proto.v1.EmdSolution toProto(EmdSolution s) {
    var b = dev.retort.proto.v1.EmdSolution.newBuilder()
        .setHidFlow(codec.encode(s.hidden().flow()))
        .setHidCost(s.hidden().cost())
        .setNextWeights(toProto(s.next()));
    if (s.attention() != null) {
      b.setAttFlow(codec.encode(s.attention().flow())).setAttCost(s.attention().cost());
    }
    return b.build();
  }

  /**
   * Encodes layer weights.
   *
   * @param w the weights
   * @return their wire form
   */
  public static dev.retort.proto.v1.EmdLayerWeights toProto(EmdLayerWeights w) {
    return dev.retort.proto.v1.EmdLayerWeights.newBuilder()
        .addAllStudentAtt(list(w.studentAtt()))
        .addAllTeacherAtt(list(w.teacherAtt()))
        .addAllStudentHid(list(w.studentHid()))
        .addAllTeacherHid(list(w.teacherHid()))
        .build();
  }

  /**
   * Decodes layer weights.
   *
   * @param w the wire form
   * @return the weights
   * @throws BadMessageException if a vector is empty or the lengths disagree
   */
  public static EmdLayerWeights weights(dev.retort.proto.v1.EmdLayerWeights w) {
    try {
      return new EmdLayerWeights(array(w.getStudentAttList()), array(w.getTeacherAttList()),
          array(w.getStudentHidList()), array(w.getTeacherHidList()));
    } catch (IllegalArgumentException e) {
      throw new BadMessageException("emd.weights", e.getMessage());
    }
  }

  private static CostAttention rule(EmdOptions o) {
    CostAttention.Builder b = CostAttention.builder();
    switch (o.getWeightUpdate()) {
      case "", "v2022-sum" -> b.optNormalisation(CostAttention.Normalisation.V2022_SUM);
      case "v2020-softmax" -> b.optNormalisation(CostAttention.Normalisation.V2020_SOFTMAX);
      default -> throw new BadMessageException("emd.options.weight_update", "'"
          + o.getWeightUpdate() + "' is not v2022-sum or v2020-softmax");
    }
    switch (o.getGuard()) {
      case "", "safe" -> b.optGuard(CostAttention.Guard.SAFE);
      case "official" -> b.optGuard(CostAttention.Guard.OFFICIAL);
      default -> throw new BadMessageException("emd.options.guard", "'" + o.getGuard()
          + "' is not safe or official");
    }
    b.optSeparate(o.getSeparate());
    if (o.getTEmd() != 0) {
      b.optTemperature(o.getTEmd());
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new BadMessageException("emd.options", e.getMessage());
    }
  }

  private static void check(String name, double[][] d, int cols, int m, int n) {
    if (d.length != m || cols != n) {
      throw new BadMessageException(name, "is " + d.length + " x " + cols + " but the weights "
          + "are for " + m + " student and " + n + " teacher layers");
    }
  }

  private static double[] array(List<Double> values) {
    double[] out = new double[values.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = values.get(i);
    }
    return out;
  }

  private static List<Double> list(double[] values) {
    return java.util.Arrays.stream(values).boxed().toList();
  }
}
