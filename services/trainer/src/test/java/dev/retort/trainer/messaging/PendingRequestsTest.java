package dev.retort.trainer.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class PendingRequestsTest {

  private static ConsumerRecord<String, byte[]> rec(int partition, long offset, long time, String key) {
    return new ConsumerRecord<>("t", partition, offset, time, TimestampType.CREATE_TIME, 0, 0, key, new byte[0],
        new RecordHeaders(), java.util.Optional.empty());
  }

  @Test
  void oldestRequestAcrossPartitionsGoesFirstAndEachPartitionKeepsItsOrder() {
    PendingRequests q = new PendingRequests(10);
    q.add(rec(0, 0, 300, "c"));
    q.add(rec(1, 0, 100, "a"));
    q.add(rec(1, 1, 400, "d"));
    q.add(rec(2, 0, 200, "b"));
    // Partition 0 holds a record whose timestamp is older than its predecessor: order within the
    // partition still wins.
    q.add(rec(0, 1, 50, "e"));
    StringBuilder order = new StringBuilder();
    while (q.size() > 0) {
      order.append(q.next().orElseThrow().key());
    }
    assertThat(order.toString()).isEqualTo("abced");
  }

  @Test
  void queueIsBoundedAndForgetsRevokedPartitions() {
    PendingRequests q = new PendingRequests(3);
    q.add(rec(0, 0, 1, "a"));
    q.add(rec(1, 0, 2, "b"));
    assertThat(q.full()).isFalse();
    q.add(rec(1, 1, 3, "c"));
    assertThat(q.full()).isTrue();
    q.drop(List.of(new TopicPartition("t", 1)));
    assertThat(q.size()).isEqualTo(1);
    assertThat(q.next().orElseThrow().key()).isEqualTo("a");
    assertThat(q.next()).isEmpty();
  }

  @Test
  void aRequestPutBackWithATimeHoldsItsPartitionUntilThenWhileTheOthersGoOn() {
    PendingRequests q = new PendingRequests(10);
    q.add(rec(0, 0, 100, "a"));
    q.add(rec(0, 1, 150, "b"));
    q.add(rec(1, 0, 200, "c"));
    var a = q.next(1000).orElseThrow();
    q.putBack(a, 2000);
    // Partition 0 waits (b must not overtake a); partition 1 goes on.
    assertThat(q.next(1000).orElseThrow().key()).isEqualTo("c");
    assertThat(q.next(1999)).isEmpty();
    assertThat(q.size()).isEqualTo(2);
    assertThat(q.next(2000).orElseThrow().key()).isEqualTo("a");
    assertThat(q.next(2000).orElseThrow().key()).isEqualTo("b");
  }
}
