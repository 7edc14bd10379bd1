package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaBrokerTest {
  @TempDir Path workDir;

  @Test
  void producesConsumesAndCreatesTopicsWithTheirSettings() throws Exception {
    KafkaSettings settings = KafkaSettings.builder().setWorkDir(workDir).build();
    try (EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(settings)) {
      long t0 = System.nanoTime();
      broker.start();
      System.out.printf("EmbeddedKafkaBroker: start (format + start) %d ms%n",
          (System.nanoTime() - t0) / 1_000_000);
      String bootstrap = broker.bootstrapServers();
      broker.createTopics(List.of(
          TopicSpec.of("plain", 1),
          TopicSpec.builder().setName("compacted").optPartitions(3)
              .optCleanupPolicy(TopicSpec.CleanupPolicy.COMPACT)
              .optRetentionMs(-1).optMaxMessageBytes(2_000_000).build()));

      // The same broker seen as an external one, as with RETORT_KAFKA_BOOTSTRAP.
      ExternalKafka external = new ExternalKafka(bootstrap, Duration.ofSeconds(10));
      external.start();
      assertThat(external.createTopics(List.of(TopicSpec.of("via-external", 1))))
          .containsExactly("via-external");

      KafkaTestClients.produce(bootstrap, "plain", "a", "1");
      KafkaTestClients.produce(bootstrap, "plain", "b", "2");
      assertThat(KafkaTestClients.consume(bootstrap, "plain", 1, 2, Duration.ofSeconds(20)))
          .containsExactly("a=1", "b=2");

      Properties props = new Properties();
      props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (Admin admin = Admin.create(props)) {
        ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "compacted");
        Config config = admin.describeConfigs(List.of(topic)).all().get(20, TimeUnit.SECONDS)
            .get(topic);
        assertThat(Map.of(
            "cleanup.policy", config.get("cleanup.policy").value(),
            "retention.ms", config.get("retention.ms").value(),
            "max.message.bytes", config.get("max.message.bytes").value()))
            .containsExactlyInAnyOrderEntriesOf(Map.of(
                "cleanup.policy", "compact", "retention.ms", "-1",
                "max.message.bytes", "2000000"));
        assertThat(admin.describeTopics(List.of("compacted")).allTopicNames()
            .get(20, TimeUnit.SECONDS).get("compacted").partitions()).hasSize(3);
        // The broker-wide settings of this module reached the broker.
        ConfigResource node = new ConfigResource(ConfigResource.Type.BROKER, "1");
        Config brokerConfig = admin.describeConfigs(List.of(node)).all()
            .get(20, TimeUnit.SECONDS).get(node);
        assertThat(brokerConfig.get("message.max.bytes").value())
            .isEqualTo(Integer.toString(KafkaSettings.DEFAULT_MESSAGE_MAX_BYTES));
        assertThat(brokerConfig.get("auto.create.topics.enable").value()).isEqualTo("false");
      }
    }
  }
}
