package dev.retort.bench.jmh;

import dev.retort.core.tensor.HostTensor;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.Tensor;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The tensor codec on one teacher hidden state of BERT-base at a length bucket of 64, {@code [32,
 * 64, 768]} (1.5 M floats): encoding an fp32 tensor into each wire type, and decoding and widening
 * back to fp32 floats, what the trainer does before building an NDArray.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class TensorCodecBenchmark {
  /** The tensor's shape. */
  public static final long[] SHAPE = {32, 64, 768};

  /** The wire type. */
  @Param({"DTYPE_FP32", "DTYPE_FP16", "DTYPE_BF16"})
  public String dtype;

  private final TensorCodec codec = TensorCodec.defaults();
  private HostTensor tensor;
  private Tensor wire;
  private DType type;

  /** Builds the tensor and its wire form. */
  @Setup(Level.Trial)
  public void setUp() {
    type = DType.valueOf(dtype);
    Random r = new Random(7);
    float[] v = new float[(int) HostTensor.numel(SHAPE)];
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) r.nextGaussian();
    }
    tensor = HostTensor.ofFloats(SHAPE, v);
    wire = codec.encode(tensor, type);
  }

  /** Returns the fp32 bytes of the tensor (what the throughput is computed from). */
  public static long fp32Bytes() {
    return 4 * HostTensor.numel(SHAPE);
  }

  /** Encodes the fp32 tensor in the wire type. */
  @Benchmark
  public Tensor encode() {
    return codec.encode(tensor, type);
  }

  /**
   * Decodes the wire tensor (its checks, no copy) and widens it into a float array: the copy the
   * trainer makes on its way to an NDArray, for every wire type alike.
   */
  @Benchmark
  public float[] decode() {
    return codec.decode("hidden", wire).toFloats();
  }
}
