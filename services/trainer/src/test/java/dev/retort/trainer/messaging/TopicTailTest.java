package dev.retort.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import dev.retort.messaging.ClientConfigs;
import dev.retort.stack.KafkaSettings;
import dev.retort.stack.ProcessKafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A trainer's tail of a topic that the other services have not created yet, on a real broker: it
 * waits for the topic instead of reading an empty assignment forever.
 */
class TopicTailTest {
  private static ProcessKafkaBroker broker;

  @BeforeAll
  static void start() throws Exception {
    Path work = Files.createTempDirectory(Path.of("target"), "kafka-tail-");
    broker = new ProcessKafkaBroker(KafkaSettings.builder().setWorkDir(work).build());
    broker.start();
  }

  @AfterAll
  static void stop() {
    if (broker != null) {
      broker.stop();
    }
  }

  private static KafkaConsumer<String, byte[]> consumer(String id) {
    return new KafkaConsumer<>(
        ClientConfigs.assignedConsumer(broker.bootstrapServers(), id, Map.of()),
        new StringDeserializer(), new ByteArrayDeserializer());
  }

  @Test
  void aTailStartedBeforeItsTopicExistsReadsTheTopicOnceItIsCreated() throws Exception {
    String topic = "tail-created-later";
    List<String> seen = new CopyOnWriteArrayList<>();
    CompletableFuture<TopicTail> starting = CompletableFuture.supplyAsync(() -> new TopicTail(
        consumer("tail-later"), topic, TopicTail.Start.END,
        r -> seen.add(new String(r.value(), StandardCharsets.UTF_8)), "tail-later",
        Duration.ofSeconds(60)));
    Thread.sleep(2000);
    assertThat(starting).as("still waiting for the topic").isNotDone();
    try (Admin admin = Admin.create(ClientConfigs.admin(broker.bootstrapServers(), Map.of()))) {
      admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
    }
    try (TopicTail tail = starting.get(60, TimeUnit.SECONDS);
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            Map.of("bootstrap.servers", broker.bootstrapServers()), new StringSerializer(),
            new ByteArraySerializer())) {
      for (int partition = 0; partition < 3; partition++) {
        producer.send(new ProducerRecord<>(topic, partition, "k",
            ("record " + partition).getBytes(StandardCharsets.UTF_8))).get(30, TimeUnit.SECONDS);
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (seen.size() < 3 && System.nanoTime() < end) {
        Thread.sleep(100);
      }
      assertThat(seen).as("records of every partition")
          .containsExactlyInAnyOrder("record 0", "record 1", "record 2");
      assertThat(tail.alive()).isTrue();
    }
  }

  @Test
  void aTailWhoseTopicNeverAppearsFailsNamingTheTopic() {
    assertThatThrownBy(() -> new TopicTail(consumer("tail-never"), "tail-never-created",
        TopicTail.Start.BEGINNING, r -> { }, "tail-never", Duration.ofSeconds(2)))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("tail-never-created")
        .hasMessageContaining("does not exist after 2 s");
  }
}
