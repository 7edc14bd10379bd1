package dev.retort.teacher;

import static dev.retort.service.testing.ChannelChecks.awaitTrue;
import static dev.retort.service.testing.ChannelChecks.deadLetters;
import static dev.retort.service.testing.ChannelChecks.tracked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.ChunkHeader;
import dev.retort.messaging.ProtoSerde;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.DType;
import dev.retort.proto.v1.DeadLetter;
import dev.retort.proto.v1.TeacherOutputLocation;
import dev.retort.proto.v1.TeacherRequest;
import dev.retort.service.kafka.KafkaClients;
import dev.retort.teacher.messaging.TeacherRequestConsumer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.reactive.messaging.memory.InMemoryConnector;
import jakarta.enterprise.inject.Any;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.NotEnoughReplicasException;
import org.apache.kafka.common.errors.TimeoutException;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.junit.jupiter.api.Test;

/** The request channel's wiring, without a broker. */
@QuarkusTest
@TestProfile(InMemoryChannels.class)
class TeacherChannelTest {
  @Inject
  @Any
  InMemoryConnector connector;

  @Inject
  KafkaClients clients;

  @Inject
  MeterRegistry registry;

  @Inject
  dev.retort.teacher.messaging.OutputPublisher publisher;

  @Test
  void requestsAreServedDeadLetteringGarbageAndComputingADuplicateOnce() throws Exception {
    TinyTeachers.write(InMemoryChannels.ROOT.resolve("jobs/j/teacher/model"));
    TeacherRequest request = TinyTeachers.request("00ff00ff00ff00ff", 7L,
        "checkpoint:jobs/j/teacher/model", TinyTeachers.batch(3, 2, 8), DType.DTYPE_BF16);
    String key = Topics.teacherKey("00ff00ff00ff00ff", 7L);
    TopicPartition tp = new TopicPartition(Topics.TEACHER_REQUESTS, 3);
    // Two workers (InMemoryChannels): the duplicate is taken while the first is computed, and
    // waits for its key.
    send(List.of(
        new ConsumerRecord<>(tp.topic(), tp.partition(), 10, "junk/1",
            TinyTeachers.garbage().toByteArray()),
        new ConsumerRecord<>(tp.topic(), tp.partition(), 11, key, request.toByteArray()),
        new ConsumerRecord<>(tp.topic(), tp.partition(), 12, key, request.toByteArray())));

    FakeKafkaClients fake = (FakeKafkaClients) unwrap(clients);
    awaitSkippedDuplicates(1);
    List<ProducerRecord<String, byte[]>> sent = fake.sent();
    DeadLetter letter = sent.stream()
        .filter(r -> r.topic().equals(Topics.DEAD_LETTERS))
        .map(r -> ProtoSerde.of(DeadLetter.getDefaultInstance()).parse(r.value()))
        .filter(l -> l.getSourcePartition() == 3).findFirst().orElseThrow();
    assertThat(letter.getSourceOffset()).isEqualTo(10);
    assertThat(letter.getReason()).contains("does not parse");
    assertThat(sent.stream().filter(r -> r.topic().equals(Topics.TEACHER_OUTPUTS))
        .filter(r -> r.key().equals(key))
        .filter(r -> ChunkHeader.read(r.headers()).map(h -> h.index() == 1).orElse(true)))
        .as("one output message for two identical requests").hasSize(1);
    List<ProducerRecord<String, byte[]>> index = indexEntries(fake, key);
    assertThat(index).hasSize(1);
    TeacherOutputLocation loc =
        ProtoSerde.of(TeacherOutputLocation.getDefaultInstance()).parse(index.get(0).value());
    assertThat(index.get(0).key()).isEqualTo(key);
    assertThat(loc.getTopic()).isEqualTo(Topics.TEACHER_OUTPUTS);
    assertThat(loc.getPassId()).isEqualTo("00ff00ff00ff00ff");
    assertThat(loc.getBatchIndex()).isEqualTo(7L);
  }

