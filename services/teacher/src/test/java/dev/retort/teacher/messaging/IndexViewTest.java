package dev.retort.teacher.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.messaging.SchemaVersions;
import dev.retort.messaging.Topics;
import dev.retort.proto.v1.TeacherOutputLocation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class IndexViewTest {
  private static final TopicPartition P0 = new TopicPartition(Topics.TEACHER_INDEX, 0);
  private static final TopicPartition P1 = new TopicPartition(Topics.TEACHER_INDEX, 1);

  private static byte[] location(long offset) {
    return TeacherOutputLocation.newBuilder().setSchemaVersion(SchemaVersions.CURRENT)
        .setTopic(Topics.TEACHER_OUTPUTS).setOffset(offset).build().toByteArray();
  }

  private static MockConsumer<String, byte[]> index(long end0, long end1) {
    MockConsumer<String, byte[]> c = new MockConsumer<>("earliest");
    List<PartitionInfo> infos = new ArrayList<>();
    infos.add(new PartitionInfo(Topics.TEACHER_INDEX, 0, null, null, null));
    infos.add(new PartitionInfo(Topics.TEACHER_INDEX, 1, null, null, null));
    c.updatePartitions(Topics.TEACHER_INDEX, infos);
    c.updateBeginningOffsets(new HashMap<>(Map.of(P0, 0L, P1, 0L)));
    c.updateEndOffsets(new HashMap<>(Map.of(P0, end0, P1, end1)));
    return c;
  }

  @Test
  void readsEveryEntryOnceCaughtUpAndAppliesTombstonesAndSkipsGarbage() {
    MockConsumer<String, byte[]> c = index(3, 1);
    c.schedulePollTask(() -> {
      c.addRecord(new ConsumerRecord<>(P0.topic(), 0, 0, "a/1", location(10)));
      c.addRecord(new ConsumerRecord<>(P0.topic(), 0, 1, "b/2", location(20)));
      c.addRecord(new ConsumerRecord<>(P0.topic(), 0, 2, "a/1", null));
      c.addRecord(new ConsumerRecord<>(P1.topic(), 1, 0, "c/3", new byte[] {1, 2, 3}));
    });
    try (IndexView view = new IndexView(c, Topics.TEACHER_INDEX, Duration.ofMillis(10))) {
      assertThat(view.caughtUp()).isFalse();
      view.start();
      assertThat(view.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
      assertThat(view.get("a/1")).as("removed by the tombstone").isEmpty();
      assertThat(view.get("b/2")).hasValueSatisfying(l -> assertThat(l.getOffset()).isEqualTo(20));
      assertThat(view.get("c/3")).as("undecodable entries are skipped").isEmpty();
      assertThat(view.size()).isEqualTo(1);
      assertThat(view.error()).isNull();
    }
  }

  @Test
  void ownPublicationsAreKnownAtOnceAndCanBeForgotten() {
    MockConsumer<String, byte[]> c = index(0, 0);
    try (IndexView view = new IndexView(c, Topics.TEACHER_INDEX, Duration.ofMillis(10))) {
      view.start();
      assertThat(view.awaitCaughtUp(Duration.ofSeconds(10))).isTrue();
      view.put("x/1", TeacherOutputLocation.newBuilder().setOffset(5).build());
      assertThat(view.get("x/1")).isPresent();
      view.forget("x/1");
      assertThat(view.get("x/1")).isEmpty();
    }
    assertThat(c.closed()).isTrue();
  }
}
