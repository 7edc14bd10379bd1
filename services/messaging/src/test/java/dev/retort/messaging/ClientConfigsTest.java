package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.core.RetortException;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

class ClientConfigsTest {
  @Test
  void producerIsIdempotentAndAcknowledgedByAllReplicas() {
    Properties p = ClientConfigs.producer("h:9092", "teacher-0", Map.of());

    assertThat(p).containsEntry("bootstrap.servers", "h:9092")
        .containsEntry("client.id", "teacher-0")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("acks", "all")
        .containsEntry("max.in.flight.requests.per.connection", "5")
        .containsEntry("compression.type", "lz4")
        .containsEntry("max.request.size", "1048576");
    assertThat(Integer.parseInt(p.getProperty("max.request.size")))
        .isEqualTo(TopicSettings.DEFAULT_MAX_MESSAGE_BYTES)
        .isGreaterThan(Chunker.DEFAULT_MAX_CHUNK_BYTES);
    // Kafka accepts the whole set (it rejects e.g. idempotence with more than 5 in flight).
    assertThat(new ProducerConfig(p).getBoolean("enable.idempotence")).isTrue();
  }

  @Test
  void consumerCommitsManuallyAndReadsCommittedFromTheStart() {
    Properties c = ClientConfigs.consumer("h:9092", "retort-teacher", "teacher-0", Map.of());

    assertThat(c).containsEntry("group.id", "retort-teacher")
        .containsEntry("enable.auto.commit", "false")
        .containsEntry("isolation.level", "read_committed")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("max.poll.records", "100")
        .containsEntry("max.poll.interval.ms", "600000")
        .containsEntry("session.timeout.ms", "30000");
    assertThat(new ConsumerConfig(c).getString("group.id")).isEqualTo("retort-teacher");
    // Cooperative rebalancing only: a replica that joins takes partitions without the others
    // giving up the ones they keep (CooperativeRebalanceTest shows it on a broker).
    assertThat(new ConsumerConfig(c).getList("partition.assignment.strategy"))
        .containsExactly("org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
  }

  @Test
  void assignedConsumerHasNoGroupAndNeverJumpsOverDeletedOffsets() {
    Properties c = ClientConfigs.assignedConsumer("h:9092", "replay", Map.of());

    assertThat(c).doesNotContainKey("group.id").containsEntry("auto.offset.reset", "none")
        .containsEntry("enable.auto.commit", "false");
  }

  @Test
  void securityAndTuningOverridesPassThrough() {
    Map<String, String> overrides = Map.of(
        "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512",
        "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
            + "username=\"u\" password=\"p\";",
        "ssl.truststore.location", "/etc/kafka/truststore.p12",
        "max.request.size", "4194304");

    Properties p = ClientConfigs.producer("h:9093", "cli", overrides);
    Properties c = ClientConfigs.consumer("h:9093", "g", "cli", overrides);

    assertThat(p).containsAllEntriesOf(overrides);
    assertThat(c).containsEntry("security.protocol", "SASL_SSL")
        .containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12");
  }

  @Test
  void overridesThatBreakDeliveryGuaranteesAreRefused() {
    assertThatThrownBy(() -> ClientConfigs.producer("h", "c", Map.of("acks", "1")))
        .isInstanceOf(RetortException.class)
        .hasMessageContaining("Kafka client setting acks")
        .hasMessageContaining("Remove acks");
    assertThatThrownBy(() -> ClientConfigs.producer("h", "c",
        Map.of("enable.idempotence", "false"))).isInstanceOf(RetortException.class);
    assertThatThrownBy(() -> ClientConfigs.producer("h", "c",
        Map.of("max.in.flight.requests.per.connection", "6"))).isInstanceOf(RetortException.class);
    assertThatThrownBy(() -> ClientConfigs.consumer("h", "g", "c",
        Map.of("enable.auto.commit", "true"))).isInstanceOf(RetortException.class);
    assertThat(ClientConfigs.producer("h", "c", Map.of("acks", "-1"))).containsEntry("acks", "-1");
  }

  @Test
  void securitySettingsArePickedOutOfALargerMap() {
    Map<String, Object> settings = Map.of(
        "kafka.bootstrap.servers", "h:9093",
        "kafka.security.protocol", "SSL",
        "kafka.ssl.keystore.location", "/k.p12",
        "kafka.ssl.key.password", "secret",
        "kafka.sasl.mechanism", "PLAIN",
        "quarkus.http.port", 8080,
        "ssl.truststore.location", "/no-prefix");

    assertThat(KafkaSecurity.extract(settings, "kafka.")).containsExactly(
        Map.entry("sasl.mechanism", "PLAIN"),
        Map.entry("security.protocol", "SSL"),
        Map.entry("ssl.key.password", "secret"),
        Map.entry("ssl.keystore.location", "/k.p12"));
    assertThat(KafkaSecurity.extract(settings))
        .containsOnlyKeys("ssl.truststore.location");
  }
}
