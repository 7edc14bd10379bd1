package dev.retort.messaging;

import dev.retort.stack.EmbeddedKafkaBroker;
import dev.retort.stack.KafkaSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real Kafka broker (KRaft, in this JVM, 127.0.0.1, free ports) for every broker test of the
 * run: started by the first test class that needs it, stopped when the run ends.
 */
final class SharedKafka implements BeforeAllCallback {
  private static EmbeddedKafkaBroker broker;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    synchronized (SharedKafka.class) {
      if (broker != null) {
        return;
      }
      Path dir = Files.createTempDirectory("retort-messaging-kafka");
      EmbeddedKafkaBroker started =
          new EmbeddedKafkaBroker(KafkaSettings.builder().setWorkDir(dir).build());
      started.start();
      broker = started;
      AutoCloseable stopAtTheEnd = () -> {
        started.stop();
        deleteTree(dir);
      };
      // JUnit closes AutoCloseable values of the root store when the whole run ends.
      context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
          .put("retort-kafka", stopAtTheEnd);
    }
  }

  /** Returns the broker's bootstrap address. */
  static String bootstrap() {
    return broker.bootstrapServers();
  }

  /** Creates a topic with topic-level settings. */
  static void createTopic(String name, int partitions, Map<String, String> configs)
      throws Exception {
    try (Admin admin = Admin.create(ClientConfigs.admin(bootstrap(), Map.of()))) {
      admin.createTopics(List.of(new NewTopic(name, Optional.of(partitions), Optional.empty())
          .configs(configs))).all().get(30, TimeUnit.SECONDS);
    }
  }

  /** Returns a producer with retort's settings and the given overrides. */
  static KafkaProducer<String, byte[]> producer(Map<String, String> overrides) {
    return new KafkaProducer<>(ClientConfigs.producer(bootstrap(), "test-producer", overrides));
  }

  /** Returns a consumer in {@code group} with the settings of retort's services' groups. */
  static KafkaConsumer<String, byte[]> groupMember(String group, String clientId) {
    return new KafkaConsumer<>(ClientConfigs.consumer(bootstrap(), group, clientId, Map.of()));
  }

  /** Reads every partition of a topic from the start until {@code count} records arrived. */
  static List<ConsumerRecord<String, byte[]>> readAll(String topic, int count) {
    Properties props = ClientConfigs.consumer(bootstrap(), "test-reader", "test-reader", Map.of());
    List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (out.size() < count && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(out::add);
      }
    }
    return out;
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }
}
