package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A replica that joins a group of {@link ClientConfigs#consumer} members takes partitions from the
 * others without making them give up the ones they keep, on a real broker: a trainer keeps the
 * job it runs while the group scales out.
 */
@ExtendWith(SharedKafka.class)
class CooperativeRebalanceTest {

  @Test
  void aJoiningMemberOnlyRevokesThePartitionsThatMoveToIt() throws Exception {
    String topic = "cooperative-requests";
    String group = "cooperative-trainers";
    SharedKafka.createTopic(topic, 4, Map.of());
    Set<TopicPartition> revokedFromA = new HashSet<>();
    try (KafkaConsumer<String, byte[]> a = SharedKafka.groupMember(group, "cooperative-a");
        KafkaConsumer<String, byte[]> b = SharedKafka.groupMember(group, "cooperative-b")) {
      a.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          revokedFromA.addAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
      });
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (a.assignment().size() < 4 && System.nanoTime() < deadline) {
        a.poll(Duration.ofMillis(100));
      }
      assertThat(a.assignment()).hasSize(4);
      Set<TopicPartition> before = Set.copyOf(a.assignment());

      b.subscribe(List.of(topic));
      while ((b.assignment().size() != 2 || a.assignment().size() != 2)
          && System.nanoTime() < deadline) {
        a.poll(Duration.ofMillis(100));
        b.poll(Duration.ofMillis(100));
      }

      assertThat(b.assignment()).hasSize(2);
      assertThat(a.assignment()).hasSize(2);
      // Eager rebalancing would have revoked all four from a, the two it keeps included.
      Set<TopicPartition> moved = new HashSet<>(before);
      moved.removeAll(a.assignment());
      assertThat(revokedFromA).isEqualTo(moved).isEqualTo(b.assignment());
    }
  }
}
