package dev.retort.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  @Test
  void defaultsSetOnlyTheDeletePolicy() {
    assertThat(TopicSpec.of("kd.teacher-outputs.v1", 3).configs())
        .containsExactlyEntriesOf(Map.of("cleanup.policy", "delete"));
  }

  @Test
  void setValuesBecomeKafkaTopicConfigs() {
    TopicSpec spec = TopicSpec.builder().setName("jobs").optPartitions(2)
        .optCleanupPolicy(TopicSpec.CleanupPolicy.COMPACT).optRetentionMs(-1)
        .optMaxMessageBytes(4096).build();

    assertThat(spec.configs()).containsExactlyInAnyOrderEntriesOf(Map.of(
        "cleanup.policy", "compact", "retention.ms", "-1", "max.message.bytes", "4096"));
  }

  @Test
  void illegalNamesAndCountsAreRejected() {
    assertThatThrownBy(() -> TopicSpec.of("a topic", 1)).hasMessageContaining("a topic");
    assertThatThrownBy(() -> TopicSpec.of("..", 1)).hasMessageContaining("..");
    assertThatThrownBy(() -> TopicSpec.of("t", 0)).hasMessageContaining("partitions");
    assertThatThrownBy(() -> TopicSpec.builder().optPartitions(1).build())
        .hasMessageContaining("setName");
  }
}
