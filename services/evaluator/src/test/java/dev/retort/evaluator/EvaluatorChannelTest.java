package dev.retort.evaluator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.evaluator.messaging.CheckpointConsumer;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.JobEvent;
import dev.retort.service.testing.FakeKafkaClients;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The checkpoint channel's wiring, without a broker. */
@QuarkusTest
@TestProfile(InMemoryChannels.class)
class EvaluatorChannelTest {
  @Inject
  @Any
  InMemoryConnector connector;

  @Inject
  KafkaClients clients;

  @Test
  void announcementsThatCannotBeEvaluatedAreDeadLetteredAndTheJobToldWhy() throws Exception {
    InMemorySource<ConsumerRecord<String, byte[]>> source =
        connector.source(CheckpointConsumer.CHANNEL);
    source.send(new ConsumerRecord<>(Topics.CHECKPOINTS, 2, 5, "j", new byte[] {1, 2}));
    source.send(new ConsumerRecord<>(Topics.CHECKPOINTS, 2, 6, "j", TinyJobs.checkpoint("j",
        "student", 4, "../outside", false, TinyJobs.job("data/none", "checkpoint:x"))
        .toByteArray()));

    FakeKafkaClients fake = (FakeKafkaClients) ((ClientProxy) clients).arc_contextualInstance();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    List<ProducerRecord<String, byte[]>> sent = fake.sent();
    while (sent.stream().noneMatch(r -> r.topic().equals(Topics.JOB_EVENTS))
        && System.nanoTime() < deadline) {
      Thread.sleep(50);
      sent = fake.sent();
    }
    ProtoSerde<DeadLetter> letters = ProtoSerde.of(DeadLetter.getDefaultInstance());
    List<DeadLetter> dead = sent.stream().filter(r -> r.topic().equals(Topics.DEAD_LETTERS))
        .map(r -> letters.parse(r.value())).toList();
    assertThat(dead).extracting(DeadLetter::getSourceOffset).containsExactly(5L, 6L);
    assertThat(dead.get(1).getReason()).contains("'..'");
    JobEvent failed = ProtoSerde.of(JobEvent.getDefaultInstance()).parse(sent.stream()
        .filter(r -> r.topic().equals(Topics.JOB_EVENTS)).findFirst().orElseThrow().value());
    assertThat(failed.getJobId()).isEqualTo("j");
    assertThat(failed.getFailed().getReason()).contains("checkpoint student step 4")
        .contains("'..'");
  }
}
