package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.proto.v1.TeacherOutputLocation;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Replaying messages from the log by offset, as later epochs replay teacher outputs. */
@ExtendWith(SharedKafka.class)
class ChunkFetcherTest {
  private static final String TOPIC = "replay";
  private static final Chunker CHUNKER = new Chunker(1000);

  private static ChunkFetcher fetcher;
  private static byte[] a;
  private static byte[] b;
  private static byte[] single;
  private static long offsetA;
  private static long offsetB;
  private static long offsetSingle;
  private static long offsetIncomplete;
  private static String idA;
  private static String idB;

  @BeforeAll
  static void writeInterleavedMessages() throws Exception {
    SharedKafka.createTopic(TOPIC, 1, Map.of());
    a = bytes(2500, 1);
    b = bytes(1800, 2);
    single = bytes(300, 3);
    List<Chunker.Chunk> ca = CHUNKER.split(a, "message-a");
    List<Chunker.Chunk> cb = CHUNKER.split(b, "message-b");
    List<Chunker.Chunk> cc = CHUNKER.split(bytes(2500, 4), "message-c");
    idA = "message-a";
    idB = "message-b";
    try (KafkaProducer<String, byte[]> producer = SharedKafka.producer(Map.of())) {
      offsetA = send(producer, ca.get(0));
      offsetB = send(producer, cb.get(0));
      send(producer, ca.get(1));
      offsetSingle = send(producer, CHUNKER.split(single).get(0));
      send(producer, cb.get(1));
      send(producer, ca.get(2));
      offsetIncomplete = send(producer, cc.get(0));
      send(producer, cc.get(1)); // the third chunk of message-c is never sent
    }
    fetcher = ChunkFetcher.create(SharedKafka.bootstrap(), "replay-test", Map.of(),
        Duration.ofSeconds(20));
  }

  @AfterAll
  static void close() {
    fetcher.close();
  }

  @Test
  void chunkedMessageIsReadBackByOffsetSkippingInterleavedRecords() {
    Replay ra = fetcher.fetch(TOPIC, 0, offsetA, 3, idA);
    Replay rb = fetcher.fetch(TOPIC, 0, offsetB, 2, idB);

    assertThat(ra.status()).isEqualTo(Replay.Status.FOUND);
    assertThat(ra.value()).isEqualTo(a);
    assertThat(rb.value()).isEqualTo(b);
  }

  @Test
  void singleRecordIsReadBackByOffset() {
    Replay r = fetcher.fetch(TOPIC, 0, offsetSingle, 1, "");

    assertThat(r.isFound()).isTrue();
    assertThat(r.value()).isEqualTo(single);
  }

  @Test
  void teacherIndexEntryLocatesTheMessage() {
    TeacherOutputLocation location = TeacherOutputLocation.newBuilder()
        .setSchemaVersion(SchemaVersions.CURRENT).setPassId("p").setBatchIndex(0)
        .setTopic(TOPIC).setPartition(0).setOffset(offsetA).setChunks(3).setMessageId(idA)
        .setBytes(a.length).build();

    assertThat(fetcher.fetch(location).value()).isEqualTo(a);
  }

  @Test
  void offsetOfAnotherMessageFailsClearly() {
    Replay r = fetcher.fetch(TOPIC, 0, offsetB, 3, idA);

    assertThat(r.status()).isEqualTo(Replay.Status.FAILED);
    assertThat(r.reason()).contains("chunk 1/2 of message message-b")
        .contains("not chunk 1/3 of the expected message");
  }

  @Test
  void messageWithMissingChunksFailsWhenTheLogEnds() {
    Replay r = fetcher.fetch(TOPIC, 0, offsetIncomplete, 3, "message-c");

    assertThat(r.status()).isEqualTo(Replay.Status.FAILED);
    assertThat(r.reason()).contains("the log ends").contains("after 2 of 3 chunks");
  }

  @Test
  void offsetPastTheEndFails() {
    Replay r = fetcher.fetch(TOPIC, 0, 1_000_000, 3, idA);

    assertThat(r.status()).isEqualTo(Replay.Status.FAILED);
    assertThat(r.reason()).contains("past the end of the log");
  }

  @Test
  void offsetDeletedByRetentionIsReportedAsGone() throws Exception {
    String topic = "replay-retention";
    SharedKafka.createTopic(topic, 1, Map.of("retention.ms", "60000", "segment.ms", "60000"));
    SentMessage sent;
    try (ChunkedProducer producer = new ChunkedProducer(SharedKafka.producer(Map.of()),
        CHUNKER)) {
      sent = producer.send(topic, "pass/1", bytes(3000, 5)).get(30, TimeUnit.SECONDS);
    }
    assertThat(fetcher.fetch(topic, 0, sent.offset(), sent.chunks(), sent.messageId())
        .isFound()).isTrue();
    // What retention does when it deletes a segment: the log's start moves past the offset.
    TopicPartition tp = new TopicPartition(topic, 0);
    try (Admin admin = Admin.create(ClientConfigs.admin(SharedKafka.bootstrap(), Map.of()))) {
      admin.deleteRecords(Map.of(tp, RecordsToDelete.beforeOffset(sent.offset() + 2)))
          .all().get(30, TimeUnit.SECONDS);
    }

    Replay r = fetcher.fetch(topic, 0, sent.offset(), sent.chunks(), sent.messageId());

    assertThat(r.status()).isEqualTo(Replay.Status.GONE);
    assertThat(r.reason()).contains("is no longer in the log (deleted by retention")
        .contains("starts at offset " + (sent.offset() + 2));
    assertThat(r.value()).isEmpty();
  }

  private static long send(KafkaProducer<String, byte[]> producer, Chunker.Chunk chunk)
      throws Exception {
    RecordHeaders headers = new RecordHeaders();
    chunk.header().ifPresent(h -> h.writeTo(headers));
    RecordMetadata m = producer.send(new ProducerRecord<>(TOPIC, null, "k", chunk.value(),
        headers)).get(30, TimeUnit.SECONDS);
    return m.offset();
  }

  private static byte[] bytes(int n, int seed) {
    byte[] out = new byte[n];
    new Random(seed).nextBytes(out);
    return out;
  }
}
