package dev.retort.service.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.retort.service.health.HandlerWatch;
import java.util.List;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ReleasedPartitionsTest {
  private static final String TOPIC = "retort.teacher.requests.v1";

  @Test
  void revokedPartitionsTakeTheirUncommittedRecordsWithThem() {
    HandlerWatch watch = new HandlerWatch();
    watch.leftUncommitted(HandlerWatch.recordId(TOPIC, 2, 5));
    watch.leftUncommitted(HandlerWatch.recordId(TOPIC, 3, 9));
    ReleasedPartitions listener = new ReleasedPartitions(watch);

    listener.onPartitionsRevoked(null, List.of(new TopicPartition(TOPIC, 2)));
    assertThat(watch.uncommittedNanos()).as("partition 3's record is still this replica's").isPositive();

    listener.onPartitionsRevoked(null, List.of());
    assertThat(watch.uncommittedNanos()).isPositive();

    listener.onPartitionsLost(null, List.of(new TopicPartition(TOPIC, 3)));
    assertThat(watch.uncommittedNanos()).isZero();
  }

  @Test
  void assignedPartitionsLeaveTrackedRecordsAlone() {
    HandlerWatch watch = new HandlerWatch();
    watch.leftUncommitted(HandlerWatch.recordId(TOPIC, 2, 5));
    new ReleasedPartitions(watch).onPartitionsAssigned(null, List.of(new TopicPartition(TOPIC, 2)));
    assertThat(watch.uncommittedNanos()).isPositive();
  }
}
