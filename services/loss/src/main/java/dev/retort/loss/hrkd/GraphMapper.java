package dev.retort.loss.hrkd;

import dev.retort.core.distill.hrkd.GraphOptions;
import dev.retort.core.distill.hrkd.GraphResult;
import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.BadMessageException;
import dev.retort.messaging.DecodeLimits;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.GraphEvaluate;
import java.util.Arrays;

/**
 * The one place where HRKD graph messages meet core values: {@link GraphEvaluate} to a {@link
 * GraphInput} (options as the core {@link GraphOptions}, tensors checked against them), and a core
 * {@link GraphResult} to its wire form (fp32).
 *
 * <p>Options map as the job file's {@code distill.hrkd.*} keys: {@code mode} {@code frozen} or
 * {@code trained}. The graph's size is bounded: {@code (M+1) H^2 (1 + D + heads)} weights at most
 * (the compare-aggregate matrices and the GAT heads).
 */
public final class GraphMapper {
  private final TensorCodec codec;
  private final long maxGraphWeights;

  /**
   * Creates a mapper.
   *
   * @param maxElements the largest tensor accepted
   * @param maxGraphWeights the largest graph a job may ask for
   */
  public GraphMapper(int maxElements, long maxGraphWeights) {
    this.codec = new TensorCodec(new DecodeLimits(maxElements, true));
    this.maxGraphWeights = maxGraphWeights;
  }

  /**
   * Decodes and checks a request.
   *
   * @param g the request
   * @return the input
   * @throws BadMessageException naming the first field that is wrong
   */
  public GraphInput toInput(GraphEvaluate g) {
    var o = g.getOptions();
    boolean trained = switch (o.getMode()) {
      case "frozen" -> false;
      case "trained" -> true;
      default -> throw new BadMessageException("graph.options.mode", "'" + o.getMode()
          + "' is not frozen or trained");
    };
    positive("graph.options.heads", o.getHeads());
    positive("graph.options.num_layers", o.getNumLayers());
    positive("graph.options.num_domains", o.getNumDomains());
    positive("graph.options.hidden", o.getHidden());
    if (!(o.getDropout() >= 0 && o.getDropout() < 1)) {
      throw new BadMessageException("graph.options.dropout", o.getDropout() + " is not in [0, 1)");
    }
    if (o.getTotalSteps() < 0 || !(o.getWarmup() >= 0 && o.getWarmup() <= 1)) {
      throw new BadMessageException("graph.options", "total_steps " + o.getTotalSteps()
          + " or warmup " + o.getWarmup() + " is out of range");
    }
    long weights = graphWeights(o.getNumLayers(), o.getHidden(), o.getNumDomains(), o.getHeads());
    if (weights > maxGraphWeights) {
      throw new BadMessageException("graph.options", "the graph would have "
          + (weights == Long.MAX_VALUE ? "more than " + Long.MAX_VALUE : weights)
          + " weights, more than the limit of " + maxGraphWeights
          + " (retort.loss.limits.max-graph-weights)");
    }
    GraphOptions options = new GraphOptions(trained, o.getHierarchical(), o.getHeads(),
        (float) o.getDropout(), (float) o.getLeakyReluSlope(), o.getLearningRate(),
        o.getWeightDecay(), o.getTotalSteps(), o.getWarmup(), o.getSeed(), o.getNumLayers(),
        o.getNumDomains(), o.getHidden());
    HostTensor prototypes = floats("graph.prototypes", g.getPrototypes(),
        o.getNumLayers(), o.getNumDomains(), o.getHidden());
    HostTensor losses = floats("graph.layer_losses", g.getLayerLosses(),
        o.getNumLayers(), o.getNumDomains());
    if (o.getResumeFromStep() < 0) {
      throw new BadMessageException("graph.options.resume_from_step", "is negative");
    }
    return new GraphInput(options, o.getResumeFromStep(), o.getSnapshot(), prototypes, losses);
  }

  /**
   * Returns a graph's weight count, layers × hidden² × (1 + domains + heads); {@link
   * Long#MAX_VALUE} where that overflows a long, which wrapped round to small or zero counts.
   */
  static long graphWeights(long layers, long hidden, long domains, long heads) {
    try {
      return Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(layers, hidden), hidden),
          1L + domains + heads);
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /**
   * Encodes a result as fp32 tensors.
   *
   * @param r the result
   * @return its wire form
   */
  public dev.retort.proto.v1.GraphResult toProto(GraphResult r) {
    var b = dev.retort.proto.v1.GraphResult.newBuilder()
        .setRatios(codec.encode(r.ratios(), DType.DTYPE_FP32)) // [M+1, D]
        .setPrototypeGrad(codec.encode(r.prototypeGrad(), DType.DTYPE_FP32)); // [M+1, D, H]
    if (r.hierarchy() != null) {
      b.setHierarchy(codec.encode(r.hierarchy(), DType.DTYPE_FP32));
    }
    return b.build();
  }

  private HostTensor floats(String name, dev.retort.proto.v1.Tensor t, long... shape) {
    HostTensor h = codec.decode(name, t);
    if (!h.dtype().isFloating() || !Arrays.equals(h.shape(), shape)) {
      throw new BadMessageException(name, "expected a floating tensor " + Arrays.toString(shape)
          + ", got " + t.getDtype() + " " + h.shapeString());
    }
    return h;
  }

  private static void positive(String name, int value) {
    if (value < 1) {
      throw new BadMessageException(name, "must be positive, got " + value);
    }
  }
}
