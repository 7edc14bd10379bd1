package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.JobControl;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bad record consumed from a real topic is set aside as a dead letter with its origin. */
@ExtendWith(SharedKafka.class)
class DeadLettersTest {
  private static final String SOURCE = "control-dlq-test";
  private static final String DLQ = "deadletter-test";
  private static final Instant NOW = Instant.parse("2025-05-06T07:08:09Z");
  private static final ProtoSerde<JobControl> CONTROL =
      ProtoSerde.of(JobControl.getDefaultInstance());
  private static final ProtoSerde<DeadLetter> LETTERS =
      ProtoSerde.of(DeadLetter.getDefaultInstance());

  @BeforeAll
  static void createTopics() throws Exception {
    SharedKafka.createTopic(SOURCE, 1, Map.of());
    SharedKafka.createTopic(DLQ, 1, Map.of());
  }

  @Test
  void undecodableRecordsArePublishedWithOriginReasonAndTruncatedValue() throws Exception {
    byte[] good = JobControl.newBuilder().setSchemaVersion(SchemaVersions.CURRENT)
        .setJobId("demo-1").build().toByteArray();
    byte[] garbage = new byte[100_000];
    Arrays.fill(garbage, (byte) 0xFF);
    byte[] smallGarbage = {(byte) 0xFF, 0x01};
    try (KafkaProducer<String, byte[]> producer = SharedKafka.producer(Map.of())) {
      producer.send(new ProducerRecord<>(SOURCE, "demo-1", good));
      producer.send(new ProducerRecord<>(SOURCE, "demo-2", garbage));
      producer.send(new ProducerRecord<>(SOURCE, "demo-3", smallGarbage));
      producer.flush();

      DeadLetters deadLetters = DeadLetters.builder(producer).setService("trainer-1")
          .optTopic(DLQ).optClock(Clock.fixed(NOW, ZoneOffset.UTC)).build();
      List<String> decoded = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : SharedKafka.readAll(SOURCE, 3)) {
        Decoded<JobControl> d = CONTROL.decode(record.value());
        if (d.isOk()) {
          decoded.add(d.value().getJobId());
        } else {
          deadLetters.publish(record, d.reason()).get(30, TimeUnit.SECONDS);
        }
      }
      assertThat(decoded).containsExactly("demo-1");
    }

    List<ConsumerRecord<String, byte[]>> letters = SharedKafka.readAll(DLQ, 2);
    assertThat(letters).extracting(ConsumerRecord::key).containsExactly("demo-2", "demo-3");
    DeadLetter big = LETTERS.parse(letters.get(0).value());
    assertThat(big.getSourceTopic()).isEqualTo(SOURCE);
    assertThat(big.getSourcePartition()).isZero();
    assertThat(big.getSourceOffset()).isEqualTo(1);
    assertThat(big.getService()).isEqualTo("trainer-1");
    assertThat(big.getReason()).contains("does not parse as retort.v1.JobControl");
    assertThat(big.getValue().size()).isEqualTo(DeadLetters.DEFAULT_MAX_VALUE_BYTES);
    assertThat(big.getValueTruncated()).isTrue();
    assertThat(ProtoTimes.toInstant(big.getTime())).isEqualTo(NOW);
    DeadLetter small = LETTERS.parse(letters.get(1).value());
    assertThat(small.getSourceOffset()).isEqualTo(2);
    assertThat(small.getValue().toByteArray()).isEqualTo(smallGarbage);
    assertThat(small.getValueTruncated()).isFalse();
  }
}
