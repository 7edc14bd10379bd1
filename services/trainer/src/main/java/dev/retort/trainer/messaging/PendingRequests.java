package dev.retort.trainer.messaging;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
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
 *
 * <p>A request put back with a time ({@link #putBack(ConsumerRecord, long)}) holds its partition
 * until then: the partition's later requests wait behind it, since committing one of them would
 * commit it too, while the other partitions' requests go on.
 */
final class PendingRequests {
  private final Map<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> byPartition = new LinkedHashMap<>();
  /** The partitions whose head waits, with the time (epoch ms) it may be taken again. */
  private final Map<TopicPartition, Long> heldUntil = new HashMap<>();
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

  /**
   * Puts a request back at the head of its partition's queue and holds the partition until a time.
   *
   * @param r the request taken by {@link #next}
   * @param notBeforeMillis when (epoch ms) the request may be taken again
   */
  void putBack(ConsumerRecord<String, byte[]> r, long notBeforeMillis) {
    putBack(r);
    heldUntil.put(new TopicPartition(r.topic(), r.partition()), notBeforeMillis);
  }

  /** Removes and returns the oldest head of all partition queues that are not held now. */
  Optional<ConsumerRecord<String, byte[]>> next() {
    return next(System.currentTimeMillis());
  }

  /**
   * Removes and returns the oldest head of all partition queues not held at a time.
   *
   * @param nowMillis the time (epoch ms)
   * @return the request, or empty when every queue is empty or held
   */
  Optional<ConsumerRecord<String, byte[]>> next(long nowMillis) {
    ConsumerRecord<String, byte[]> best = null;
    for (Map.Entry<TopicPartition, Deque<ConsumerRecord<String, byte[]>>> e : byPartition.entrySet()) {
      ConsumerRecord<String, byte[]> head = e.getValue().peekFirst();
      if (head != null && heldUntil.getOrDefault(e.getKey(), 0L) <= nowMillis
          && (best == null || head.timestamp() < best.timestamp())) {
        best = head;
      }
    }
    if (best != null) {
      TopicPartition p = new TopicPartition(best.topic(), best.partition());
      byPartition.get(p).pollFirst();
      heldUntil.remove(p);
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
      heldUntil.remove(p);
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
