package dev.retort.loss;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.service.kafka.KafkaClients;
import dev.retort.loss.messaging.LossRequestConsumer;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.LossReply;
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
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The request channel's wiring, without a broker. */
@QuarkusTest
@TestProfile(InMemoryChannels.class)
class LossChannelTest {
  @Inject
  @Any
  InMemoryConnector connector;

  @Inject
  KafkaClients clients;

  @Test
  void requestsAreAnsweredInOrderAndGarbageIsDeadLettered() throws Exception {
    InMemorySource<ConsumerRecord<String, byte[]>> source =
        connector.source(LossRequestConsumer.CHANNEL);
    source.send(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 0, 0, "j-1", new byte[] {9, 9, 9}));
    source.send(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 0, 1, "j-1",
        LossRequests.emd("j-1", 1, "a", 1).toByteArray()));
    source.send(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 0, 2, "j-1",
        LossRequests.emd("j-1", 2, "b", 2).toByteArray()));

    FakeKafkaClients fake = (FakeKafkaClients) ((ClientProxy) clients).arc_contextualInstance();
    List<ProducerRecord<String, byte[]>> sent = await(fake, s -> s.stream()
        .filter(r -> r.topic().equals(Topics.LOSS_REPLIES)).count() == 2);
    DeadLetter letter = ProtoSerde.of(DeadLetter.getDefaultInstance()).parse(sent.stream()
        .filter(r -> r.topic().equals(Topics.DEAD_LETTERS)).findFirst().orElseThrow().value());
    assertThat(letter.getSourceOffset()).isZero();
    ProtoSerde<LossReply> replies = ProtoSerde.of(LossReply.getDefaultInstance());
    List<LossReply> answered = sent.stream().filter(r -> r.topic().equals(Topics.LOSS_REPLIES))
        .map(r -> replies.parse(r.value())).toList();
    assertThat(answered).extracting(LossReply::getRequestId).containsExactly("a", "b");
    assertThat(answered).allSatisfy(r -> assertThat(r.hasEmd()).isTrue());
    assertThat(sent.stream().filter(r -> r.topic().equals(Topics.LOSS_REPLIES)))
        .allSatisfy(r -> assertThat(r.key()).isEqualTo("j-1"));
  }

  private static List<ProducerRecord<String, byte[]>> await(FakeKafkaClients fake,
      Predicate<List<ProducerRecord<String, byte[]>>> done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<ProducerRecord<String, byte[]>> sent = fake.sent();
      if (done.test(sent)) {
        return sent;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("not answered within 60 s; sent: " + fake.sent().size());
  }
}
