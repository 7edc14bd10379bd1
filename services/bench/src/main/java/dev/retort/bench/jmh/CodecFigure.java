package dev.retort.bench.jmh;

import dev.retort.bench.BenchContext;
import dev.retort.bench.Figure;
import dev.retort.bench.FigureId;
import dev.retort.bench.FigureResult;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The tensor codec and chunking micro-benchmarks (JMH), stated for reference: time per hidden state
 * of {@code [32, 64, 768]} to encode and to decode per wire type, and time to split and reassemble
 * an 8 MiB message. Throughput is given in fp32 GB/s (fp32 bytes ÷ time). Then the same hidden
 * state in fp16 leaving the teacher's engine and entering the trainer's, as the services do it
 * (the engine rounds and widens) against the Java path they took before ({@link
 * EngineCopyBenchmark}), in milliseconds and as a ratio measured in the same run.
 */
public final class CodecFigure implements Figure {

  /** {@inheritDoc} */
  @Override
  public FigureId id() {
    return FigureId.CODEC;
  }

  /** {@inheritDoc} */
  @Override
  public FigureResult measure(BenchContext ctx) throws Exception {
    var s = ctx.settings().jmh();
    ctx.progress(
        "codec: JMH, tensor codec (3 wire types), chunking, fp16 in and out of the engine");
    List<JmhScore> scores =
        JmhRunner.run(
            List.of(TensorCodecBenchmark.class, ChunkingBenchmark.class, EngineCopyBenchmark.class),
            s,
            ctx.settings().workDir().resolve("jmh-codec.log"));
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("tensor_shape", "[32, 64, 768] fp32 (" + TensorCodecBenchmark.fp32Bytes() + " bytes)");
    d.put("message_bytes", ChunkingBenchmark.VALUE_BYTES);
    d.put("scores", scores.stream().map(JmhScore::toMap).toList());
    StringBuilder text = new StringBuilder();
    for (String t : List.of("DTYPE_FP32", "DTYPE_FP16", "DTYPE_BF16")) {
      JmhScore enc = JmhRunner.find(scores, "TensorCodecBenchmark.encode", Map.of("dtype", t));
      JmhScore dec = JmhRunner.find(scores, "TensorCodecBenchmark.decode", Map.of("dtype", t));
      text.append(
          String.format(
              Locale.ROOT,
              "%s enc %.1f / dec %.1f GB/s; ",
              t.substring(6).toLowerCase(Locale.ROOT),
              gbPerSecond(TensorCodecBenchmark.fp32Bytes(), enc),
              gbPerSecond(TensorCodecBenchmark.fp32Bytes(), dec)));
    }
    JmhScore split = JmhRunner.find(scores, "ChunkingBenchmark.split", Map.of());
    JmhScore join = JmhRunner.find(scores, "ChunkingBenchmark.reassemble", Map.of());
    text.append(
        String.format(
            Locale.ROOT,
            "8 MiB split %.1f ms, reassemble %.1f ms",
            split.score() / 1000,
            join.score() / 1000));
    JmhScore outEngine = JmhRunner.find(scores, "EngineCopyBenchmark.teacherOutEngine", Map.of());
    JmhScore outJava = JmhRunner.find(scores, "EngineCopyBenchmark.teacherOutJava", Map.of());
    JmhScore inEngine = JmhRunner.find(scores, "EngineCopyBenchmark.trainerInEngine", Map.of());
    JmhScore inJava = JmhRunner.find(scores, "EngineCopyBenchmark.trainerInJava", Map.of());
    double outRatio = outEngine.score() / outJava.score();
    double inRatio = inEngine.score() / inJava.score();
    d.put("fp16_teacher_out_engine_over_java", outRatio);
    d.put("fp16_trainer_in_engine_over_java", inRatio);
    text.append(
        String.format(
            Locale.ROOT,
            "; fp16 at 1 thread: teacher out %.1f ms (Java path %.1f ms, ratio %.2f),"
                + " trainer in %.1f ms (Java path %.1f ms, ratio %.2f)",
            outEngine.score() / 1000,
            outJava.score() / 1000,
            outRatio,
            inEngine.score() / 1000,
            inJava.score() / 1000,
            inRatio));
    return FigureResult.info(id(), text.toString(), d);
  }

  /** Returns bytes ÷ time in GB/s for a score in microseconds per operation. */
  static double gbPerSecond(long bytes, JmhScore s) {
    if (!s.unit().startsWith("us/")) {
      throw new IllegalStateException("expected microseconds, got " + s.unit());
    }
    return bytes / (s.score() * 1e-6) / 1e9;
  }
}
