package dev.retort.service.testing;

import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.stack.KafkaBroker;
import dev.retort.stack.KafkaBrokers;
import dev.retort.stack.KafkaSettings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

/**
 * A real Kafka broker for one test class: a broker process on free 127.0.0.1 ports (or the kind
 * {@code retort.kafka.mode} asks for), retort's topics created, and the service pointed at it and
 * at a fresh artifact root under {@code target/}.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {
  private KafkaBroker broker;

  @Override
  public Map<String, String> start() {
    try {
      String run = UUID.randomUUID().toString().substring(0, 8);
      Path work = Files.createDirectories(Path.of("target", "test-kafka", run)).toAbsolutePath();
      Path artifacts =
          Files.createDirectories(Path.of("target", "test-artifacts", run)).toAbsolutePath();
      broker = KafkaBrokers.fromConfig(KafkaSettings.builder().setWorkDir(work).build());
      broker.start();
      TopicAdmin.ensure(broker.bootstrapServers(), Topics.specs(TopicSettings.defaults()));
      return Map.of(
          "kafka.bootstrap.servers", broker.bootstrapServers(),
          "retort.artifacts.root", artifacts.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.stop();
    }
  }
}
