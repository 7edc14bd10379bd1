package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.retort.stack.TopicSpec;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TopicsTest {
  @Test
  void everyNameFollowsThePattern() {
    assertThat(Topics.all()).hasSize(11).doesNotHaveDuplicates()
        .allMatch(name -> name.matches("retort\\.[a-z]+\\.([a-z]+\\.)?v1"));
    assertThat(Topics.all()).contains("retort.jobs.requests.v1", "retort.teacher.index.v1",
        "retort.deadletter.v1", "retort.checkpoints.v1", "retort.eval.results.v1");
  }

  @Test
  void specsSetPartitionsRetentionAndCompaction() {
    Map<String, TopicSpec> specs = byName(Topics.specs(TopicSettings.defaults()));

    assertThat(specs.keySet()).containsExactlyElementsOf(Topics.all());
    for (String wide : List.of(Topics.JOB_REQUESTS, Topics.TEACHER_REQUESTS,
        Topics.TEACHER_OUTPUTS, Topics.LOSS_REQUESTS, Topics.LOSS_REPLIES)) {
      assertThat(specs.get(wide).partitions()).as(wide).isEqualTo(8);
    }
    for (String narrow : List.of(Topics.JOB_EVENTS, Topics.JOB_CONTROL, Topics.TEACHER_INDEX,
        Topics.CHECKPOINTS, Topics.EVAL_RESULTS, Topics.DEAD_LETTERS)) {
      assertThat(specs.get(narrow).partitions()).as(narrow).isEqualTo(4);
    }
    assertThat(specs.get(Topics.TEACHER_OUTPUTS).configs())
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(7).toMillis()))
        .containsEntry("cleanup.policy", "delete");
    assertThat(specs.get(Topics.TEACHER_INDEX).configs())
        .containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
    assertThat(specs.get(Topics.DEAD_LETTERS).configs())
        .containsEntry("retention.ms", Long.toString(Duration.ofDays(14).toMillis()));
    assertThat(specs.get(Topics.JOB_EVENTS).configs()).doesNotContainKey("retention.ms");
    assertThat(specs.values()).allMatch(s -> s.maxMessageBytes().getAsInt() == 1024 * 1024);
  }

  @Test
  void retentionAndMessageSizeAreConfigurable() {
    TopicSettings settings = TopicSettings.builder()
        .optTeacherOutputRetention(Duration.ofHours(2))
        .optMaxMessageBytes(4 * 1024 * 1024).build();

    Map<String, TopicSpec> specs = byName(Topics.specs(settings));

    assertThat(specs.get(Topics.TEACHER_OUTPUTS).configs())
        .containsEntry("retention.ms", "7200000")
        .containsEntry("max.message.bytes", "4194304");
    assertThat(specs.get(Topics.LOSS_REPLIES).configs())
        .containsEntry("max.message.bytes", "4194304");
    assertThatThrownBy(() -> TopicSettings.builder().optMaxMessageBytes(100).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void teacherKeyIsPassSlashBatch() {
    assertThat(Topics.teacherKey("p-3f2a", 17)).isEqualTo("p-3f2a/17");
  }

  private static Map<String, TopicSpec> byName(List<TopicSpec> specs) {
    return specs.stream().collect(Collectors.toMap(TopicSpec::name, Function.identity(),
        (a, b) -> a, java.util.LinkedHashMap::new));
  }
}
