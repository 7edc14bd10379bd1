package dev.retort.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retort.messaging.TopicSettings;
import dev.retort.messaging.Topics;
import dev.retort.stack.TopicSpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Strimzi topics are the ones the code creates elsewhere (names, partitions, settings), the
 * services' bootstrap address is the Strimzi cluster's, and KEDA scales each service on the topic
 * and consumer group the service actually reads, never beyond the topic's partitions.
 */
class KafkaAndScalingMatchTheCodeTest {

  private static Map<String, TopicSpec> specs() {
    Map<String, TopicSpec> out = new TreeMap<>();
    Topics.specs(TopicSettings.defaults()).forEach(s -> out.put(s.name(), s));
    return out;
  }

  private static Map<String, ObjectNode> kafkaTopics(String overlay) {
    Map<String, ObjectNode> out = new TreeMap<>();
    for (ObjectNode t : Repo.kind(overlay, "KafkaTopic")) {
      out.put(t.at("/spec/topicName").asText(t.at("/metadata/name").asText()), t);
    }
    return out;
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void kafkaTopicsHaveTheNamesPartitionsAndSettingsOfTopicsSpecs(String overlay) {
    Map<String, TopicSpec> specs = specs();
    Map<String, ObjectNode> topics = kafkaTopics(overlay);
    assertThat(topics.keySet()).containsExactlyInAnyOrderElementsOf(specs.keySet());
    ObjectNode kafka = Repo.kind(overlay, "Kafka").get(0);
    int brokers = Repo.kind(overlay, "KafkaNodePool").stream().mapToInt(p -> p.at("/spec/replicas").asInt()).sum();
    for (TopicSpec spec : specs.values()) {
      ObjectNode t = topics.get(spec.name());
      assertThat(t.at("/metadata/labels/strimzi.io~1cluster").asText()).isEqualTo(kafka.at("/metadata/name").asText());
      assertThat(t.at("/spec/partitions").asInt()).as(spec.name()).isEqualTo(spec.partitions());
      Map<String, String> config = new HashMap<>();
      t.at("/spec/config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
      assertThat(config).as(spec.name()).isEqualTo(spec.configs());
      assertThat(t.at("/spec/replicas").asInt()).as(spec.name() + " replicas").isBetween(1, brokers);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"dev", "prod"})
  void everyServiceTalksToTheStrimziBootstrapService(String overlay) {
    ObjectNode kafka = Repo.kind(overlay, "Kafka").get(0);
    JsonNode plain = kafka.at("/spec/kafka/listeners/0");
    String bootstrap = kafka.at("/metadata/name").asText() + "-kafka-bootstrap:" + plain.path("port").asInt();
    assertThat(plain.path("tls").asBoolean()).isFalse();
    for (String s : Repo.SERVICES) {
      String props = Repo.object(overlay, "ConfigMap", "retort-" + s + "-config").at("/data/application.properties").asText();
      assertThat(ServiceFacts.properties(props).getProperty("kafka.bootstrap.servers")).as(s).isEqualTo(bootstrap);
    }
    for (ObjectNode so : Repo.kind(overlay, "ScaledObject")) {
      assertThat(so.at("/spec/triggers/0/metadata/bootstrapServers").asText()).isEqualTo(bootstrap);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"prod"})
  void kedaScalesTeacherAndTrainersOnTheirOwnTopicAndGroupWithinThePartitions(String overlay) {
    // What each service consumes, from the code and the services' own settings.
    var teacher = ServiceFacts.applicationProperties("teacher");
    Map<String, List<String>> consumes = Map.of(
        "retort-teacher", List.of(teacher.getProperty("mp.messaging.incoming.teacher-requests.topic"),
            teacher.getProperty("mp.messaging.incoming.teacher-requests.group.id")),
        "retort-trainer", List.of(Topics.JOB_REQUESTS, ServiceFacts.properties(
            Repo.object(overlay, "ConfigMap", "retort-trainer-config").at("/data/application.properties").asText())
            .getProperty("retort.trainer.kafka.group-id", "retort-trainer")));
    List<ObjectNode> scaled = Repo.kind(overlay, "ScaledObject");
    assertThat(scaled).extracting(o -> o.at("/spec/scaleTargetRef/name").asText())
        .containsExactlyInAnyOrderElementsOf(consumes.keySet());
    Map<String, TopicSpec> specs = specs();
    for (ObjectNode so : scaled) {
      String target = so.at("/spec/scaleTargetRef/name").asText();
      Repo.object(overlay, "Deployment", target);
      JsonNode trigger = so.at("/spec/triggers/0");
      assertThat(trigger.path("type").asText()).isEqualTo("kafka");
      assertThat(trigger.at("/metadata/topic").asText()).as(target).isEqualTo(consumes.get(target).get(0));
      assertThat(trigger.at("/metadata/consumerGroup").asText()).as(target).isEqualTo(consumes.get(target).get(1));
      int partitions = specs.get(trigger.at("/metadata/topic").asText()).partitions();
      assertThat(so.at("/spec/maxReplicaCount").asInt()).as(target + " replicas within the partitions").isBetween(1, partitions);
      assertThat(so.at("/spec/minReplicaCount").asInt()).isLessThanOrEqualTo(so.at("/spec/maxReplicaCount").asInt());
      assertThat(trigger.at("/metadata/allowIdleConsumers").asText()).isEqualTo("false");
    }
  }
}
