package dev.retort.trainer.messaging;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Training requests this replica has fetched but not started, bounded, so that jobs queued beyond
 * the trainers' capacity wait in Kafka rather than in memory. Each partition's requests keep their
 * order; across partitions the oldest request (by record timestamp) goes first, so jobs run in the
 * order they were submitted as far as Kafka's timestamps tell.
 */
final class PendingRequests {
  private final Map<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();
  private final int capacity;
  private int size;

  /**
   * Creates the queue.
   *
   * @param capacity the most requests held (the consumer pauses when full)
   */
  PendingRequests(int capacity) {
    this.capacity = capacity;
  }

  /** Adds a fetched request at the end of its partition's queue. */
  void add(ConsumerRecord<String, byte[]> r) {
    byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayDeque<>()).addLast(r);
    size++;
  }

  /** Puts a request taken by {@link #next} back at the head of its partition's queue. */
  void putBack(ConsumerRecord<String, byte[]> r) {
    byPartition.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayDeque<>()).addFirst(r);
    size++;
  }

  /** Removes and returns the oldest head of all partition queues. */
  Optional<ConsumerRecord<String, byte[]>> next() {
    ConsumerRecord<String, byte[]> best = null;
    for (Deque<ConsumerRecord<String, byte[]>> q : byPartition.values()) {
      ConsumerRecord<String, byte[]> head = q.peekFirst();
      if (head != null && (best == null || head.timestamp() < best.timestamp())) {
        best = head;
      }
    }
    if (best != null) {
      byPartition.get(new TopicPartition(best.topic(), best.partition())).pollFirst();
      size--;
    }
    return Optional.ofNullable(best);
  }

  /** Forgets the requests of partitions this replica lost: their new owner fetches them again. */
  void drop(Collection<TopicPartition> partitions) {
    for (TopicPartition p : partitions) {
      Deque<ConsumerRecord<String, byte[]>> q = byPartition.remove(p);
      if (q != null) {
        size -= q.size();
      }
    }
  }

  /** Returns whether the queue is full. */
  boolean full() {
    return size >= capacity;
  }

  /** Returns the number of requests held. */
  int size() {
    return size;
  }
}
