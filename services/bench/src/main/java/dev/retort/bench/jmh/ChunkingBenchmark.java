package dev.retort.bench.jmh;

import dev.retort.messaging.Assembled;
import dev.retort.messaging.Chunker;
import dev.retort.messaging.Decoded;
import dev.retort.messaging.Reassembler;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Chunking of one large teacher output ({@value #VALUE_BYTES} bytes, about a BERT-EMD batch in fp16
 * at a length bucket of 32): splitting it into records of the default chunk size with the SHA-256
 * header, and joining the records again with the reassembler (which checks the SHA-256).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ChunkingBenchmark {
  /** The value's size. */
  public static final int VALUE_BYTES = 8 << 20;

  private final Chunker chunker = new Chunker(Chunker.DEFAULT_MAX_CHUNK_BYTES);
  private byte[] value;
  private List<ConsumerRecord<String, byte[]>> records;

  /** Builds the value and its records. */
  @Setup(Level.Trial)
  public void setUp() {
    value = new byte[VALUE_BYTES];
    new Random(3).nextBytes(value);
    records = records(chunker.split(value, "bench-message"));
  }

  /** Splits the value into chunks. */
  @Benchmark
  public List<Chunker.Chunk> split() {
    return chunker.split(value, "bench-message");
  }

  /** Reassembles the chunks into the value. */
  @Benchmark
  public Decoded<Assembled> reassemble() {
    Reassembler r = Reassembler.builder().build();
    Optional<Decoded<Assembled>> out = Optional.empty();
    for (ConsumerRecord<String, byte[]> rec : records) {
      out = r.offer(rec);
    }
    return out.orElseThrow(() -> new IllegalStateException("the message did not reassemble"));
  }

  private static List<ConsumerRecord<String, byte[]>> records(List<Chunker.Chunk> chunks) {
    List<ConsumerRecord<String, byte[]>> out = new java.util.ArrayList<>();
    long offset = 100;
    for (Chunker.Chunk c : chunks) {
      RecordHeaders h = new RecordHeaders();
      c.header().ifPresent(x -> x.writeTo(h));
      out.add(
          new ConsumerRecord<>(
              "retort.teacher.outputs.v1",
              0,
              offset++,
              0L,
              TimestampType.CREATE_TIME,
              3,
              c.value().length,
              "p/b",
              c.value(),
              h,
              Optional.empty()));
    }
    return out;
  }
}
