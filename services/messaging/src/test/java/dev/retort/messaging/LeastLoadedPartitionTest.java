package dev.retort.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SharedKafka.class)
class LeastLoadedPartitionTest {

  @Test
  void theReplicaWithFewerPendingRequestsGetsTheNextOnItsEmptiestPartition() {
    Map<String, Set<Integer>> owned = Map.of("a", Set.of(0, 1, 2, 3), "b", Set.of(4, 5, 6, 7));
    // a runs one job and has one queued; b runs one job.
    assertThat(LeastLoadedPartition.choose(owned, Map.of(1, 2L, 5, 1L))).hasValue(4);
    // Equal loads: the member owning the lowest partition, then its emptiest, lowest partition.
    assertThat(LeastLoadedPartition.choose(owned, Map.of(0, 1L, 4, 1L))).hasValue(1);
    assertThat(LeastLoadedPartition.choose(owned, Map.of())).hasValue(0);
  }

  @Test
  void withoutAnyOwnedPartitionThereIsNoChoice() {
    assertThat(LeastLoadedPartition.choose(Map.of(), Map.of())).isEmpty();
    assertThat(LeastLoadedPartition.choose(Map.of("a", Set.of()), Map.of(0, 3L))).isEmpty();
  }

  @Test
  void requestsSentOneAfterAnotherAlternateBetweenTwoIdleReplicasOverARealBroker() throws Exception {
    String topic = "least-loaded-requests";
    String group = "least-loaded-trainers";
    SharedKafka.createTopic(topic, 8, Map.of());
    String bootstrap = SharedKafka.bootstrap();
    try (KafkaConsumer<String, byte[]> a = SharedKafka.groupMember(group, "least-loaded-a");
        KafkaConsumer<String, byte[]> b = SharedKafka.groupMember(group, "least-loaded-b");
        Admin admin = Admin.create(ClientConfigs.admin(bootstrap, Map.of()));
        KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
            ClientConfigs.producer(bootstrap, "least-loaded-test", Map.of()), new StringSerializer(),
            new ByteArraySerializer())) {
      a.subscribe(List.of(topic));
      b.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while ((a.assignment().isEmpty() || b.assignment().isEmpty()
              || a.assignment().size() + b.assignment().size() < 8)
          && System.nanoTime() < deadline) {
        a.poll(Duration.ofMillis(100));
        b.poll(Duration.ofMillis(100));
      }
      assertThat(a.assignment()).isNotEmpty();
      assertThat(b.assignment()).isNotEmpty();
      // The members stop polling: like replicas busy with a job, they commit nothing.
      a.pause(a.assignment());
      b.pause(b.assignment());

      LeastLoadedPartition chooser = new LeastLoadedPartition(admin, topic, group, Duration.ofSeconds(10));
      int first = send(producer, topic, chooser.next(), "job-1");
      int second = send(producer, topic, chooser.next(), "job-2");
      int third = send(producer, topic, chooser.next(), "job-3");

      Set<Integer> ofA = partitions(a);
      assertThat(ofA.contains(first)).isNotEqualTo(ofA.contains(second));
      // Both replicas now hold one request: the third goes to the first one again, on a new partition.
      assertThat(ofA.contains(third)).isEqualTo(ofA.contains(first));
      assertThat(third).isNotEqualTo(first);
      assertThat(new LeastLoadedPartition(admin, topic, "no-such-group", Duration.ofSeconds(10)).next()).isEmpty();
    }
  }

  private static Set<Integer> partitions(KafkaConsumer<String, byte[]> c) {
    return c.assignment().stream().map(tp -> tp.partition()).collect(java.util.stream.Collectors.toSet());
  }

  private static int send(KafkaProducer<String, byte[]> p, String topic, OptionalInt partition, String key)
      throws Exception {
    assertThat(partition).isPresent();
    return p.send(new ProducerRecord<>(topic, partition.getAsInt(), key, new byte[] {1})).get().partition();
  }
}
