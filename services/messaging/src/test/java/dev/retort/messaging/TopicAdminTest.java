package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Creating retort's topics on a real broker. */
@ExtendWith(SharedKafka.class)
class TopicAdminTest {
  @Test
  void ensureCreatesMissingTopicsOnceWithTheirSettings() throws Exception {
    List<String> created = TopicAdmin.ensure(SharedKafka.bootstrap(),
        Topics.specs(TopicSettings.defaults()));
    List<String> again = TopicAdmin.ensure(SharedKafka.bootstrap(),
        Topics.specs(TopicSettings.defaults()));

    assertThat(created).containsExactlyInAnyOrderElementsOf(Topics.all());
    assertThat(again).isEmpty();
    try (Admin admin = Admin.create(ClientConfigs.admin(SharedKafka.bootstrap(), Map.of()))) {
      assertThat(admin.describeTopics(List.of(Topics.TEACHER_OUTPUTS)).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(Topics.TEACHER_OUTPUTS).partitions()).hasSize(8);
      ConfigResource index = new ConfigResource(ConfigResource.Type.TOPIC, Topics.TEACHER_INDEX);
      ConfigResource outputs =
          new ConfigResource(ConfigResource.Type.TOPIC, Topics.TEACHER_OUTPUTS);
      Map<ConfigResource, Config> configs = admin.describeConfigs(List.of(index, outputs)).all()
          .get(30, TimeUnit.SECONDS);
      assertThat(configs.get(index).get("cleanup.policy").value()).isEqualTo("compact");
      assertThat(configs.get(outputs).get("retention.ms").value()).isEqualTo("604800000");
      assertThat(configs.get(outputs).get("max.message.bytes").value()).isEqualTo("1048576");
    }
  }
}
