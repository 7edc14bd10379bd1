package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Large values through a broker whose topics accept at most 64 KiB per record batch. */
@ExtendWith(SharedKafka.class)
class ChunkingOverBrokerTest {
  private static final int LIMIT = 64 * 1024;
  private static final Map<String, String> TOPIC = Map.of("max.message.bytes", "65536");
  /** The producer's record limit equal to the topic's, as ClientConfigs aligns them. */
  private static final Map<String, String> ALIGNED = Map.of("max.request.size", "65536");

  private static byte[] oneMebibyte;

  @BeforeAll
  static void createTopics() throws Exception {
    SharedKafka.createTopic("small-records", 1, TOPIC);
    SharedKafka.createTopic("chunked", 3, TOPIC);
    SharedKafka.createTopic("tampered", 1, TOPIC);
    oneMebibyte = new byte[1024 * 1024];
    new Random(42).nextBytes(oneMebibyte); // incompressible: lz4 cannot sneak it under the limit
  }

  @Test
  void valueOverTheBrokerLimitIsRefusedWhenSentWithoutChunking() {
    // The producer would send up to 2 MiB: only the broker's 64 KiB topic limit can refuse it.
    Map<String, String> permissive = Map.of("max.request.size", "2097152");
    try (KafkaProducer<String, byte[]> producer = SharedKafka.producer(permissive)) {
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>("small-records", "k",
          oneMebibyte)).get(30, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(RecordTooLargeException.class);
      byte[] small = new byte[LIMIT / 2];
      assertThat(producer.send(new ProducerRecord<>("small-records", "k", small)))
          .succeedsWithin(java.time.Duration.ofSeconds(30));
    }
  }

  @Test
  void oneMebibyteIsChunkedSentAndReassembledByteIdentical() throws Exception {
    SentMessage sent;
    try (ChunkedProducer producer =
        ChunkedProducer.create(SharedKafka.bootstrap(), "chunk-test", ALIGNED)) {
      assertThat(producer.chunker().maxChunkBytes()).isEqualTo(60 * 1024);
      sent = producer.send("chunked", "pass-1/0", oneMebibyte).get(60, TimeUnit.SECONDS);
    }

    assertThat(sent.chunks()).isEqualTo(18); // ceil(1 MiB / 60 KiB)
    assertThat(sent.messageId()).isNotEmpty();
    assertThat(sent.bytes()).isEqualTo(oneMebibyte.length);
    List<ConsumerRecord<String, byte[]>> records = SharedKafka.readAll("chunked", 18);
    assertThat(records).hasSize(18)
        .allMatch(r -> r.partition() == sent.partition(), "every chunk in the first's partition")
        .allMatch(r -> r.key().equals("pass-1/0"));
    assertThat(records.get(0).offset()).isEqualTo(sent.offset());
    Reassembler reassembler = Reassembler.builder().build();
    List<Assembled> whole = new ArrayList<>();
    records.forEach(r -> reassembler.offer(r).ifPresent(d -> whole.add(d.value())));
    assertThat(whole).hasSize(1);
    assertThat(whole.get(0).value()).isEqualTo(oneMebibyte);
    assertThat(whole.get(0).firstOffset()).isEqualTo(sent.offset());
    assertThat(whole.get(0).messageId()).isEqualTo(sent.messageId());
  }

  @Test
  void valueThatFitsTravelsAsOneRecordWithoutChunkHeaders() throws Exception {
    SharedKafka.createTopic("fits", 1, TOPIC);
    SentMessage sent;
    try (ChunkedProducer producer =
        ChunkedProducer.create(SharedKafka.bootstrap(), "fits-test", ALIGNED)) {
      sent = producer.send("fits", "job-1", new byte[] {1, 2, 3}).get(30, TimeUnit.SECONDS);
    }

    assertThat(sent.chunks()).isEqualTo(1);
    assertThat(sent.messageId()).isEmpty();
    ConsumerRecord<String, byte[]> record = SharedKafka.readAll("fits", 1).get(0);
    assertThat(record.headers().toArray()).isEmpty();
    assertThat(record.value()).containsExactly(1, 2, 3);
  }

  @Test
  void tamperedChunkFailsTheChecksumAfterTheRoundTrip() throws Exception {
    List<Chunker.Chunk> chunks = Chunker.forMaxRequestSize(LIMIT).split(oneMebibyte);
    try (KafkaProducer<String, byte[]> producer = SharedKafka.producer(ALIGNED)) {
      for (int i = 0; i < chunks.size(); i++) {
        byte[] value = chunks.get(i).value();
        if (i == 5) {
          value = value.clone();
          value[100] ^= 0x10;
        }
        RecordHeaders headers = new RecordHeaders();
        chunks.get(i).header().orElseThrow().writeTo(headers);
        producer.send(new ProducerRecord<>("tampered", null, "k", value, headers));
      }
      producer.flush();
    }

    Reassembler reassembler = Reassembler.builder().build();
    List<Decoded<Assembled>> outcomes = new ArrayList<>();
    SharedKafka.readAll("tampered", chunks.size())
        .forEach(r -> reassembler.offer(r).ifPresent(outcomes::add));

    assertThat(outcomes).hasSize(1);
    assertThat(outcomes.get(0).isOk()).isFalse();
    assertThat(outcomes.get(0).reason()).contains("SHA-256").contains("corrupted");
    assertThat(Optional.of(reassembler.pending())).contains(0);
  }
}
