package dev.retort.loss;

import static dev.retort.service.testing.ChannelChecks.awaitTrue;
import static dev.retort.service.testing.ChannelChecks.deadLetters;
import static dev.retort.service.testing.ChannelChecks.tracked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.service.kafka.KafkaClients;
import dev.retort.loss.messaging.LossRequestConsumer;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.LossReply;
import dev.retort.service.testing.FakeKafkaClients;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import io.smallrye.reactive.messaging.memory.InMemorySource;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
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

  @Inject
  MeterRegistry registry;

  @Test
  void requestsAreAnsweredInOrderAndGarbageIsDeadLettered() throws Exception {
    InMemorySource<ConsumerRecord<String, byte[]>> source =
        connector.source(LossRequestConsumer.CHANNEL);
    source.send(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 0, 0, "j-1", new byte[] {9, 9, 9}));
    source.send(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 0, 1, "j-1",
        LossRequests.emd("j-1", 1, "a", 1).toByteArray()));
    source.send(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 0, 2, "j-1",
        LossRequests.emd("j-1", 2, "b", 2).toByteArray()));

    // The other tests' records go through the same fake producer: pick this job's (key j-1).
    List<ProducerRecord<String, byte[]>> sent = await(fake(), s -> s.stream()
        .filter(r -> r.topic().equals(Topics.LOSS_REPLIES) && "j-1".equals(r.key())).count() == 2);
    assertThat(deadLetters(sent, 0, 0)).hasSize(1);
    ProtoSerde<LossReply> replies = ProtoSerde.of(LossReply.getDefaultInstance());
    List<LossReply> answered = sent.stream().filter(r -> r.topic().equals(Topics.LOSS_REPLIES))
        .map(r -> replies.parse(r.value())).filter(r -> r.getJobId().equals("j-1")).toList();
    assertThat(answered).extracting(LossReply::getRequestId).containsExactly("a", "b");
    assertThat(answered).allSatisfy(r -> assertThat(r.hasEmd()).isTrue());
    assertThat(sent.stream().filter(r -> r.topic().equals(Topics.LOSS_REPLIES)
        && replies.parse(r.value()).getJobId().equals("j-1")))
        .allSatisfy(r -> assertThat(r.key()).isEqualTo("j-1"));
  }

  @Test
  void anErrorWhileDecodingARequestIsDeadLetteredWithItsReasonAndTheChannelGoesOn()
      throws Exception {
    // The first read of the value fails, as decoding a huge record can run out of memory.
    ConsumerRecord<String, byte[]> poison = new ConsumerRecord<>(Topics.LOSS_REQUESTS, 1, 10,
        "j-2", LossRequests.emd("j-2", 1, "poison", 1).toByteArray()) {
      private boolean thrown;

      @Override
      public byte[] value() {
        if (!thrown) {
          thrown = true;
          throw new OutOfMemoryError("Java heap space (thrown by the test)");
        }
        return super.value();
      }
    };
    AtomicBoolean acked = new AtomicBoolean();
    InMemorySource<Message<ConsumerRecord<String, byte[]>>> source =
        connector.source(LossRequestConsumer.CHANNEL);
    source.send(tracked(poison, acked));
    source.send(Message.of(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 1, 11, "j-2",
        LossRequests.emd("j-2", 2, "after-poison", 2).toByteArray())));

    List<ProducerRecord<String, byte[]>> sent = await(fake(), s -> replied(s, "after-poison"));
    assertThat(deadLetters(sent, 1, 10)).as("dead-lettered, not lost").singleElement()
        .satisfies(l -> assertThat(l.getReason()).contains("OutOfMemoryError")
            .contains("send the record again"));
    assertThat(acked).as("committed once its dead letter is durable").isTrue();
  }

  @Test
  void aRequestWhoseDeadLetterTheBrokerDoesNotTakeIsLeftUncommittedAndDeliveredAgain()
      throws Exception {
    FakeKafkaClients fake = fake();
    double uncommitted = registry.counter("retort.loss.uncommitted").count();
    fake.failSendsTo(Topics.DEAD_LETTERS, new NotEnoughReplicasException("1 of 3 in sync (test)"));
    AtomicBoolean garbageAcked = new AtomicBoolean();
    AtomicBoolean nextAcked = new AtomicBoolean();
    ConsumerRecord<String, byte[]> garbage =
        new ConsumerRecord<>(Topics.LOSS_REQUESTS, 2, 20, "j-3", new byte[] {7, 7, 7});
    InMemorySource<Message<ConsumerRecord<String, byte[]>>> source =
        connector.source(LossRequestConsumer.CHANNEL);
    try {
      source.send(tracked(garbage, garbageAcked));
      source.send(tracked(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 2, 21, "j-3",
          LossRequests.emd("j-3", 1, "after-garbage", 3).toByteArray()), nextAcked));
      await(fake, s -> replied(s, "after-garbage")); // served in order: after the garbage
      assertThat(nextAcked).isTrue();
      assertThat(garbageAcked).as("no dead letter, no commit: it must come again").isFalse();
      assertThat(registry.counter("retort.loss.uncommitted").count()).isEqualTo(uncommitted + 1);
    } finally {
      fake.healSends();
    }

    // Delivered again (after a restart or a rebalance): now dead-lettered, and committed.
    source.send(tracked(garbage, garbageAcked));
    List<ProducerRecord<String, byte[]>> sent =
        await(fake, s -> !deadLetters(s, 2, 20).isEmpty());
    assertThat(deadLetters(sent, 2, 20).get(0).getReason()).contains("does not parse");
    awaitTrue(garbageAcked);
  }

  @Test
  void aReplyTheBrokerDoesNotAcknowledgeInTimeIsSentAgainNotDeadLettered() throws Exception {
    FakeKafkaClients fake = fake();
    double retries = registry.counter("retort.loss.retries").count();
    fake.failSendsTo(Topics.LOSS_REPLIES, new TimeoutException(
        "Expiring 1 record(s) for retort.loss.replies.v1-3: 120000 ms has passed (test)"));
    AtomicBoolean acked = new AtomicBoolean();
    try {
      connector.<Message<ConsumerRecord<String, byte[]>>>source(LossRequestConsumer.CHANNEL)
          .send(tracked(new ConsumerRecord<>(Topics.LOSS_REQUESTS, 3, 30, "j-4",
              LossRequests.emd("j-4", 1, "slow-broker", 4).toByteArray()), acked));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (registry.counter("retort.loss.retries").count() == retries
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      fake.healSends(); // the broker recovers before the retry
    }

    List<ProducerRecord<String, byte[]>> sent = await(fake, s -> replied(s, "slow-broker"));
    assertThat(registry.counter("retort.loss.retries").count()).isGreaterThan(retries);
    assertThat(deadLetters(sent, 3, 30)).as("a timeout is not the request's fault").isEmpty();
    ProtoSerde<LossReply> replies = ProtoSerde.of(LossReply.getDefaultInstance());
    assertThat(sent.stream().filter(r -> r.topic().equals(Topics.LOSS_REPLIES))
        .map(r -> replies.parse(r.value())).filter(r -> r.getRequestId().equals("slow-broker")))
        .singleElement().satisfies(r -> assertThat(r.hasEmd()).as(r.getError()).isTrue());
    awaitTrue(acked);
  }

  private FakeKafkaClients fake() {
    return (FakeKafkaClients) ((ClientProxy) clients).arc_contextualInstance();
  }

  private static boolean replied(List<ProducerRecord<String, byte[]>> sent, String requestId) {
    ProtoSerde<LossReply> replies = ProtoSerde.of(LossReply.getDefaultInstance());
    return sent.stream().filter(r -> r.topic().equals(Topics.LOSS_REPLIES))
        .anyMatch(r -> replies.parse(r.value()).getRequestId().equals(requestId));
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