  @Test
  void aDuplicateArrivingWhileItsOutputFailsToPublishIsComputedAgain() throws Exception {
    TinyTeachers.write(InMemoryChannels.ROOT.resolve("jobs/k/teacher/model"));
    TeacherRequest request = TinyTeachers.request("11ee11ee11ee11ee", 8L,
        "checkpoint:jobs/k/teacher/model", TinyTeachers.batch(3, 2, 8), DType.DTYPE_FP16);
    String key = Topics.teacherKey("11ee11ee11ee11ee", 8L);
    TopicPartition tp = new TopicPartition(Topics.TEACHER_REQUESTS, 5);
    FakeKafkaClients fake = (FakeKafkaClients) unwrap(clients);
    // The first output's publish fails 300 ms after its sends, while the second request, the same
    // batch again, is already being handled by the other worker: it finds the key in flight and
    // waits for it.
    fake.failNextOutput();

    send(List.of(
        new ConsumerRecord<>(tp.topic(), tp.partition(), 20, key, request.toByteArray()),
        new ConsumerRecord<>(tp.topic(), tp.partition(), 21, key, request.toByteArray())));

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (indexEntries(fake, key).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(indexEntries(fake, key)).as("the duplicate published the output").hasSize(1);
    List<DeadLetter> letters = fake.sent().stream()
        .filter(r -> r.topic().equals(Topics.DEAD_LETTERS))
        .map(r -> ProtoSerde.of(DeadLetter.getDefaultInstance()).parse(r.value()))
        .filter(l -> l.getSourcePartition() == 5)
        .toList();
    assertThat(letters).hasSize(1);
    // The workers take the two records in either order: whichever claimed the key first failed.
    assertThat(letters.get(0).getSourceOffset()).isIn(20L, 21L);
    assertThat(letters.get(0).getReason()).contains("cannot publish the output " + key);
  }

  @Test
  void anOutputTheBrokerDoesNotAcknowledgeInTimeIsComputedAgainNotDeadLettered()
      throws Exception {
    TinyTeachers.write(InMemoryChannels.ROOT.resolve("jobs/m/teacher/model"));
    TeacherRequest request = TinyTeachers.request("22dd22dd22dd22dd", 9L,
        "checkpoint:jobs/m/teacher/model", TinyTeachers.batch(3, 2, 8), DType.DTYPE_FP16);
    String key = Topics.teacherKey("22dd22dd22dd22dd", 9L);
    FakeKafkaClients fake = (FakeKafkaClients) unwrap(clients);
    double retries = registry.counter("retort.teacher.retries").count();
    fake.failSendsTo(Topics.TEACHER_OUTPUTS, new TimeoutException(
        "Expiring 1 record(s) for retort.teacher.outputs.v1-0: 120000 ms has passed (test)"));
    AtomicBoolean acked = new AtomicBoolean();
    try {
      connector.<Message<ConsumerRecord<String, byte[]>>>source(TeacherRequestConsumer.CHANNEL)
          .send(tracked(new ConsumerRecord<>(Topics.TEACHER_REQUESTS, 6, 30, key,
              request.toByteArray()), acked));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (registry.counter("retort.teacher.retries").count() == retries
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
    } finally {
      fake.healSends(); // the broker recovers before the retry
    }

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (indexEntries(fake, key).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(registry.counter("retort.teacher.retries").count()).isGreaterThan(retries);
    assertThat(indexEntries(fake, key)).as("published on the retry").hasSize(1);
    assertThat(deadLetters(fake.sent(), 6, 30)).as("a timeout is not the request's fault").isEmpty();
    awaitTrue(acked);
  }

  @Test
  void aRequestWhoseDeadLetterTheBrokerDoesNotTakeIsLeftUncommittedAndDeliveredAgain()
      throws Exception {
    FakeKafkaClients fake = (FakeKafkaClients) unwrap(clients);
    double uncommitted = registry.counter("retort.teacher.uncommitted").count();
    fake.failSendsTo(Topics.DEAD_LETTERS, new NotEnoughReplicasException("1 of 3 in sync (test)"));
    ConsumerRecord<String, byte[]> garbage = new ConsumerRecord<>(Topics.TEACHER_REQUESTS, 7, 40,
        "junk/2", TinyTeachers.garbage().toByteArray());
    AtomicBoolean acked = new AtomicBoolean();
    var source =
        connector.<Message<ConsumerRecord<String, byte[]>>>source(TeacherRequestConsumer.CHANNEL);
    try {
      source.send(tracked(garbage, acked));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (registry.counter("retort.teacher.uncommitted").count() == uncommitted
          && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(registry.counter("retort.teacher.uncommitted").count())
          .isEqualTo(uncommitted + 1);
      assertThat(acked).as("no dead letter, no commit: it must come again").isFalse();
    } finally {
      fake.healSends();
    }

    // Delivered again (after a restart or a rebalance): now dead-lettered, and committed.
    source.send(tracked(garbage, acked));
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (deadLetters(fake.sent(), 7, 40).isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(deadLetters(fake.sent(), 7, 40)).singleElement()
        .satisfies(l -> assertThat(l.getReason()).contains("does not parse"));
    awaitTrue(acked);
  }

  @Test
  void outputsAreSentWithoutCompression() {
    // Tensor bytes do not shrink under lz4; compressing them only costs the teacher, the broker
    // and the trainer CPU.
    publisher.producer(); // the bean opens its producer when first used
    FakeKafkaClients fake = (FakeKafkaClients) unwrap(clients);
    assertThat(fake.producerOverrides())
        .anySatisfy(o -> assertThat(o).containsEntry("compression.type", "none"));
  }

  private void send(List<ConsumerRecord<String, byte[]>> records) {
    records.forEach(r -> connector.source(TeacherRequestConsumer.CHANNEL).send(r));
  }

  private static List<ProducerRecord<String, byte[]>> indexEntries(FakeKafkaClients fake,
      String key) {
    return fake.sent().stream()
        .filter(r -> r.topic().equals(Topics.TEACHER_INDEX) && r.key().equals(key))
        .toList();
  }

  private void awaitSkippedDuplicates(double n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Counter skipped = registry.find("retort.teacher.outputs")
          .tag("source", "skipped-duplicate").counter();
      if (skipped != null && skipped.count() >= n) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the duplicate was not skipped within 60 s");
  }

  private static Object unwrap(Object bean) {
    return bean instanceof io.quarkus.arc.ClientProxy p ? p.arc_contextualInstance() : bean;
  }
}
