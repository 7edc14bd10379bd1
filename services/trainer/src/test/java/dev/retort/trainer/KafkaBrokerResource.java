package dev.retort.trainer;

import dev.retort.messaging.TopicAdmin;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.stack.KafkaSettings;
import dev.retort.stack.ProcessKafkaBroker;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A real Kafka broker for the trainer's tests, in its own process on a free 127.0.0.1 port. */
public class KafkaBrokerResource implements QuarkusTestResourceLifecycleManager {
  static String bootstrap;
  static Path artifacts;
  private ProcessKafkaBroker broker;

  @Override
  public Map<String, String> start() {
    try {
      Path work = Files.createTempDirectory(Path.of("target"), "kafka-");
      artifacts = Files.createTempDirectory(Path.of("target"), "artifacts-").toAbsolutePath();
      broker = new ProcessKafkaBroker(KafkaSettings.builder().setWorkDir(work).build());
      broker.start();
      bootstrap = broker.bootstrapServers();
      TopicAdmin.ensure(bootstrap, Topics.specs(TopicSettings.defaults()));
      return Map.of(
          "kafka.bootstrap.servers", bootstrap,
          "retort.artifacts.root", artifacts.toString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void stop() {
    if (broker != null) {
      broker.stop();
    }
  }
}
