package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReassemblerTest {
  private static final TopicPartition TP = new TopicPartition(ChunkRecords.TOPIC, 0);
  private final Chunker chunker = new Chunker(10);

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void chunksAreJoinedByteIdenticalAtTheLastOne() {
    byte[] value = bytes(35, 1);
    List<ConsumerRecord<String, byte[]>> records = ChunkRecords.of(chunker.split(value), 100);
    Reassembler r = Reassembler.builder().build();

    assertThat(r.offer(records.get(0))).isEmpty();
    assertThat(r.offer(records.get(1))).isEmpty();
    assertThat(r.offer(records.get(2))).isEmpty();
    assertThat(r.earliestPendingOffset(TP)).hasValue(100);
    Assembled whole = r.offer(records.get(3)).orElseThrow().value();

    assertThat(whole.value()).isEqualTo(value);
    assertThat(whole.firstOffset()).isEqualTo(100);
    assertThat(whole.lastOffset()).isEqualTo(103);
    assertThat(whole.chunks()).isEqualTo(4);
    assertThat(r.pending()).isZero();
    assertThat(r.bytesHeld()).isZero();
    assertThat(r.earliestPendingOffset(TP)).isEmpty();
  }

  @Test
  void recordWithoutChunkHeadersComesBackAtOnce() {
    byte[] value = bytes(5, 2);
    Reassembler r = Reassembler.builder().build();

    Assembled whole = r.offer(ChunkRecords.of(chunker.split(value), 7).get(0))
        .orElseThrow().value();

    assertThat(whole.value()).isEqualTo(value);
    assertThat(whole.messageId()).isEmpty();
    assertThat(whole.chunks()).isEqualTo(1);
  }

  @Test
  void interleavedMessagesAreSeparatedByMessageId() {
    byte[] a = bytes(25, 3);
    byte[] b = bytes(18, 4);
    List<Chunker.Chunk> ca = chunker.split(a);
    List<Chunker.Chunk> cb = chunker.split(b);
    Reassembler r = Reassembler.builder().build();
    List<Assembled> done = new ArrayList<>();
    long offset = 0;
    for (Chunker.Chunk c : List.of(ca.get(0), cb.get(0), ca.get(1), cb.get(1), ca.get(2))) {
      r.offer(ChunkRecords.record(offset++, c)).ifPresent(d -> done.add(d.value()));
    }

    assertThat(done).extracting(Assembled::value).containsExactly(b, a);
    assertThat(done.get(1).firstOffset()).isZero();
    assertThat(done.get(0).firstOffset()).isEqualTo(1);
  }

  @Test
  void tamperedChunkFailsTheChecksum() {
    byte[] value = bytes(30, 5);
    List<Chunker.Chunk> chunks = chunker.split(value);
    byte[] tampered = chunks.get(1).value().clone();
    tampered[3] ^= 1;
    Reassembler r = Reassembler.builder().build();

    r.offer(ChunkRecords.record(0, chunks.get(0)));
    r.offer(ChunkRecords.record(0, 1, tampered, chunks.get(1)));
    Decoded<Assembled> outcome = r.offer(ChunkRecords.record(2, chunks.get(2))).orElseThrow();

    assertThat(outcome.isOk()).isFalse();
    assertThat(outcome.reason()).contains("SHA-256 of the joined value").contains("corrupted");
    assertThat(r.pending()).isZero();
  }

  @Test
  void missingChunkFailsTheMessageAndRepeatedChunkIsIgnored() {
    List<Chunker.Chunk> chunks = chunker.split(bytes(40, 6));
    Reassembler r = Reassembler.builder().build();

    r.offer(ChunkRecords.record(0, chunks.get(0)));
    assertThat(r.offer(ChunkRecords.record(1, chunks.get(0)))).as("repeated chunk").isEmpty();
    r.offer(ChunkRecords.record(2, chunks.get(1)));
    Decoded<Assembled> gap = r.offer(ChunkRecords.record(3, chunks.get(3))).orElseThrow();

    assertThat(gap.reason()).contains("chunk 4/4").contains("follows chunk 2/4")
        .contains("missing");
    assertThat(r.offer(ChunkRecords.record(4, chunks.get(2)))).as("later chunks are quiet")
        .isEmpty();
    assertThat(r.drainEvictions()).isEmpty();
  }

  @Test
  void chunkWithoutItsFirstChunkIsReportedOnceAsAnEviction() {
    List<Chunker.Chunk> chunks = chunker.split(bytes(30, 7));
    Reassembler r = Reassembler.builder().build();

    assertThat(r.offer(ChunkRecords.record(11, chunks.get(1)))).isEmpty();
    assertThat(r.offer(ChunkRecords.record(12, chunks.get(2)))).isEmpty();

    List<Eviction> evictions = r.drainEvictions();
    assertThat(evictions).hasSize(1);
    assertThat(evictions.get(0).reason()).contains("chunk 2/3 arrived without")
        .contains("retention");
    assertThat(evictions.get(0).firstOffset()).isEqualTo(11);
  }

  @Test
  void messageReadAgainFromItsStartIsAFreshAttempt() {
    byte[] value = bytes(30, 8);
    List<ConsumerRecord<String, byte[]>> records = ChunkRecords.of(chunker.split(value), 0);
    Reassembler r = Reassembler.builder().build();
    r.offer(records.get(1)); // started inside the message
    r.drainEvictions();

    records.forEach(rec -> r.offer(rec).ifPresent(d -> assertThat(d.value().value())
        .isEqualTo(value)));

    assertThat(r.pending()).isZero();
  }

  @Test
  void oldestIncompleteMessagesAreEvictedWhenTooManyArePending() {
    Reassembler r = Reassembler.builder().optMaxPending(2).build();
    for (int i = 0; i < 3; i++) {
      r.offer(ChunkRecords.record(i, chunker.split(bytes(20, 10 + i), "m" + i).get(0)));
    }

    List<Eviction> evictions = r.drainEvictions();

    assertThat(evictions).extracting(Eviction::messageId).containsExactly("m0");
    assertThat(evictions.get(0).reason()).contains("more than 2 incomplete messages");
    assertThat(evictions.get(0).chunksReceived()).isEqualTo(1);
    assertThat(r.pending()).isEqualTo(2);
    assertThat(r.earliestPendingOffset(TP)).hasValue(1);
  }

  @Test
  void oldestIncompleteMessagesAreEvictedWhenTheyHoldTooManyBytes() {
    Reassembler r = Reassembler.builder().optMaxBytes(50).build();
    r.offer(ChunkRecords.record(0, chunker.split(bytes(30, 20), "a").get(0)));
    r.offer(ChunkRecords.record(1, chunker.split(bytes(30, 21), "b").get(0)));

    assertThat(r.drainEvictions()).extracting(Eviction::reason)
        .containsExactly("more than 50 bytes of incomplete messages at once");
    assertThat(r.bytesHeld()).isEqualTo(30);

    Optional<Decoded<Assembled>> tooBig =
        r.offer(ChunkRecords.record(2, chunker.split(bytes(51, 22), "c").get(0)));
    assertThat(tooBig.orElseThrow().reason()).contains("more than the reassembly limit of 50");
  }

  @Test
  void incompleteMessagesTimeOut() {
    AtomicLong now = new AtomicLong();
    Reassembler r = Reassembler.builder().optTimeout(Duration.ofSeconds(10))
        .optTicker(now::get).build();
    r.offer(ChunkRecords.record(0, chunker.split(bytes(30, 30), "slow").get(0)));

    now.set(Duration.ofSeconds(10).toNanos());
    assertThat(r.expire()).isEmpty();
    now.set(Duration.ofSeconds(11).toNanos());
    List<Eviction> evictions = r.expire();

    assertThat(evictions).extracting(Eviction::messageId).containsExactly("slow");
    assertThat(evictions.get(0).reason()).contains("incomplete after 10 s");
    assertThat(r.pending()).isZero();
    assertThat(r.bytesHeld()).isZero();
  }

  @Test
  void forgottenPartitionsDropTheirIncompleteMessages() {
    Reassembler r = Reassembler.builder().build();
    r.offer(ChunkRecords.record(0, chunker.split(bytes(30, 40)).get(0)));

    r.forget(List.of(TP));

    assertThat(r.pending()).isZero();
    assertThat(r.bytesHeld()).isZero();
    assertThat(r.drainEvictions()).isEmpty();
  }

  @Test
  void malformedChunkHeadersAreAFailureOfThatRecord() {
    Chunker.Chunk chunk = chunker.split(bytes(30, 50)).get(0);
    ConsumerRecord<String, byte[]> record = ChunkRecords.record(0, chunk);
    record.headers().remove(ChunkHeader.SHA256);

    Decoded<Assembled> outcome = Reassembler.builder().build().offer(record).orElseThrow();

    assertThat(outcome.reason()).contains("only some");
    assertThat(outcome.raw()).isEqualTo(chunk.value());
  }
}
