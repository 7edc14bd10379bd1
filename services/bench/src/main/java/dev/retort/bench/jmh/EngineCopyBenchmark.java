package dev.retort.bench.jmh;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import dev.retort.core.model.StateDicts;
import dev.retort.core.tensor.DType;
import dev.retort.messaging.TensorCodec;
import dev.retort.proto.v1.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * An fp16 teacher output on its way through the services: one hidden state of BERT-base at a
 * length bucket of 64, {@code [32, 64, 768]}, at one engine thread (as the local platform runs
 * each service). Leaving the teacher's engine for a wire tensor, and entering the trainer's engine
 * from one, each as the services do it (rounded and widened by the engine, {@link
 * StateDicts#toHost(NDArray, DType)} and {@link StateDicts#toNd}) and as they did before
 * 2026-11-22 (rounded and widened in Java through float arrays). Both give the same bits; {@code
 * StateDictsTest} checks that.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class EngineCopyBenchmark {
  private final TensorCodec codec = TensorCodec.defaults();
  private NDManager manager;
  private NDArray hidden; // [B, L, H]
  private Tensor wire;
  private int threadsBefore;

  /** Builds the hidden state and its fp16 wire form, at one engine thread. */
  @Setup(Level.Trial)
  public void setUp() {
    manager = NDManager.newBaseManager(); // loads the engine, which JniUtils needs
    threadsBefore = JniUtils.getNumThreads();
    JniUtils.setNumThreads(1);
    hidden = manager.randomNormal(new Shape(TensorCodecBenchmark.SHAPE)); // [B, L, H]
    wire = codec.encode(StateDicts.toHost(hidden, DType.F16));
  }

  /** Frees the arrays and gives the engine its thread count back. */
  @TearDown(Level.Trial)
  public void tearDown() {
    manager.close();
    JniUtils.setNumThreads(threadsBefore);
  }

  /** The teacher service now: the engine rounds, only fp16 bytes cross into Java. */
  @Benchmark
  public Tensor teacherOutEngine() {
    return codec.encode(StateDicts.toHost(hidden, DType.F16));
  }

  /** The teacher service before: fp32 floats copied out, rounded in Java by the codec. */
  @Benchmark
  public Tensor teacherOutJava() {
    return codec.encode(StateDicts.toHost(hidden), dev.retort.proto.v1.DType.DTYPE_FP16);
  }

  /** The trainer service now: fp16 bytes into the engine, which widens them. */
  @Benchmark
  public void trainerInEngine(Blackhole bh) {
    try (NDManager m = manager.newSubManager()) {
      bh.consume(StateDicts.toNd(m, codec.decode("hidden", wire)));
    }
  }

  /** The trainer service before: widened in Java to floats, then copied into the engine. */
  @Benchmark
  public void trainerInJava(Blackhole bh) {
    try (NDManager m = manager.newSubManager()) {
      bh.consume(StateDicts.toNd(m, codec.decode("hidden", wire).toF32()));
    }
  }
}
